import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/types';
import { generateOrganization } from '../tools/generate-organization';
import { writeConfig } from './support/configs';
import { addresses, parsePolicy, resourcesOfType, synthConfig, synthFile, synthStacks, type TfJson } from './support/synth';

const example = (): Config => JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', 'organization.json'), 'utf8'));
const synthesized = synthConfig(example());
const { stacks } = synthesized;
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-org-trail';
const BUCKET = 'acme-org-cloudtrail-222222222222';

const statements = (stack: TfJson, type: string) =>
  resourcesOfType(stack, type).flatMap((resource) => parsePolicy(resource.policy).Statement as Array<Record<string, any>>); // eslint-disable-line @typescript-eslint/no-explicit-any -- IAM statements parsed from JSON, whose fields the tests read without a type for each
const bySid = (stack: TfJson, type: string, sid: string) => statements(stack, type).find((s) => s.Sid === sid);

describe('an organization', () => {
  test('gives the management account the organization trail, writing to the log-archive bucket by its alias key', () => {
    const [trail] = resourcesOfType(stacks.management, 'aws_cloudtrail');

    expect(trail).toMatchObject({
      name: 'acme-org-trail',
      is_organization_trail: true,
      is_multi_region_trail: true,
      s3_bucket_name: BUCKET,
      kms_key_id: 'arn:aws:kms:us-east-1:222222222222:alias/acme-org-trail',
    });
    expect(resourcesOfType(stacks.management, 'aws_s3_bucket')).toEqual([]);
  });

  test("trusts in each account's Datadog role only the external ID Datadog issued for that account", () => {
    const trusted = Object.fromEntries(
      Object.entries(stacks).map(([name, stack]) => [
        name,
        resourcesOfType(stack, 'aws_iam_role')
          .filter((role) => role.name === 'DatadogIntegrationRole')
          .flatMap((role) => parsePolicy(role.assume_role_policy).Statement.map((s: { Condition: { StringEquals: Record<string, string> } }) => s.Condition.StringEquals['sts:ExternalId'])),
      ]),
    );

    expect(trusted).toEqual(Object.fromEntries(example().accounts.map((account) => [account.name, [account.externalId]])));
  });

  // CloudTrail returns the key ARN for the alias ARN it was given: comparing them would plan
  // an update at every run (hashicorp/terraform-provider-aws#33928).
  test("sets the organization trail's alias key when it is created and does not compare it afterwards", () => {
    expect(resourcesOfType(stacks.management, 'aws_cloudtrail')[0].lifecycle).toEqual({ ignore_changes: ['kms_key_id'] });
  });

  test('warns at plan time, in the management stack only, when CloudTrail has no trusted access in the organization', () => {
    const withCheck = Object.entries(stacks).filter(([, stack]) => (stack as { check?: unknown }).check !== undefined).map(([name]) => name);
    const check = (stacks.management as { check?: Record<string, { assert: Array<{ condition: string; error_message: string }> }> }).check;

    expect(withCheck).toEqual(['management']);
    expect(check?.cloudtrail_trusted_access.assert[0].condition).toContain('"cloudtrail.amazonaws.com"');
    expect(check?.cloudtrail_trusted_access.assert[0].error_message).toContain('aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com');
  });

  test('deploys the log-archive stack before the management stack', () => {
    const manifest = JSON.parse(readFileSync(path.join(synthesized.outdir, 'manifest.json'), 'utf8'));

    expect(manifest.stacks.management.dependencies).toEqual(['log-archive']);
  });

  test("lets CloudTrail write the organization's prefix and the management account's own, for the management trail only", () => {
    const orgWrite = bySid(stacks['log-archive'], 'aws_s3_bucket_policy', 'AWSCloudTrailOrganizationWrite20150319');
    const accountWrite = bySid(stacks['log-archive'], 'aws_s3_bucket_policy', 'AWSCloudTrailWrite20150319');

    expect(orgWrite?.Resource).toEqual([`arn:aws:s3:::${BUCKET}/AWSLogs/o-a1b2c3d4e5/*`]);
    expect(accountWrite?.Resource).toEqual([`arn:aws:s3:::${BUCKET}/AWSLogs/111111111111/*`]);
    expect(orgWrite?.Condition.StringEquals['aws:SourceArn']).toBe(TRAIL_ARN);
  });

  test('gives member stacks only the Datadog role, reading only their own prefix', () => {
    expect(addresses(stacks.prod)).toEqual(['aws_iam_role.datadog-role_role', 'aws_iam_role_policy.datadog-role_cloudtrail-policy']);
    expect(bySid(stacks.prod, 'aws_iam_role_policy', 'DatadogCloudTrailLogObjects')?.Resource).toEqual([
      `arn:aws:s3:::${BUCKET}/AWSLogs/o-a1b2c3d4e5/555555555555/*`,
    ]);
  });

  test('lets every Datadog role call organizations:DescribeOrganization', () => {
    for (const stack of Object.values(stacks)) {
      expect(bySid(stack, 'aws_iam_role_policy', 'DatadogCloudTrailDescribeOrganization')?.Action).toBe('organizations:DescribeOrganization');
    }
  });

  describe('with CloudWatch Logs delivery', () => {
    const input = example();
    input.trail = { ...input.trail, cloudWatchLogs: { enabled: true } };
    // synthFile applies the security rule table, as `npm run synth` does, and throws on a violation.
    const { stacks: delivering } = synthFile(writeConfig(input));
    const [logGroup] = resourcesOfType(delivering.management, 'aws_cloudwatch_log_group');

    test("encrypts the management account's log group with a key of that account, since the trail key is the log-archive account's", () => {
      expect(logGroup.kms_key_id).toBe('${aws_kms_key.trail-log-group-key_key.arn}');
      expect(resourcesOfType(delivering.management, 'aws_kms_alias')[0].name).toBe('alias/acme-org-trail-cloudwatch-logs');
    });

    test('lets CloudWatch Logs use that key for the trail log group only', () => {
      expect(bySid(delivering.management, 'aws_kms_key', 'AllowCloudWatchLogsForTheTrailLogGroup')?.Condition).toEqual({
        ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/cloudtrail/acme-org-trail' },
      });
    });

    test('keeps the log-archive trail key free of any CloudWatch Logs grant', () => {
      expect(bySid(delivering['log-archive'], 'aws_kms_key', 'AllowCloudWatchLogsForTheTrailLogGroup')).toBeUndefined();
    });
  });

  test('puts trail, bucket and key in one stack when the management account is also the log-archive account', () => {
    const input = example();
    input.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'management', logArchiveAccount: 'management' };
    input.accounts = input.accounts.filter((account) => account.name !== 'log-archive');
    input.datadog.apiKeySecretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:datadog-api-key-AbCdEf';

    const { stacks: single } = synthConfig(input);

    expect(resourcesOfType(single.management, 'aws_cloudtrail')).toHaveLength(1);
    expect(resourcesOfType(single.management, 'aws_kms_key')).toHaveLength(1);
    expect(resourcesOfType(single.management, 'aws_cloudtrail')[0].kms_key_id).toBe('${aws_kms_key.trail-key_key.arn}');
  });

  // The 5,000-member synthesis is timed by `npm run bench`; 1,000 shows the same here.
  test('of 1,000 members synthesizes one stack per account with a log-archive bucket policy as small as for five', () => {
    const large = synthStacks(generateOrganization(1000), ['log-archive']);
    const small = synthStacks(generateOrganization(5), ['log-archive']);
    const policySize = (s: Record<string, TfJson>) => String(resourcesOfType(s['log-archive'], 'aws_s3_bucket_policy')[0].policy).length;

    expect(large.stackNames).toHaveLength(1002);
    expect(policySize(large.stacks)).toBe(policySize(small.stacks));
    expect(policySize(large.stacks)).toBeLessThan(20 * 1024);
  });
});
