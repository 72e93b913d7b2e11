/**
 * `npm run shard -- plan|apply --stacks "a b" [...]`: what one roll-out job does with its
 * shard of stacks (rollout/shard-runner.ts); the workflows call it with a shard of
 * `npm run shards`, as `exec node ... rollout/shard.ts`, so that the runner's signals reach it.
 */
import { CommandError, runCommand, UsageError } from '../commands/cli';
import { DEFAULT_LOCK_TIMEOUT_S, DEFAULT_TIMEOUT_MS, FAILED_RESULTS, runShard } from './shard-runner';
import { stacksOption, stacksOptionsUsage } from './sharding';

const USAGE = `Usage: npm run shard -- plan|apply --stacks "NAME ..." | --stacks-file FILE [--dir DIR] [--plans DIR]
                     [--parallel N] [--shard ID] [--timeout DURATION] [--lock-timeout DURATION]
                     [--no-lock] [--role-name NAME] [--offline]

plan:  terraform init of each stack, one at a time into one plugin cache, then
       terraform plan -detailed-exitcode -out=DIR/<stack>.tfplan, --parallel at a time.
       Writes the saved plans, each stack's lock file and output, and a report
       (plan.json, plan.md) into --plans.
apply: terraform apply of exactly the saved plans in --plans (from plan), --parallel at a
       time, a stack only after the stacks it depends on (cdktf.out/manifest.json); stacks
       without changes are left alone. A plan made before the state changed is refused by
       Terraform and reported as stale, to be planned again. Writes apply.json and apply.md.

Every stack runs whatever happens to the others. The report is written at the start (every
stack pending) and again as each stack ends. A plan or apply waits --lock-timeout for a state
lock, and once more; still locked, the stack is locked, with the lock's ID and holder. A
terraform command out of --timeout, or every running one on SIGINT or SIGTERM (a cancelled
job), gets one interrupt: terraform stops gracefully, and the stack is interrupted, with the
state lock it held. On SIGTERM, or a second SIGINT, the report is written at once. The command
exits 1 if any stack needs attention (anything but changes, no changes, applied, unchanged).

Options:
${stacksOptionsUsage('the stacks of the shard, in deploy order')}
  --dir DIR          the synthesized stacks (default cdktf.out/stacks)
  --plans DIR        saved plans and reports (default plans)
  --parallel N       stacks planned or applied at the same time (default 4)
  --timeout DURATION the time limit of each terraform command, 90s, 30m, 1h (default ${DEFAULT_TIMEOUT_MS / 60000}m)
  --lock-timeout DURATION
                     how long a plan or apply waits for a state lock, twice (default ${DEFAULT_LOCK_TIMEOUT_S / 60}m)
  --shard ID         the shard's id in the reports (default local)
  --no-lock          plan with -lock=false, for plans nobody applies (pull requests, drift)
  --role-name NAME   plan through the role NAME of each account instead of its assumeRoleArn
                     (a read-only role for pull requests and drift)
  --offline          plan without AWS credentials: the offline harness's overrides
                     (docs/DEPLOYING.md, "Checking the stacks with real Terraform"); plan only
  -h, --help         show this help
`;

runCommand(
  {
    name: 'shard',
    usage: USAGE,
    options: {
      stacks: { type: 'string' },
      'stacks-file': { type: 'string' },
      timeout: { type: 'string' },
      'lock-timeout': { type: 'string' },
      dir: { type: 'string' },
      plans: { type: 'string' },
      parallel: { type: 'string' },
      shard: { type: 'string' },
      'no-lock': { type: 'boolean' },
      'role-name': { type: 'string' },
      offline: { type: 'boolean' },
    },
    positionals: { min: 1, max: 1, what: 'plan or apply (npm run shard -- plan --stacks "A B")' },
  },
  async (args) => {
    const command = args.positionals[0];
    if (command !== 'plan' && command !== 'apply') throw new UsageError(`Unknown command ${JSON.stringify(command)}: plan or apply`);
    const stacks = stacksOption(args) ?? [];
    if (stacks.length === 0) throw new UsageError('--stacks or --stacks-file names no stack');
    if (command === 'apply') {
      for (const name of ['offline', 'no-lock', 'role-name']) {
        if (args.flag(name) || args.string(name) !== undefined) throw new UsageError(`${args.written(name)} is for plan only: apply applies the saved plans as they are`);
      }
    }
    const timeout = args.seconds('timeout');
    const lockTimeout = args.seconds('lock-timeout');
    const { signal, deadline } = onRunnerSignals();
    let report;
    try {
      report = await runShard({
        command,
        stacks,
        stacksDir: args.string('dir') ?? 'cdktf.out/stacks',
        plansDir: args.string('plans') ?? 'plans',
        parallel: args.positiveInteger('parallel') ?? 4,
        shard: args.string('shard') ?? 'local',
        offline: args.flag('offline'),
        noLock: args.flag('no-lock'),
        roleName: args.string('role-name'),
        ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
        ...(lockTimeout === undefined ? {} : { lockTimeoutSeconds: lockTimeout }),
        signal,
        deadline,
      });
    } catch (error) {
      throw new CommandError(error instanceof Error ? error.message : String(error));
    }
    const failed = report.stacks.filter((outcome) => FAILED_RESULTS.has(outcome.result));
    console.error(
      `terraform ${command} of ${report.stacks.length} stacks in ${report.seconds} s: ` +
        (failed.length === 0 ? 'none failed.' : `${failed.length} failed: ${failed.map((o) => `${o.stack} (${o.result})`).join(', ')}.`),
    );
    return failed.length === 0 ? 0 : 1;
  },
);

/**
 * What a cancelled GitHub Actions job does to its step: SIGINT to the step's process, SIGTERM
 * 7.5 s later, and a kill 2.5 s after that (actions/runner src/Runner.Sdk/ProcessInvoker.cs,
 * CancelAndKillProcessTree; https://docs.github.com/en/actions/reference/workflow-cancellation-reference).
 * The first signal interrupts terraform (once); the next one, or SIGTERM, is the last call for
 * the report. Never a second interrupt to terraform: it would exit at once, lock and all.
 */
function onRunnerSignals(): { signal: AbortSignal; deadline: AbortSignal } {
  const interrupt = new AbortController();
  const deadline = new AbortController();
  const on = (name: NodeJS.Signals): void => {
    if (!interrupt.signal.aborted) {
      console.error(`${name}: interrupting terraform, starting nothing more; the report follows.`);
      interrupt.abort();
      if (name === 'SIGINT') return;
    }
    if (!deadline.signal.aborted) console.error(`${name}: writing the report now.`);
    deadline.abort();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return { signal: interrupt.signal, deadline: deadline.signal };
}
