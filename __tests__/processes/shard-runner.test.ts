/**
 * The per-shard runner of the roll-out (rollout/shard.ts): offline with the real terraform,
 * and with a stand-in terraform on PATH for what cannot run here (apply, a stale saved plan).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runShard, type ShardOptions, type ShardReport, writeRoleOverride } from '../../rollout/shard-runner';
import { tempDir } from '../support/configs';
import { synthFile } from '../support/synth';
import { terraformTest } from '../support/terraform';

const ROOT = path.join(__dirname, '..', '..');

// Records every call (start and end, with the stack's directory) and behaves, per stack, as
// FAKE_TF says: "<stack>=plan-fail", "=no-changes", "=stale", "=apply-fail", "=locked" (plan
// and apply fail on a held state lock, as terraform 1.11.4 words it), "=hang" and
// "=apply-hang" (plan, apply wait until interrupted, logging "ready" once they can be). With
// FAKE_TF_SNAP, each plan first copies the shard's plan.json.
const FAKE_TERRAFORM = `#!/usr/bin/env bash
stack=$(basename "$PWD")
has() { [[ " $FAKE_TF " == *" $stack=$1 "* ]]; }
log() { echo "$(date +%s.%N) $1 $stack $2" >> "$FAKE_TF_LOG"; }
locked() {
  printf 'Error: Error acquiring the state lock\\n\\nError message: operation error S3: PutObject, https response error\\nStatusCode: 412, RequestID: , HostID: , api error PreconditionFailed: At\\nleast one of the pre-conditions you specified did not hold\\nLock Info:\\n  ID:        577e5740-ad42-89a8-a934-019704f5a4db\\n  Path:      state/a.tfstate\\n  Operation: OperationTypeApply\\n  Who:       alice@laptop\\n  Version:   1.11.4\\n  Created:   2026-12-04 16:51:11.542040691 +0000 UTC\\n  Info:      \\n\\n\\nTerraform acquires a state lock to protect the state from being written\\nby multiple users at the same time.\\n'
  exit 1
}
hang() {
  sleep 30 & sleeper=$!
  trap 'kill $sleeper; log signal INT; echo "Interrupt received."; exit 1' INT
  log ready "$1"
  wait $sleeper
}
case "$1" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  init) log start init; touch .terraform.lock.hcl; sleep 0.1; log end init ;;
  plan)
    log start "plan $*"
    if [ -n "$FAKE_TF_SNAP" ]; then cp "$FAKE_TF_PLANS/plan.json" "$FAKE_TF_SNAP/$stack.json"; fi
    out=$(printf '%s\\n' "$@" | sed -n 's/^-out=//p')
    echo "plan of $stack" > "$out"
    if has hang; then hang plan; fi
    sleep 0.1
    log end plan
    if has locked; then locked; fi
    if has plan-fail; then echo "Error: planning $stack failed"; exit 1; fi
    if has no-changes; then echo "No changes. Your infrastructure matches the configuration."; exit 0; fi
    echo "Plan: 2 to add, 1 to change, 0 to destroy."; exit 2 ;;
  apply)
    log start "apply $*"
    if has apply-hang; then hang apply; fi
    sleep 0.2
    log end apply
    if has locked; then locked; fi
    if has stale; then printf 'Error: Saved plan is stale\\n\\nThe given plan file can no longer be applied because the state was changed\\n'; exit 1; fi
    if has apply-fail; then echo "Error: creating IAM Role: AccessDenied"; exit 1; fi
    echo "Apply complete! Resources: 2 added, 1 changed, 0 destroyed." ;;
esac
`;

interface Call {
  time: number;
  phase: 'start' | 'end' | 'ready' | 'signal';
  stack: string;
  what: string;
}

/** Stacks (cdk.tf.json and cdktf's manifest.json) and a stand-in terraform on PATH. */
function fakeSetup(stacks: string[], dependencies: Record<string, string[]> = {}, behaviour = '') {
  const dir = tempDir('ddct-shard-');
  const stacksDir = path.join(dir, 'cdktf.out', 'stacks');
  for (const stack of stacks) {
    mkdirSync(path.join(stacksDir, stack), { recursive: true });
    writeFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } } }));
  }
  writeFileSync(
    path.join(dir, 'cdktf.out', 'manifest.json'),
    JSON.stringify({ stacks: Object.fromEntries(stacks.map((s) => [s, { dependencies: dependencies[s] ?? [] }])) }),
  );
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'terraform'), FAKE_TERRAFORM);
  chmodSync(path.join(bin, 'terraform'), 0o755);
  const logFile = path.join(dir, 'calls.log');
  writeFileSync(logFile, '');
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, FAKE_TF: behaviour, FAKE_TF_LOG: logFile, FAKE_TF_PLANS: path.join(dir, 'plans') };
  const run = (command: ShardOptions['command'], parallel = 3, options: Partial<ShardOptions> = {}): Promise<ShardReport> =>
    runShard({ command, stacks, stacksDir, plansDir: path.join(dir, 'plans'), parallel, shard: 'w1-001', env, log: () => undefined, pluginCache: path.join(dir, 'cache'), ...options });
  const calls = (): Call[] =>
    readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [time, phase, stack, ...what] = line.split(' ');
        return { time: Number(time), phase: phase as Call['phase'], stack, what: what.join(' ') };
      });
  return { dir, plansDir: path.join(dir, 'plans'), run, calls };
}

const results = (report: ShardReport) => Object.fromEntries(report.stacks.map((o) => [o.stack, o.result]));

/** The stand-in terraform's environment for a fakeSetup directory. */
const fakeEnv = (dir: string) => ({
  PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}`,
  FAKE_TF: '',
  FAKE_TF_LOG: path.join(dir, 'calls.log'),
  FAKE_TF_PLANS: path.join(dir, 'plans'),
});

/** Resolves once `done()` holds, checking every 50 ms. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Intervals of `what` (by its first word) per stack, from start to end. */
function intervals(calls: Call[], what: string): Array<{ stack: string; from: number; to: number }> {
  const starts = calls.filter((c) => c.phase === 'start' && c.what.split(' ')[0] === what);
  return starts.map((start) => ({
    stack: start.stack,
    from: start.time,
    to: (calls.find((c) => c.phase === 'end' && c.stack === start.stack && c.what === what && c.time >= start.time) as Call).time,
  }));
}
const overlaps = (spans: Array<{ from: number; to: number }>): boolean =>
  spans.some((a, i) => spans.some((b, j) => i !== j && a.from < b.to && b.from < a.to));

describe('npm run shard -- plan', () => {
  test('plans every stack even when one fails, and reports each', async () => {
    const { run } = fakeSetup(['a', 'b', 'c'], {}, 'b=plan-fail c=no-changes');

    const report = await run('plan');

    expect(results(report)).toEqual({ a: 'changes', b: 'failed', c: 'no-changes' });
    expect(report.stacks[0]).toMatchObject({ add: 2, change: 1, destroy: 0 });
    expect(report.stacks[1].message).toBe('terraform plan failed: Error: planning b failed');
  });

  test('initialises the stacks one at a time, then plans several at a time', async () => {
    const { run, calls } = fakeSetup(['a', 'b', 'c', 'd']);

    await run('plan', 3);

    // The scratch init of the provider lock file runs in a directory of its own, named 0.
    expect(overlaps(intervals(calls(), 'init'))).toBe(false);
    expect(overlaps(intervals(calls(), 'plan'))).toBe(true);
    const lastInit = Math.max(...intervals(calls(), 'init').map((i) => i.to));
    expect(Math.min(...intervals(calls(), 'plan').map((i) => i.from))).toBeGreaterThanOrEqual(lastInit);
  });

  test('gives every stack the lock file of one scratch init, so that init links the cached provider', async () => {
    const { run, calls } = fakeSetup(['a', 'b', 'c']);

    await run('plan');

    expect(intervals(calls(), 'init').map((i) => i.stack)).toEqual(['0', 'a', 'b', 'c']);
  });

  test('writes the report at the start, every stack pending, and again as each stack ends', async () => {
    const { dir, run } = fakeSetup(['a', 'b', 'c']);
    const snapshots = path.join(dir, 'snapshots');
    mkdirSync(snapshots);

    const report = await run('plan', 1, { env: { ...process.env, ...fakeEnv(dir), FAKE_TF_SNAP: snapshots } });

    const seen = (stack: string) => results(JSON.parse(readFileSync(path.join(snapshots, `${stack}.json`), 'utf8')) as ShardReport);
    expect(seen('a')).toEqual({ a: 'pending', b: 'pending', c: 'pending' });
    expect(seen('c')).toEqual({ a: 'changes', b: 'changes', c: 'pending' });
    expect(report.finished).toBe(true);
  });

  test('reports a stack that is not synthesized as missing, and plans the others', async () => {
    const { run } = fakeSetup(['a', 'b']);

    const report = await run('plan', 3, { stacks: ['a', 'gone', 'b'] });

    expect(results(report)).toEqual({ a: 'changes', gone: 'missing', b: 'changes' });
    expect(report.stacks[1].message).toContain('not synthesized');
  });

  test('waits for a held state lock, tries once more, and reports the lock and how to release it', async () => {
    const { run, calls } = fakeSetup(['a', 'b'], {}, 'a=locked');

    const report = await run('plan', 3, { lockTimeoutSeconds: 5 });

    expect(results(report)).toEqual({ a: 'locked', b: 'changes' });
    expect(report.stacks[0].lock).toMatchObject({ id: '577e5740-ad42-89a8-a934-019704f5a4db', who: 'alice@laptop', operation: 'OperationTypeApply' });
    expect(report.stacks[0].message).toContain('`terraform force-unlock -force 577e5740-ad42-89a8-a934-019704f5a4db`');
    const tries = calls().filter((c) => c.stack === 'a' && c.phase === 'start' && c.what.startsWith('plan'));
    expect(tries).toHaveLength(2);
    expect(tries.every((c) => c.what.includes('-lock-timeout=5s'))).toBe(true);
  });

  test('interrupts a terraform command out of its time limit, once, and plans the other stacks', async () => {
    const { run, calls } = fakeSetup(['a', 'b'], {}, 'a=hang');

    const report = await run('plan', 2, { timeoutMs: 5000 });

    expect(results(report)).toEqual({ a: 'interrupted', b: 'changes' });
    expect(report.stacks[0].message).toContain('ran out of its time limit (5 s) and was interrupted: plan it again');
    expect(calls().filter((c) => c.phase === 'signal')).toHaveLength(1);
  });

  test('on cancel, interrupts each running terraform once and starts nothing more', async () => {
    const { run, calls } = fakeSetup(['a', 'b', 'c'], {}, 'a=hang b=hang');
    const cancel = new AbortController();
    const running = run('plan', 2, { signal: cancel.signal });
    await until(() => calls().filter((c) => c.phase === 'ready').length === 2);

    cancel.abort();
    const report = await running;

    expect(results(report)).toEqual({ a: 'interrupted', b: 'interrupted', c: 'cancelled' });
    expect(report.stacks[0].message).toContain('was interrupted: the run was cancelled');
    expect(calls().filter((c) => c.phase === 'signal').map((c) => c.stack).sort()).toEqual(['a', 'b']);
  });

  test('keeps the saved plan and lock file of each stack with changes only, and writes the reports', async () => {
    const { run, plansDir } = fakeSetup(['a', 'c'], {}, 'c=no-changes');

    await run('plan');

    expect(['a.tfplan', 'a.terraform.lock.hcl', 'c.tfplan'].map((f) => existsSync(path.join(plansDir, f)))).toEqual([true, true, false]);
    expect(JSON.parse(readFileSync(path.join(plansDir, 'plan.json'), 'utf8'))).toMatchObject({ command: 'plan', shard: 'w1-001' });
    expect(readFileSync(path.join(plansDir, 'plan.md'), 'utf8')).toContain('| a | ✏️ changes | 2 | 1 | 0 |');
  });
});

describe('npm run shard -- apply', () => {
  test('applies exactly the saved plans, never a fresh plan, and leaves stacks without changes alone', async () => {
    const { run, calls, plansDir } = fakeSetup(['a', 'c'], {}, 'c=no-changes');
    await run('plan');

    const report = await run('apply');

    expect(results(report)).toEqual({ a: 'applied', c: 'unchanged' });
    const applies = calls().filter((c) => c.phase === 'start' && c.what.startsWith('apply'));
    expect(applies.map((c) => `${c.stack}: ${c.what}`)).toEqual([`a: apply apply -input=false -lock-timeout=180s ${path.join(plansDir, 'a.tfplan')} -no-color`]);
    expect(report.stacks[0]).toMatchObject({ add: 2, change: 1, destroy: 0 });
  });

  test('reports a stale saved plan as stale, and applies the other stacks', async () => {
    const { run } = fakeSetup(['a', 'b', 'c'], {}, 'b=stale');
    await run('plan');

    const report = await run('apply');

    expect(results(report)).toEqual({ a: 'applied', b: 'stale', c: 'applied' });
    expect(report.stacks[1].message).toContain('plan it again');
  });

  test('applies a stack only after the stack it depends on', async () => {
    const { run, calls } = fakeSetup(['log-archive', 'management', 'member'], { management: ['log-archive'] });
    await run('plan');

    await run('apply', 4);

    const spans = Object.fromEntries(intervals(calls(), 'apply').map((i) => [i.stack, i]));
    expect(spans.management.from).toBeGreaterThanOrEqual(spans['log-archive'].to);
    expect(spans.member.from).toBeLessThan(spans['log-archive'].to);
  });

  test('skips a stack whose dependency failed, and says why', async () => {
    const { run } = fakeSetup(['log-archive', 'management', 'member'], { management: ['log-archive'] }, 'log-archive=apply-fail');
    await run('plan');

    const report = await run('apply');

    expect(results(report)).toEqual({ 'log-archive': 'failed', management: 'skipped', member: 'applied' });
    expect(report.stacks[0].message).toBe('terraform apply failed: Error: creating IAM Role: AccessDenied');
    expect(report.stacks[1].message).toContain('log-archive failed');
    expect(report.stacks[1].blockedBy).toEqual(['log-archive']);
  });

  test('reports a stack that is not synthesized as missing, and applies the others', async () => {
    const { run } = fakeSetup(['a', 'b']);
    await run('plan');

    const report = await run('apply', 3, { stacks: ['a', 'gone', 'b'] });

    expect(results(report)).toEqual({ a: 'applied', gone: 'missing', b: 'applied' });
  });

  test('on cancel, interrupts the running apply once, and says to plan it again', async () => {
    const { run, calls } = fakeSetup(['a', 'b'], {}, 'a=apply-hang');
    await run('plan');
    const cancel = new AbortController();
    const running = run('apply', 1, { signal: cancel.signal });
    await until(() => calls().some((c) => c.phase === 'ready'));

    cancel.abort();
    const report = await running;

    expect(results(report)).toEqual({ a: 'interrupted', b: 'cancelled' });
    expect(report.stacks[0].message).toContain('part of its plan may be applied, and the saved plan cannot be applied again: plan it again');
  });

  test('when it cannot run at all, says why in the report of every stack', async () => {
    const { run, plansDir } = fakeSetup(['a', 'b']);

    await expect(run('apply', 3, { offline: true })).rejects.toThrow('apply needs AWS credentials');

    const report = JSON.parse(readFileSync(path.join(plansDir, 'apply.json'), 'utf8')) as ShardReport;
    expect(results(report)).toEqual({ a: 'failed', b: 'failed' });
    expect(report.stacks[0].message).toBe('the shard runner stopped: apply needs AWS credentials: --offline only plans');
  });

  test('reports a stack whose plan failed as not planned, and applies nothing of it', async () => {
    const { run, calls } = fakeSetup(['a', 'b'], {}, 'b=plan-fail');
    await run('plan');

    const report = await run('apply');

    expect(results(report)).toEqual({ a: 'applied', b: 'not-planned' });
    expect(calls().filter((c) => c.stack === 'b' && c.what.startsWith('apply'))).toEqual([]);
  });
});

describe('npm run shard (command line)', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'rollout', 'shard.ts'), ...args], {
      cwd: tempDir(),
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  test('exits 1 once every stack ran when one failed, naming it', () => {
    const { dir } = fakeSetup(['a', 'b'], {}, 'a=plan-fail');
    const result = cli(['plan', '--stacks', 'a b', '--dir', path.join(dir, 'cdktf.out', 'stacks'), '--plans', path.join(dir, 'plans')], {
      PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}`,
      FAKE_TF: 'a=plan-fail',
      FAKE_TF_LOG: path.join(dir, 'calls.log'),
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('terraform plan of 2 stacks');
    expect(result.stderr).toContain('1 failed: a (failed)');
    expect(existsSync(path.join(dir, 'plans', 'b.tfplan'))).toBe(true);
  });

  test('refuses to apply offline', () => {
    const result = cli(['apply', '--stacks', 'a', '--offline']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--offline is for plan only');
  });

  test('refuses a command other than plan or apply', () => {
    expect(cli(['destroy', '--stacks', 'a']).stderr).toContain('Unknown command "destroy": plan or apply');
  });

  terraformTest(
    'plans synthesized stacks offline with the real terraform, the management stack with the log-archive stack',
    () => {
      const { stacksDir } = synthFile(path.join(ROOT, 'examples', 'organization.json'));
      const plans = tempDir('ddct-plans-');

      const result = cli(['plan', '--offline', '--stacks', 'log-archive management', '--dir', stacksDir, '--plans', plans, '--parallel', '2']);

      expect(result.status).toBe(0);
      const report = JSON.parse(readFileSync(path.join(plans, 'plan.json'), 'utf8')) as ShardReport;
      expect(report.offline).toBe(true);
      expect(results(report)).toEqual({ 'log-archive': 'changes', management: 'changes' });
      expect(report.stacks.every((o) => (o.add ?? 0) > 0 && o.initSeconds !== undefined && o.seconds !== undefined)).toBe(true);
      expect(existsSync(path.join(plans, 'management.tfplan'))).toBe(true);
    },
    120_000,
  );
});

/** A stack of the built-in terraform_data alone (no provider to install), with local state. */
const dataStack = (n: number, sleepSeconds = 0) => ({
  variable: { n: { default: n } },
  resource: {
    terraform_data: {
      slow: { triggers_replace: '${var.n}', ...(sleepSeconds ? { provisioner: [{ 'local-exec': { command: `sleep ${sleepSeconds}` } }] } : {}) },
    },
  },
});

/** Stacks for the real terraform, and runShard on them (local state in each stack's directory). */
function realSetup(stacks: Record<string, object>) {
  const dir = tempDir('ddct-shard-real-');
  const stacksDir = path.join(dir, 'stacks');
  const stackDir = (stack: string) => path.join(stacksDir, stack);
  for (const [stack, config] of Object.entries(stacks)) {
    mkdirSync(stackDir(stack), { recursive: true });
    writeFileSync(path.join(stackDir(stack), 'cdk.tf.json'), JSON.stringify(config));
  }
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: os.devNull };
  const plansDir = path.join(dir, 'plans');
  const run = (command: ShardOptions['command'], options: Partial<ShardOptions> = {}) =>
    runShard({ command, stacks: Object.keys(stacks), stacksDir, plansDir, parallel: 2, shard: 'w1-r1-001', env, log: () => undefined, ...options });
  /** terraform itself in a stack's directory: another run, as a person or another job would start it. */
  const terraform = (stack: string, args: string[]) => {
    const result = spawnSync('terraform', [...args, '-no-color'], { cwd: stackDir(stack), env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`terraform ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  };
  return { stackDir, plansDir, run, terraform, env };
}

describe('npm run shard with the real terraform, local state', () => {
  terraformTest('reports a saved plan the state moved past as stale, in terraform\'s words "Saved plan is stale"', async () => {
    const { run, terraform, plansDir } = realSetup({ a: dataStack(1) });
    await run('plan');
    terraform('a', ['apply', '-auto-approve', '-input=false', '-var', 'n=2']);

    const report = await run('apply');

    expect(results(report)).toEqual({ a: 'stale' });
    expect(readFileSync(path.join(plansDir, 'a.apply.txt'), 'utf8')).toContain('Error: Saved plan is stale');
  });

  terraformTest('reports a saved plan against a state of another lineage as stale, not failed', async () => {
    const { run, terraform, plansDir, stackDir } = realSetup({ a: dataStack(1) });
    terraform('a', ['init', '-input=false']);
    terraform('a', ['apply', '-auto-approve', '-input=false']);
    writeFileSync(path.join(stackDir('a'), 'cdk.tf.json'), JSON.stringify(dataStack(2)));
    await run('plan');
    const stateFile = path.join(stackDir('a'), 'terraform.tfstate');
    writeFileSync(stateFile, JSON.stringify({ ...JSON.parse(readFileSync(stateFile, 'utf8')), lineage: '00000000-1111-2222-3333-444444444444' }));

    const report = await run('apply');

    expect(results(report)).toEqual({ a: 'stale' });
    expect(report.stacks[0].message).toContain('another lineage');
    expect(readFileSync(path.join(plansDir, 'a.apply.txt'), 'utf8')).toContain('Error: Saved plan does not match the given state');
  });

  terraformTest('reports a state locked by another run as locked, naming the lock terraform reports', async () => {
    const { run, terraform, stackDir, env } = realSetup({ a: dataStack(1, 8) });
    terraform('a', ['init', '-input=false']);
    const holder = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-var', 'n=3', '-no-color'], { cwd: stackDir('a'), env, stdio: 'ignore' });
    const held = new Promise((resolve) => holder.on('close', resolve));
    const lockFile = path.join(stackDir('a'), '.terraform.tfstate.lock.info');
    await until(() => existsSync(lockFile));

    const report = await run('plan', { lockTimeoutSeconds: 1 });

    expect(results(report)).toEqual({ a: 'locked' });
    expect(report.stacks[0].lock?.id).toBe((JSON.parse(readFileSync(lockFile, 'utf8')) as { ID: string }).ID);
    expect(report.stacks[0].message).toContain(`terraform force-unlock -force ${report.stacks[0].lock?.id}`);
    await held;
  }, 60_000);

  terraformTest('interrupts an apply out of its time limit once: terraform stops gracefully, and the stack is interrupted', async () => {
    const { run, plansDir } = realSetup({ a: dataStack(1, 30) });
    await run('plan');

    const report = await run('apply', { timeoutMs: 3000 });

    expect(results(report)).toEqual({ a: 'interrupted' });
    const output = readFileSync(path.join(plansDir, 'a.apply.txt'), 'utf8');
    expect(output).toContain('Interrupt received.');
    expect(output).not.toContain('Two interrupts received');
  }, 60_000);
});

describe('writeRoleOverride', () => {
  test("points the stack's assume_role at the named role of the same account", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ provider: { aws: [{ assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/OrganizationAccountAccessRole' }] }] } }));

    writeRoleOverride(dir, 'ReadOnly');

    expect(JSON.parse(readFileSync(path.join(dir, 'plan_override.tf.json'), 'utf8'))).toEqual({
      provider: { aws: [{ assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/ReadOnly', session_name: 'datadog-cloudtrail-plan' }] }] },
    });
  });

  test('writes nothing for a stack that assumes no role', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ provider: { aws: [{ region: 'us-east-1' }] } }));

    writeRoleOverride(dir, 'ReadOnly');

    expect(existsSync(path.join(dir, 'plan_override.tf.json'))).toBe(false);
  });
});
