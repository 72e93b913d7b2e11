/** The rule table against the config switches: only a named switch opts a stack out of a rule. */
import { checkParsedStacks } from '../rules/engine';
import { type TestConfig, validConfig } from './support/configs';
import type { PlannedConfig } from '../config/plan';
import { DATADOG_POLICY, editPolicy } from './support/planted-violations';
import { synthConfig, type TfJson } from './support/synth';

/** The rules a config's one stack breaks, and those it opts out of, checked with that config. */
function verdicts(mutate: (config: TestConfig) => void): { failed: string[]; optedOut: string[] } {
  const input = validConfig();
  mutate(input);
  const { stacks, config } = synthConfig(input);
  const report = checkParsedStacks(stacks, config);
  const rules = (status: string) => report.rules.filter((r) => r.status === status).map((r) => r.id);
  return { failed: rules('failed'), optedOut: rules('opted out') };
}

const DEFAULT_OPT_OUTS = ['trail-cloudwatch-logs', 'trail-s3-write-events', 'trail-s3-read-events'];

describe('the security rule table with the config', () => {
  test('breaks nothing with the default config, which leaves CloudWatch Logs delivery and S3 data events off', () => {
    expect(verdicts(() => undefined)).toEqual({ failed: [], optedOut: DEFAULT_OPT_OUTS });
  });

  test('reports the CloudTrail and S3 encryption rules as opted out by trail.kms: false', () => {
    expect(verdicts((c) => void (c.trail.kms = false))).toEqual({ failed: [], optedOut: ['trail-kms', ...DEFAULT_OPT_OUTS, 'trail-bucket-kms'] });
  });

  test('reports the access logging rule as opted out by trail.accessLogging: false', () => {
    expect(verdicts((c) => void (c.trail.accessLogging = false))).toEqual({ failed: [], optedOut: [...DEFAULT_OPT_OUTS, 'trail-bucket-access-logging'] });
  });

  test('accepts access logs sent to a bucket the user names', () => {
    expect(verdicts((c) => void (c.trail.accessLogging = { bucketName: 'acme-s3-access-logs' })).failed).toEqual([]);
  });

  test('holds the CloudWatch Logs and read-event rules once the config turns them on', () => {
    expect(
      verdicts((c) => {
        c.trail.cloudWatchLogs = { enabled: true };
        c.trail.s3DataEvents = 'read';
      }),
    ).toEqual({ failed: [], optedOut: ['trail-s3-write-events'] });
  });

  describe("with Datadog's metric collection (datadog.collectMetrics)", () => {
    const metrics = () => {
      const input = validConfig();
      delete input.datadog.externalId;
      input.datadog.manageIntegration = true;
      input.datadog.collectMetrics = true;
      return synthConfig(input);
    };
    const failed = (stacks: Record<string, TfJson>, config: PlannedConfig) => checkParsedStacks(stacks, config).rules.filter((r) => r.status === 'failed').map((r) => r.id);

    test("breaks nothing: the metrics policy grants Datadog's documented read permissions on \"*\"", () => {
      const { stacks, config } = metrics();
      expect(failed(stacks, config)).toEqual([]);
    });

    test('still refuses an undocumented action in the metrics policy, and a metrics permission in the CloudTrail policy', () => {
      const { stacks, config } = metrics();
      editPolicy(stacks.prod, 'aws_iam_role_policy.datadog-role_metrics-policy', 'policy', (d) => void d.Statement[0].Action.push('s3:GetObject'));
      editPolicy(stacks.prod, DATADOG_POLICY, 'policy', (d) => void d.Statement.push({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }));
      expect(checkParsedStacks(stacks, config).violations.filter((v) => v.rule === 'role-policy-actions').map((v) => `${v.address}: ${v.problem}`)).toEqual([
        expect.stringMatching(/^aws_iam_role_policy\.datadog-role_cloudtrail-policy: .* grants ec2:Describe\*: a wildcard action$/),
        expect.stringMatching(/^aws_iam_role_policy\.datadog-role_metrics-policy: .* grants s3:GetObject, which is not among the permissions Datadog documents/),
      ]);
    });
  });

  test('fails, not opts out, a stack synthesized with trail.kms: false when checked without its config', () => {
    const input = validConfig();
    input.trail.kms = false;
    const report = checkParsedStacks(synthConfig(input).stacks);
    expect(report.rules.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['trail-kms', 'trail-bucket-kms']);
  });
});
