/**
 * Shard reports as rollout/shard-runner.ts writes them, reduced to what each behaviour needs, for
 * the specification of a roll-out's outcomes (rollout-report.test.ts) and of
 * `npm run rollout-report` (processes/rollout-report.test.ts).
 */
import type { ShardReport, StackOutcome } from '../../rollout/shard-runner';

/** The report of a finished `command` of `shard`: each stack with its result, and one resource to add where it has changes. */
export const shardReport = (command: ShardReport['command'], shard: string, stacks: Array<[string, StackOutcome['result']]>): ShardReport => ({
  command,
  shard,
  offline: false,
  finished: true,
  seconds: 1,
  stacks: stacks.map(([stack, result]) => ({ stack, result, ...(result === 'changes' ? { add: 1, change: 0, destroy: 0 } : {}) })),
});
