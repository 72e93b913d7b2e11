import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { finalOutcomes, NEXT_STEP, replanStacks, rolloutMarkdown, roundOf } from '../rollout/outcomes';
import type { ShardReport, StackOutcome } from '../rollout/shard-runner';
import { tempDir } from './support/configs';

const ROOT = path.join(__dirname, '..');
const report = (command: ShardReport['command'], shard: string, stacks: Array<[string, StackOutcome['result']]>): ShardReport => ({
  command,
  shard,
  offline: false,
  finished: true,
  seconds: 1,
  stacks: stacks.map(([stack, result]) => ({ stack, result, ...(result === 'changes' ? { add: 1, change: 0, destroy: 0 } : {}) })),
});
const results = (outcomes: StackOutcome[]) => Object.fromEntries(outcomes.map((o) => [o.stack, o.result]));

describe('finalOutcomes of a roll-out', () => {
  const roundOne = [
    report('plan', 'w2-r1-001', [['a', 'changes'], ['b', 'changes'], ['c', 'no-changes']]),
    report('apply', 'w2-r1-001', [['a', 'applied'], ['b', 'stale'], ['c', 'unchanged']]),
  ];

  test('takes the apply of each stack, and calls a stack without changes unchanged', () => {
    expect(results(finalOutcomes(['a', 'c'], roundOne, { applies: true }))).toEqual({ a: 'applied', c: 'unchanged' });
  });

  test('lets a later round replace a stale plan', () => {
    const roundTwo = [report('plan', 'w2-r2-001', [['b', 'changes']]), report('apply', 'w2-r2-001', [['b', 'applied']])];

    expect(results(finalOutcomes(['a', 'b'], [...roundTwo, ...roundOne], { applies: true }))).toEqual({ a: 'applied', b: 'applied' });
  });

  test('fails a planned change whose shard wrote no apply report, saying the approval or the apply job stopped it', () => {
    const [outcome] = finalOutcomes(['b'], [report('plan', 'w2-r2-001', [['b', 'changes']]), ...roundOne], { applies: true });

    expect(outcome).toMatchObject({ result: 'failed', round: 2 });
    expect(outcome.message).toBe(
      'planned but not applied: shard w2-r2-001 wrote no apply report: the approval of the wave was rejected or never given, or its apply job failed before terraform ran (see the workflow run)',
    );
  });

  test('keeps a stack the apply job found missing as missing, without blaming the approval', () => {
    const missing = { ...report('apply', 'w2-r1-001', [['a', 'applied']]), stacks: [{ stack: 'a', result: 'applied' as const }, { stack: 'gone', result: 'missing' as const, message: 'not synthesized' }] };

    const outcomes = finalOutcomes(['a', 'gone'], [report('plan', 'w2-r1-001', [['a', 'changes'], ['gone', 'changes']]), missing], { applies: true });

    expect(results(outcomes)).toEqual({ a: 'applied', gone: 'missing' });
    expect(outcomes[1].message).toBe('not synthesized');
  });

  test('says what a stack still pending in the last report of a killed job needs', () => {
    const [outcome] = finalOutcomes(['a'], [report('plan', 'w2-r1-001', [['a', 'changes']]), report('apply', 'w2-r1-001', [['a', 'pending']])], { applies: true });

    expect(outcome).toMatchObject({ result: 'pending', message: `its job was killed before it ended: ${NEXT_STEP.pending}` });
  });

  test('fails a stack that no report names', () => {
    expect(finalOutcomes(['z'], roundOne, { applies: true })[0].message).toContain('no report');
  });

  test('keeps plan results as they are for plans nobody applies', () => {
    expect(results(finalOutcomes(['a', 'c'], [roundOne[0]], { applies: false }))).toEqual({ a: 'changes', c: 'no-changes' });
  });

  test('reads the round from the shard id', () => {
    expect([roundOf('w2-r2-001'), roundOf('w10-r1-017'), roundOf('pr-001')]).toEqual([2, 1, 1]);
  });
});

describe('replanStacks', () => {
  test('plans again the stale stacks and those skipped behind them, not those skipped behind a failure', () => {
    const outcomes: StackOutcome[] = [
      { stack: 'log-archive', result: 'stale' },
      { stack: 'management', result: 'skipped', blockedBy: ['log-archive'] },
      { stack: 'a', result: 'failed' },
      { stack: 'b', result: 'skipped', blockedBy: ['a'] },
      { stack: 'c', result: 'applied' },
    ];

    expect(replanStacks(outcomes)).toEqual(['log-archive', 'management']);
  });
});

describe('rolloutMarkdown', () => {
  test('lists the failed stacks and the command that re-runs only them', () => {
    const outcomes = finalOutcomes(['a', 'b', 'c'], [report('apply', 'w3-r1-001', [['a', 'applied'], ['b', 'failed'], ['c', 'skipped']])], { applies: true });

    const markdown = rolloutMarkdown(3, outcomes);

    expect(markdown).toContain('**2 of 3 stacks failed:**');
    expect(markdown).toContain('| b | failed |');
    expect(markdown).toContain('gh workflow run rollout.yml --ref main -f from-wave=3 -f stacks="b c"');
  });

  test('says what to do for each result among the failed stacks', () => {
    const outcomes = finalOutcomes(['a', 'b'], [report('apply', 'w3-r1-001', [['a', 'locked'], ['b', 'interrupted']])], { applies: true });

    const markdown = rolloutMarkdown(3, outcomes);

    expect(markdown).toContain(`- **locked**: ${NEXT_STEP.locked}`);
    expect(markdown).toContain(`- **interrupted**: ${NEXT_STEP.interrupted}`);
  });

  test('re-runs the whole wave when the failed stacks are too many to name in a workflow_dispatch input', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `acct-${String(i).padStart(5, '0')}-`.padEnd(40, 'x'));
    const outcomes = finalOutcomes(names, [report('apply', 'w3-r1-001', names.map((name) => [name, 'failed']))], { applies: true });

    const markdown = rolloutMarkdown(3, outcomes);

    expect(markdown).toContain('gh workflow run rollout.yml --ref main -f from-wave=3\n');
    expect(markdown).not.toContain('-f stacks=');
  });

  test('says so when no stack failed', () => {
    expect(rolloutMarkdown(1, finalOutcomes(['a'], [report('apply', 'w1-r1-001', [['a', 'applied']])], { applies: true }))).toContain('No stack failed.');
  });
});

describe('npm run rollout-report', () => {
  const dir = tempDir('ddct-reports-');
  const write = (artifact: string, value: ShardReport) => {
    mkdirSync(path.join(dir, artifact), { recursive: true });
    writeFileSync(path.join(dir, artifact, `${value.command}.json`), JSON.stringify(value));
  };
  write('plan-w1-r1-001', report('plan', 'w1-r1-001', [['a', 'changes'], ['b', 'changes'], ['c', 'no-changes']]));
  write('apply-w1-r1-001', report('apply', 'w1-r1-001', [['a', 'applied'], ['b', 'stale'], ['c', 'unchanged']]));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'rollout', 'rollout-report.ts'), dir, ...args], { encoding: 'utf8' });

  test('exits 1 with the table when a stack failed', () => {
    const result = run(['--stacks', 'a b c', '--wave', '1']);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('| b | stale |');
  });

  test('prints the stacks to plan again alone with --replan, one a line', () => {
    expect(run(['--stacks', 'a b c', '--replan']).stdout).toBe('b\n');
  });

  test('reads the stacks that were to run from --stacks-file', () => {
    const file = path.join(tempDir(), 'stacks.txt');
    writeFileSync(file, 'a\nb\nc\n');

    expect(run(['--stacks-file', file, '--replan']).stdout).toBe('b\n');
  });

  test('refuses --stacks with --stacks-file', () => {
    const result = run(['--stacks', 'a', '--stacks-file', 'x.txt']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--stacks and --stacks-file contradict each other: give one');
  });

  test('names a --stacks-file it cannot read', () => {
    const result = run(['--stacks-file', 'missing.txt']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--stacks-file missing.txt: cannot read it (ENOENT)');
  });

  test('exits 2 on drift with --drift, listing the drifted stacks', () => {
    const result = run(['--stacks', 'a b c', '--drift']);

    expect(result.status).toBe(2);
    expect(result.stdout).toContain('2 of 3 stacks drifted');
    expect(result.stdout).toContain('| a | changes | 1 | 0 | 0 |');
  });
});
