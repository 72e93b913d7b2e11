import { parseConfig } from '../config/load';
import type { PlannedConfig } from '../config/plan';
import { datadogCloudTrailPolicy, datadogRolePolicies, datadogTrustPolicy } from '../policies/datadog-role';
import type { PolicyStatement } from '../policies/types';
import { EXTERNAL_ID, validConfig } from './support/configs';

const actionsOf = (statements: PolicyStatement[]) => statements.flatMap((s) => [s.Action].flat());
const bySid = (statements: PolicyStatement[], sid: string) => statements.find((s) => s.Sid === sid) as PolicyStatement;

function singleAccount(): PlannedConfig {
  return parseConfig(JSON.stringify(validConfig()), 'test.json');
}

/** The policies of the first account's role, with the settings its stack passes. */
function firstRolePolicies(config: PlannedConfig) {
  const { manageIntegration, collectMetrics } = config.datadog;
  return datadogRolePolicies(config.plans[0], { manageIntegration, collectMetrics, organization: config.organization !== undefined });
}

describe('datadogTrustPolicy', () => {
  const trust = datadogTrustPolicy({ partition: 'aws-us-gov', datadogAccountId: '065115117704', externalId: EXTERNAL_ID });

  test("trusts only Datadog's account root in the account's partition", () => {
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ AWS: 'arn:aws-us-gov:iam::065115117704:root' });
    expect(trust.Statement[0].Action).toBe('sts:AssumeRole');
  });

  test('requires the external ID with StringEquals', () => {
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': EXTERNAL_ID } });
  });
});

describe('datadogCloudTrailPolicy', () => {
  const policy = datadogCloudTrailPolicy({
    partition: 'aws',
    trailArns: ['arn:aws:cloudtrail:us-east-1:111111111111:trail/t'],
    bucketName: 'logs',
    logPrefixes: ['AWSLogs/111111111111'],
    organization: false,
  });

  test('grants exactly the actions of the Datadog CloudTrail integration page', () => {
    expect(actionsOf(policy.Statement).sort()).toEqual([
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
    ]);
  });

  test('only allows: no Deny, no wildcard action', () => {
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
    }
  });

  test('scopes GetTrailStatus to the trail ARNs', () => {
    expect(bySid(policy.Statement, 'DatadogCloudTrailTrailStatus').Resource).toEqual([
      'arn:aws:cloudtrail:us-east-1:111111111111:trail/t',
    ]);
  });

  test('scopes ListBucket and GetBucketLocation to the trail bucket ARN', () => {
    expect(bySid(policy.Statement, 'DatadogCloudTrailBucket').Resource).toBe('arn:aws:s3:::logs');
  });

  test('scopes GetObject to the log prefixes of the trail bucket', () => {
    expect(bySid(policy.Statement, 'DatadogCloudTrailLogObjects').Resource).toEqual(['arn:aws:s3:::logs/AWSLogs/111111111111/*']);
  });

  test('leaves out organizations:DescribeOrganization without an organization', () => {
    expect(actionsOf(policy.Statement)).not.toContain('organizations:DescribeOrganization');
  });

  test('adds organizations:DescribeOrganization for an organization', () => {
    const org = datadogCloudTrailPolicy({ partition: 'aws', trailArns: [], bucketName: 'logs', logPrefixes: [], organization: true });

    expect(actionsOf(org.Statement)).toContain('organizations:DescribeOrganization');
  });
});

describe('datadogRolePolicies', () => {
  test("derives the trail ARN, bucket and prefix from the account's config", () => {
    const config = singleAccount();

    const { cloudTrail } = firstRolePolicies(config);

    expect(bySid(cloudTrail.Statement, 'DatadogCloudTrailTrailStatus').Resource).toEqual([
      'arn:aws:cloudtrail:us-east-1:111111111111:trail/datadog-cloudtrail',
    ]);
    expect(bySid(cloudTrail.Statement, 'DatadogCloudTrailLogObjects').Resource).toEqual([
      'arn:aws:s3:::acme-cloudtrail-111111111111/AWSLogs/111111111111/*',
    ]);
  });

  test('puts the s3KeyPrefix before AWSLogs/', () => {
    const input = validConfig();
    input.trail.s3KeyPrefix = 'cloudtrail/acme';
    const config = parseConfig(JSON.stringify(input), 'test.json');

    const { cloudTrail } = firstRolePolicies(config);

    expect(bySid(cloudTrail.Statement, 'DatadogCloudTrailLogObjects').Resource).toEqual([
      'arn:aws:s3:::acme-cloudtrail-111111111111/cloudtrail/acme/AWSLogs/111111111111/*',
    ]);
  });

  test('match the reviewed snapshot', () => {
    const config = singleAccount();

    expect(firstRolePolicies(config)).toMatchSnapshot();
  });
});
