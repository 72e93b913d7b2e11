import * as path from 'node:path';
import type { Config } from '../config/types';
import { generateOrganization } from '../tools/generate-organization';
import { parsePolicy, resourcesOfType, synthConfig, synthFile, type TfJson } from './support/synth';

const example = (name: string) => path.join(__dirname, '..', 'examples', `${name}.json`);
const existing = synthFile(example('existing-trail')).stacks;
const controlTower = synthFile(example('control-tower')).stacks;
const datadogStatement = (stack: TfJson, sid: string) =>
  (parsePolicy(stack.resource.aws_iam_role_policy['datadog-role_cloudtrail-policy'].policy).Statement as Array<Record<string, unknown>>).find((s) => s.Sid === sid);

const OWNED_TYPES = ['aws_cloudtrail', 'aws_s3_bucket', 'aws_s3_bucket_policy', 'aws_s3_bucket_notification', 'aws_kms_key'];

describe.each([
  ['existing-trail', existing],
  ['control-tower', controlTower],
])('the %s example', (_name, stacks) => {
  test.each(OWNED_TYPES)('creates no %s in any stack: the trail and bucket stay their owner\'s', (type) => {
    for (const stack of Object.values(stacks)) expect(resourcesOfType(stack, type)).toEqual([]);
  });
});

describe('adopting AWS Control Tower', () => {
  const CT_BUCKET = 'aws-controltower-logs-222222222222-eu-west-1';

  test("scopes each Datadog role to Control Tower's trail, bucket and its own prefix", () => {
    expect(datadogStatement(controlTower.prod, 'DatadogCloudTrailTrailStatus')?.Resource).toEqual([
      'arn:aws:cloudtrail:eu-west-1:111111111111:trail/aws-controltower-BaselineCloudTrail',
    ]);
    expect(datadogStatement(controlTower.prod, 'DatadogCloudTrailLogObjects')?.Resource).toEqual([
      `arn:aws:s3:::${CT_BUCKET}/o-a1b2c3d4e5/AWSLogs/o-a1b2c3d4e5/444444444444/*`,
    ]);
  });

  test("lets the Datadog roles decrypt with the landing zone's key, by its ARN", () => {
    expect(datadogStatement(controlTower.prod, 'DatadogCloudTrailDecryptLogs')?.Resource).toBe(
      'arn:aws:kms:eu-west-1:111111111111:key/6f1d2b7c-9a10-4f0e-9e55-0b3c6c3e1c1a',
    );
  });

  test('subscribes the forwarder to the SNS topic the bucket notifies', () => {
    const [subscription] = resourcesOfType(controlTower['log-archive'], 'aws_sns_topic_subscription');

    expect(subscription).toMatchObject({ topic_arn: 'arn:aws:sns:eu-west-1:222222222222:cloudtrail-log-files', endpoint: '${aws_lambda_function.forwarder_function.arn}' });
  });

  test('lets the forwarder read only the organization trail prefix of the Control Tower bucket', () => {
    const policy = parsePolicy(controlTower['log-archive'].resource.aws_iam_role_policy.forwarder_policy.policy) as { Statement: Array<{ Action: string; Resource: unknown }> };
    expect(policy.Statement.find((s) => s.Action === 's3:GetObject')?.Resource).toEqual([`arn:aws:s3:::${CT_BUCKET}/o-a1b2c3d4e5/AWSLogs/o-a1b2c3d4e5/*`]);
  });

  test('prints the bucket and key policy statements the owner must add, and changes neither', () => {
    const outputs = (controlTower['log-archive'] as TfJson & { output: Record<string, { value: string }> }).output;
    const bucket = parsePolicy(outputs['bucket-policy-statements-to-add'].value) as Array<{ Sid: string }>;
    const key = parsePolicy(outputs['key-policy-statements-to-add'].value) as Array<{ Sid: string }>;

    expect(bucket.map((s) => s.Sid)).toEqual(['AWSDatadogPermissionsForCloudtrail', 'AWSDatadogReadOwnAccountLogs']);
    expect(key.map((s) => s.Sid)).toEqual(['AllowDatadogRolesToDecryptLogs', 'AllowDatadogForwarderToDecryptLogs']);
  });
});

describe('adopting an existing trail', () => {
  test("invokes the existing forwarder through an EventBridge rule on the bucket's log files", () => {
    const [rule] = resourcesOfType(existing.security, 'aws_cloudwatch_event_rule');
    const [target] = resourcesOfType(existing.security, 'aws_cloudwatch_event_target');

    expect(JSON.parse(String(rule.event_pattern))).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['acme-central-cloudtrail'] }, object: { key: [{ wildcard: 'cloudtrail/AWSLogs/*/CloudTrail/*.json.gz' }] } },
    });
    expect(target.arn).toBe('arn:aws:lambda:us-east-1:111111111111:function:DatadogForwarder');
  });

  test('creates no function when the forwarder exists', () => {
    expect(resourcesOfType(existing.security, 'aws_lambda_function')).toEqual([]);
  });

  test('attaches the CloudTrail policy to the existing Datadog roles and creates none', () => {
    for (const stack of Object.values(existing)) {
      expect(resourcesOfType(stack, 'aws_iam_role')).toEqual([]);
      expect(resourcesOfType(stack, 'aws_iam_role_policy')[0]).toMatchObject({ role: 'DatadogIntegrationRole' });
    }
  });

  test("reads each account's own prefix under the trail's prefix", () => {
    expect(datadogStatement(existing.prod, 'DatadogCloudTrailLogObjects')?.Resource).toEqual(['arn:aws:s3:::acme-central-cloudtrail/cloudtrail/AWSLogs/222222222222/*']);
  });
});

describe('createRole: false', () => {
  test('creates no Datadog role in any stack of an organization either', () => {
    const input: Config = generateOrganization(3);
    input.datadog.createRole = false;

    const { stacks } = synthConfig(input);

    for (const stack of Object.values(stacks)) {
      expect(stack.resource.aws_iam_role?.['datadog-role_role']).toBeUndefined();
      expect(stack.resource.aws_iam_role_policy['datadog-role_cloudtrail-policy']).toMatchObject({ role: 'DatadogIntegrationRole' });
    }
  });
});
