/**
 * A roll-out's apply step cancelled the way the GitHub runner cancels a step: SIGINT to the
 * step's shell process only, SIGTERM 7.5 s later, SIGKILL to that process 2.5 s after that
 * (actions/runner src/Runner.Sdk/ProcessInvoker.cs: CancelAndKillProcessTree, SendSignal is
 * kill(pid), NixKillProcessTree is Process.Kill() of that one process). The step's script is
 * the workflow's own, run by `bash -e` as the runner runs a step without `shell:`, with a
 * stand-in terraform on PATH.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { ShardReport } from '../../rollout/shard-runner';
import { tempDir } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

interface Step {
  run?: string;
  env?: Record<string, string>;
}
const round = yaml.load(readFileSync(path.join(ROOT, '.github', 'workflows', 'rollout-round.yml'), 'utf8')) as { jobs: { apply: { steps: Step[] } } };
const applyStep = round.jobs.apply.steps.find((step) => /shard\b.*\bapply\b/.test(step.run ?? '')) as Step;

const RUNNER_SIGINT_TIMEOUT_MS = 7500;
const RUNNER_SIGTERM_TIMEOUT_MS = 2500;
const LOCK_ID = '73544a56-1763-f4aa-68e0-1e8908a3ae4d';

// Takes the S3 state lock as terraform 1.11.4 logs it with TF_LOG_CORE=INFO, then either stops
// on an interrupt (releasing the lock) or ignores it (FAKE_TF_IGNORE_INT=1), as a terraform
// waiting on an AWS call might for longer than the runner waits.
const FAKE_TERRAFORM = `#!/usr/bin/env bash
stack=$(basename "$PWD")
case "$1" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  init) touch .terraform.lock.hcl ;;
  apply)
    echo "$$" > "$FAKE_TF_DIR/pid-$stack"
    echo "2026-12-04T17:00:03.774Z [INFO]  backend-s3: Locked remote state (S3 Native only): tf_backend.lock.id=${LOCK_ID} tf_backend.operation=Lock" >> "$TF_LOG_PATH"
    sleep 60 & sleeper=$!
    if [ "$FAKE_TF_IGNORE_INT" = 1 ]; then
      trap 'echo INT >> "$FAKE_TF_DIR/signals-$stack"' INT
    else
      trap 'echo INT >> "$FAKE_TF_DIR/signals-$stack"; kill $sleeper; echo "Interrupt received."; echo "2026-12-04T17:00:04.986Z [INFO]  backend-s3: Unlocked remote state (S3 Native only): tf_backend.lock.id=${LOCK_ID}" >> "$TF_LOG_PATH"; exit 1' INT
    fi
    touch "$FAKE_TF_DIR/ready-$stack"
    while kill -0 $sleeper 2>/dev/null; do wait $sleeper; done
    ;;
esac
`;

/** A workspace as the apply job has it: the shard's list, the synthesized stacks, the saved plans. */
function workspace(ignoreInterrupt: boolean) {
  const dir = tempDir('ddct-cancel-');
  for (const folder of ['synth', 'rollout', 'commands', 'config']) symlinkSync(path.join(ROOT, folder), path.join(dir, folder));
  mkdirSync(path.join(dir, 'shards'));
  writeFileSync(path.join(dir, 'shards', 'w1-r1-001.txt'), 'a\nb\n');
  for (const stack of ['a', 'b']) {
    mkdirSync(path.join(dir, 'cdktf.out', 'stacks', stack), { recursive: true });
    writeFileSync(path.join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: {} } }));
  }
  writeFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), JSON.stringify({ stacks: { a: {}, b: {} } }));
  mkdirSync(path.join(dir, 'plans'));
  const planned: ShardReport = { command: 'plan', shard: 'w1-r1-001', offline: false, finished: true, seconds: 1, stacks: ['a', 'b'].map((stack) => ({ stack, result: 'changes' })) };
  writeFileSync(path.join(dir, 'plans', 'plan.json'), JSON.stringify(planned));
  for (const stack of ['a', 'b']) writeFileSync(path.join(dir, 'plans', `${stack}.tfplan`), 'saved plan');
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'terraform'), FAKE_TERRAFORM);
  chmodSync(path.join(dir, 'bin', 'terraform'), 0o755);
  writeFileSync(path.join(dir, 'step.sh'), applyStep.run as string);
  const env = {
    ...process.env,
    PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}`,
    SHARD: 'w1-r1-001',
    PARALLEL: '1',
    TIMEOUT: '30m',
    LOCK_TIMEOUT: '3m',
    TF_PLUGIN_CACHE_DIR: path.join(dir, 'plugin-cache'),
    // The shard runner's scratch directory: a killed runner cannot remove it.
    TMPDIR: dir,
    FAKE_TF_DIR: dir,
    FAKE_TF_IGNORE_INT: ignoreInterrupt ? '1' : '0',
  };
  return { dir, env, report: () => JSON.parse(readFileSync(path.join(dir, 'plans', 'apply.json'), 'utf8')) as ShardReport };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(done: () => boolean): Promise<void> {
  while (!done()) await sleep(50);
}
const exited = (child: ChildProcess, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/** What the runner does to a cancelled step: returns the signals it had to send. */
async function cancelAsTheRunnerDoes(step: ChildProcess): Promise<string[]> {
  const sent = ['SIGINT'];
  process.kill(step.pid as number, 'SIGINT');
  if (await exited(step, RUNNER_SIGINT_TIMEOUT_MS)) return sent;
  sent.push('SIGTERM');
  process.kill(step.pid as number, 'SIGTERM');
  if (await exited(step, RUNNER_SIGTERM_TIMEOUT_MS)) return sent;
  sent.push('SIGKILL');
  process.kill(step.pid as number, 'SIGKILL');
  await exited(step, 5000);
  return sent;
}

/** Starts the step as the runner does (`bash -e <script>`), and cancels it once terraform applies. */
async function cancelledApply(ignoreInterrupt: boolean) {
  const { dir, env, report } = workspace(ignoreInterrupt);
  const step = spawn('bash', ['-e', path.join(dir, 'step.sh')], { cwd: dir, env, stdio: 'ignore' });
  await until(() => existsSync(path.join(dir, 'ready-a')));
  const sent = await cancelAsTheRunnerDoes(step);
  const signals = readFileSync(path.join(dir, 'signals-a'), 'utf8').trim().split('\n');
  // The runner's clean-up of orphans at the end of the job (actions/runner JobExtension.cs).
  const pid = Number(readFileSync(path.join(dir, 'pid-a'), 'utf8'));
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // It stopped by itself.
  }
  return { sent, signals, report: report() };
}

describe('a roll-out apply step cancelled as the GitHub runner cancels it', () => {
  test('runs the shard runner as the step\'s process, so that the runner\'s signals reach it', () => {
    expect(applyStep.run).toMatch(/^exec node /);
  });

  test('interrupts terraform once; terraform stops, and the report names the stack interrupted and its lock released', async () => {
    const { sent, signals, report } = await cancelledApply(false);

    expect(sent).toEqual(['SIGINT']);
    expect(signals).toEqual(['INT']);
    expect(report.finished).toBe(true);
    expect(report.stacks.map((o) => o.result)).toEqual(['interrupted', 'cancelled']);
    expect(report.stacks[0].lock).toEqual({ id: LOCK_ID, released: true });
    expect(report.stacks[0].message).toContain('plan it again');
  }, 30_000);

  test('with terraform still stopping at SIGTERM, writes the report before the kill: the stack interrupted, the lock to force-unlock', async () => {
    const { sent, signals, report } = await cancelledApply(true);

    expect(sent).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    expect(signals).toEqual(['INT']);
    expect(report.finished).toBe(false);
    expect(report.stacks.map((o) => o.result)).toEqual(['interrupted', 'cancelled']);
    expect(report.stacks[0].lock).toEqual({ id: LOCK_ID, released: false });
    expect(report.stacks[0].message).toContain(`\`terraform force-unlock -force ${LOCK_ID}\``);
    expect(report.stacks[0].message).toContain('plan it again for a new approval');
  }, 30_000);
});
