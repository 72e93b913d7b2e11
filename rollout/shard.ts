/**
 * `npm run shard -- plan|apply --stacks "a b" [...]`: what one roll-out job does with its
 * shard of stacks (rollout/shard-runner.ts); the workflows call it with a shard of
 * `npm run shards`.
 */
import { CommandError, runCommand, UsageError } from '../commands/cli';
import { FAILED_RESULTS, runShard } from './shard-runner';
import { stackList, stackListProblem } from './sharding';

const USAGE = `Usage: npm run shard -- plan|apply --stacks "NAME ..." [--dir DIR] [--plans DIR] [--parallel N]
                     [--shard ID] [--no-lock] [--role-name NAME] [--offline]

plan:  terraform init of each stack, one at a time into one plugin cache, then
       terraform plan -detailed-exitcode -out=DIR/<stack>.tfplan, --parallel at a time.
       Writes the saved plans, each stack's lock file and output, and a report
       (plan.json, plan.md) into --plans.
apply: terraform apply of exactly the saved plans in --plans (from plan), --parallel at a
       time, a stack only after the stacks it depends on (cdktf.out/manifest.json); stacks
       without changes are left alone. A plan made before the state changed is refused by
       Terraform and reported as stale, to be planned again. Writes apply.json and apply.md.

Every stack runs whatever happens to the others; the command then exits 1 if any stack
failed (or was stale, skipped, or not planned), else 0.

Options:
  --stacks "A B"     the stacks of the shard, in deploy order (space- or comma-separated)
  --dir DIR          the synthesized stacks (default cdktf.out/stacks)
  --plans DIR        saved plans and reports (default plans)
  --parallel N       stacks planned or applied at the same time (default 4)
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
    const stacks = stackList(args.string('stacks') ?? '');
    if (stacks.length === 0) throw new UsageError('--stacks names no stack');
    const problem = stackListProblem(stacks);
    if (problem) throw new UsageError(`${args.written('stacks')}: ${problem}`);
    if (command === 'apply') {
      for (const name of ['offline', 'no-lock', 'role-name']) {
        if (args.flag(name) || args.string(name) !== undefined) throw new UsageError(`${args.written(name)} is for plan only: apply applies the saved plans as they are`);
      }
    }
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
