/**
 * The outcome of each stack of a roll-out, read from the reports of its shards
 * (rollout/outcomes.ts): which result counts, what to plan again, and the summary with what to do.
 * The command that reports them, `npm run rollout-report`, is specified in
 * processes/rollout-report.test.ts.
 */
import { finalOutcomes, NEXT_STEP, replanStacks, rolloutMarkdown, roundOf } from '../rollout/outcomes';
import type { StackOutcome } from '../rollout/shard-runner';
import { shardReport } from './support/shard-reports';

const results = (outcomes: StackOutcome[]) => Object.fromEntries(outcomes.map((o) => [o.stack, o.result]));

describe('finalOutcomes of a roll-out', () => {
  const roundOne = [
    shardReport('plan', 'w2-r1-001', [['a', 'changes'], ['b', 'changes'], ['c', 'no-changes']]),
    shardReport('apply', 'w2-r1-001', [['a', 'applied'], ['b', 'stale'], ['c', 'unchanged']]),
  ];

  test('takes the apply of each stack, and calls a stack without changes unchanged', () => {
    expect(results(finalOutcomes(['a', 'c'], roundOne, { applies: true }))).toEqual({ a: 'applied', c: 'unchanged' });
  });

  test('lets a later round replace a stale plan', () => {
    const roundTwo = [shardReport('plan', 'w2-r2-001', [['b', 'changes']]), shardReport('apply', 'w2-r2-001', [['b', 'applied']])];

    expect(results(finalOutcomes(['a', 'b'], [...roundTwo, ...roundOne], { applies: true }))).toEqual({ a: 'applied', b: 'applied' });
  });

  test('fails a planned change whose shard wrote no apply report, saying the approval or the apply job stopped it', () => {
    const [outcome] = finalOutcomes(['b'], [shardReport('plan', 'w2-r2-001', [['b', 'changes']]), ...roundOne], { applies: true });

    expect(outcome).toMatchObject({ result: 'failed', round: 2 });
    expect(outcome.message).toBe(
      'planned but not applied: shard w2-r2-001 wrote no apply report: the approval of the wave was rejected or never given, or its apply job failed before terraform ran (see the workflow run)',
    );
  });

  test('keeps a stack the apply job found missing as missing, without blaming the approval', () => {
    const missing = { ...shardReport('apply', 'w2-r1-001', [['a', 'applied']]), stacks: [{ stack: 'a', result: 'applied' as const }, { stack: 'gone', result: 'missing' as const, message: 'not synthesized' }] };

    const outcomes = finalOutcomes(['a', 'gone'], [shardReport('plan', 'w2-r1-001', [['a', 'changes'], ['gone', 'changes']]), missing], { applies: true });

    expect(results(outcomes)).toEqual({ a: 'applied', gone: 'missing' });
    expect(outcomes[1].message).toBe('not synthesized');
  });

  test('says what a stack still pending in the last report of a killed job needs', () => {
    const [outcome] = finalOutcomes(['a'], [shardReport('plan', 'w2-r1-001', [['a', 'changes']]), shardReport('apply', 'w2-r1-001', [['a', 'pending']])], { applies: true });

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
    const outcomes = finalOutcomes(['a', 'b', 'c'], [shardReport('apply', 'w3-r1-001', [['a', 'applied'], ['b', 'failed'], ['c', 'skipped']])], { applies: true });

    const markdown = rolloutMarkdown(3, outcomes);

    expect(markdown).toContain('**2 of 3 stacks failed:**');
    expect(markdown).toContain('| b | failed |');
    expect(markdown).toContain('gh workflow run rollout.yml --ref main -f from-wave=3 -f stacks="b c"');
  });

  test('says what to do for each result among the failed stacks', () => {
    const outcomes = finalOutcomes(['a', 'b'], [shardReport('apply', 'w3-r1-001', [['a', 'locked'], ['b', 'interrupted']])], { applies: true });

    const markdown = rolloutMarkdown(3, outcomes);

    expect(markdown).toContain(`- **locked**: ${NEXT_STEP.locked}`);
    expect(markdown).toContain(`- **interrupted**: ${NEXT_STEP.interrupted}`);
  });

  test('re-runs the whole wave when the failed stacks are too many to name in a workflow_dispatch input', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `acct-${String(i).padStart(5, '0')}-`.padEnd(40, 'x'));
    const outcomes = finalOutcomes(names, [shardReport('apply', 'w3-r1-001', names.map((name) => [name, 'failed']))], { applies: true });

    const markdown = rolloutMarkdown(3, outcomes);

    expect(markdown).toContain('gh workflow run rollout.yml --ref main -f from-wave=3\n');
    expect(markdown).not.toContain('-f stacks=');
  });

  test('says so when no stack failed', () => {
    expect(rolloutMarkdown(1, finalOutcomes(['a'], [shardReport('apply', 'w1-r1-001', [['a', 'applied']])], { applies: true }))).toContain('No stack failed.');
  });
});
