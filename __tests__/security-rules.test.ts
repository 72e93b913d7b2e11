import { SECURITY_RULES } from './support/security-rules';
import { type TestConfig, validConfig } from './support/configs';
import { synthConfig } from './support/synth';

/** The ids of the rules a config breaks, in its one stack. */
function brokenRules(mutate: (config: TestConfig) => void): string[] {
  const input = validConfig();
  mutate(input);
  const { stacks } = synthConfig(input);
  return SECURITY_RULES.filter((rule) => rule.check(stacks.prod).length > 0).map((rule) => rule.id);
}

describe('the security rule table', () => {
  test('finds nothing to report with the default config', () => {
    expect(brokenRules(() => undefined)).toEqual([]);
  });

  test('reports the CloudTrail and S3 encryption rules when a user opts out of KMS', () => {
    expect(brokenRules((c) => { c.trail.kms = false; })).toEqual(['CIS 3.5/3.7, CKV_AWS_35, CloudTrail.2', 'CKV_AWS_145, S3.17']);
  });

  test('reports the access logging rule when a user opts out of it', () => {
    expect(brokenRules((c) => { c.trail.accessLogging = false; })).toEqual(['CIS 3.4/3.6, CKV_AWS_18, CloudTrail.7']);
  });

  test('accepts access logs sent to a bucket the user names', () => {
    expect(brokenRules((c) => { c.trail.accessLogging = { bucketName: 'acme-s3-access-logs' }; })).toEqual([]);
  });
});
