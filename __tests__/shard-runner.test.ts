/**
 * The per-shard runner of the roll-out (rollout/shard.ts): offline with the real terraform,
 * and with a stand-in terraform on PATH for what cannot run here (apply, a stale saved plan).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runShard, type ShardOptions, type ShardReport, writeRoleOverride } from '../rollout/shard-runner';
import { tempDir } from './support/configs';
import { synthFile } from './support/synth';
import { terraformTest } from './support/terraform';

const ROOT = path.join(__dirname, '..');

// Records every call (start and end, with the stack's directory) and behaves, per stack, as
// FAKE_TF says: "<stack>=plan-fail", "=no-changes", "=stale", "=apply-fail".
const FAKE_TERRAFORM = `#!/usr/bin/env bash
stack=$(basename "$PWD")
has() { [[ " $FAKE_TF " == *" $stack=$1 "* ]]; }
log() { echo "$(date +%s.%N) $1 $stack $2" >> "$FAKE_TF_LOG"; }
case "$1" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  init) log start init; touch .terraform.lock.hcl; sleep 0.1; log end init ;;
  plan)
    log start plan
    out=$(printf '%s\\n' "$@" | sed -n 's/^-out=//p')
    echo "plan of $stack" > "$out"
    sleep 0.1
    log end plan
    if has plan-fail; then echo "Error: planning $stack failed"; exit 1; fi
    if has no-changes; then echo "No changes. Your infrastructure matches the configuration."; exit 0; fi
    echo "Plan: 2 to add, 1 to change, 0 to destroy."; exit 2 ;;
  apply)
    log start "apply $*"
    sleep 0.2
    log end apply
    if has stale; then printf 'Error: Saved plan is stale\\n\\nThe given plan file can no longer be applied because the state was changed\\n'; exit 1; fi
    if has apply-fail; then echo "Error: creating IAM Role: AccessDenied"; exit 1; fi
    echo "Apply complete! Resources: 2 added, 1 changed, 0 destroyed." ;;
esac
`;

interface Call {
  time: number;
  phase: 'start' | 'end';
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
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, FAKE_TF: behaviour, FAKE_TF_LOG: logFile };
  const run = (command: ShardOptions['command'], parallel = 3): Promise<ShardReport> =>
    runShard({ command, stacks, stacksDir, plansDir: path.join(dir, 'plans'), parallel, shard: 'w1-001', env, log: () => undefined, pluginCache: path.join(dir, 'cache') });
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
