/** The offline diff asks for a security review when a change weakens how audit logs are kept. */
import { compareTrees, exitCodeFor, type StackTree } from '../commands/diff/compare';
import type { Config } from '../config/types';
import { type TestConfig, validConfig } from './support/configs';
import { synthConfig } from './support/synth';

const tree = (config: Config): StackTree => synthConfig(config).stacks as unknown as StackTree;
const base = tree(validConfig());
const reviewOf = (mutate: (config: TestConfig) => void) => {
  const config = validConfig();
  mutate(config);
  const diff = compareTrees(base, tree(config));
  return { exitCode: exitCodeFor(diff), reasons: diff.reviewReasons };
};

describe('npm run diff on data protection', () => {
  test.each<[string, (config: TestConfig) => void, string]>([
    ['log retention shortened from 365 days to 1', (c) => { c.trail.retentionDays = 1; }, 'keeps logs for less time (rule[0].expiration[0].days: 365 → 1)'],
    ['KMS turned off', (c) => { c.trail.kms = false; }, 'stops encrypting logs with KMS'],
    ['access logging turned off', (c) => { c.trail.accessLogging = false; }, 'aws_s3_bucket_logging'],
    ['the forwarder log group kept for less time', (c) => { c.forwarder = { logRetentionDays: 7 }; }, 'aws_cloudwatch_log_group'],
  ])('flags %s with exit code 2 and a line in the report', (_what, mutate, line) => {
    const { exitCode, reasons } = reviewOf(mutate);
    expect(exitCode).toBe(2);
    expect(reasons.join('\n')).toContain(line);
  });

  test('flags a narrowed data-event selector', () => {
    const all = validConfig();
    all.trail.s3DataEvents = 'all';
    const write = validConfig();
    write.trail.s3DataEvents = 'write';
    const diff = compareTrees(tree(all), tree(write));
    expect(exitCodeFor(diff)).toBe(2);
    expect(diff.reviewReasons.join('\n')).toContain('changes which events it records');
  });

  test('does not flag a longer retention', () => {
    expect(reviewOf((c) => { c.trail.retentionDays = 400; })).toEqual({ exitCode: 0, reasons: [] });
  });
});
