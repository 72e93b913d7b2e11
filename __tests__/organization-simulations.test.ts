/** What AWS would decide on the organization example's log-archive bucket and key policies. */
import * as path from 'node:path';
import { lambdaPermissionDocument } from '../policies/lambda-permission';
import { type PolicyDocument, simulate } from './support/simulate';
import { parsePolicy, synthFile } from './support/synth';

const { stacks } = synthFile(path.join(__dirname, '..', 'examples', 'organization.json'));
const archive = stacks['log-archive'];
const bucketPolicy = parsePolicy(archive.resource.aws_s3_bucket_policy['trail-bucket_logs_policy'].policy) as PolicyDocument;
const keyPolicy = parsePolicy(archive.resource.aws_kms_key['trail-key_key'].policy) as PolicyDocument;
const memberPolicy = (stack: string) => parsePolicy(stacks[stack].resource.aws_iam_role_policy['datadog-role_cloudtrail-policy'].policy) as PolicyDocument;

const ORG = 'o-a1b2c3d4e5';
const ARCHIVE = '222222222222';
const BUCKET = 'acme-org-cloudtrail-222222222222';
const MANAGEMENT_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-org-trail';
const PROD = '555555555555';
const STAGING = '444444444444';
const logObject = (account: string) => `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG}/${account}/CloudTrail/us-east-1/2026/11/25/${account}_CloudTrail_x.json.gz`;
const datadogRole = (account: string) => `arn:aws:iam::${account}:role/DatadogIntegrationRole`;

const read = (principal: string, resource: string, identity: PolicyDocument, orgId: string) =>
  simulate({ principal, action: 's3:GetObject', resource, resourceAccount: ARCHIVE, identityPolicies: [identity], resourcePolicy: bucketPolicy, context: { 'aws:SecureTransport': 'true', 'aws:PrincipalOrgID': orgId } });

describe('the organization log-archive bucket', () => {
  test("lets a member's Datadog role read its own account's logs", async () => {
    expect(await read(datadogRole(PROD), logObject(PROD), memberPolicy('prod'), ORG)).toBe('Allowed');
  });

  test("does not let a member's Datadog role read another member's logs", async () => {
    const grantsEverything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    expect(await read(datadogRole(PROD), logObject(STAGING), grantsEverything, ORG)).not.toBe('Allowed');
  });

  test('does not let a role of the same name outside the organization read', async () => {
    expect(await read(datadogRole('999999999999'), logObject('999999999999'), memberPolicy('prod'), 'o-zzzzzzzzzz')).not.toBe('Allowed');
  });

  test('does not let another role of a member account read', async () => {
    const grantsEverything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    expect(await read(`arn:aws:iam::${PROD}:role/Developer`, logObject(PROD), grantsEverything, ORG)).not.toBe('Allowed');
  });

  const cloudTrailPut = (resource: string, sourceArn: string) =>
    simulate({ principal: 'cloudtrail.amazonaws.com', action: 's3:PutObject', resource, resourceAccount: ARCHIVE, resourcePolicy: bucketPolicy, context: { 'aws:SecureTransport': 'true', 'aws:SourceArn': sourceArn, 's3:x-amz-acl': 'bucket-owner-full-control' } });

  test("lets CloudTrail write the organization prefix for the management account's trail", async () => {
    expect(await cloudTrailPut(logObject(PROD), MANAGEMENT_TRAIL)).toBe('Allowed');
  });

  test("lets CloudTrail write the management account's own prefix for that trail", async () => {
    expect(await cloudTrailPut(`arn:aws:s3:::${BUCKET}/AWSLogs/111111111111/CloudTrail/x.json.gz`, MANAGEMENT_TRAIL)).toBe('Allowed');
  });

  test("refuses CloudTrail writing the organization prefix for a member's own trail", async () => {
    expect(await cloudTrailPut(logObject(PROD), `arn:aws:cloudtrail:us-east-1:${PROD}:trail/acme-org-trail`)).not.toBe('Allowed');
  });
});

describe('the organization trail key', () => {
  const decrypt = (principal: string, orgId: string, context: Record<string, string>) =>
    simulate({
      principal,
      action: 'kms:Decrypt',
      resource: `arn:aws:kms:us-east-1:${ARCHIVE}:key/11111111-2222-3333-4444-555555555555`,
      identityPolicies: [memberPolicy('prod')],
      resourcePolicy: keyPolicy,
      context: { 'aws:PrincipalOrgID': orgId, 'kms:ResourceAliases': ['alias/acme-org-trail'], ...context },
    });

  test("lets a member's Datadog role decrypt CloudTrail log files", async () => {
    expect(await decrypt(datadogRole(PROD), ORG, { 'kms:EncryptionContext:aws:cloudtrail:arn': MANAGEMENT_TRAIL })).toBe('Allowed');
  });

  test("refuses a member's Datadog role decrypting anything else", async () => {
    expect(await decrypt(datadogRole(PROD), ORG, {})).not.toBe('Allowed');
  });

  test('refuses a Datadog role outside the organization', async () => {
    expect(await decrypt(datadogRole('999999999999'), 'o-zzzzzzzzzz', { 'kms:EncryptionContext:aws:cloudtrail:arn': MANAGEMENT_TRAIL })).not.toBe('Allowed');
  });
});

describe("the organization forwarder's EventBridge trigger", () => {
  const permission = archive.resource.aws_lambda_permission['forwarder-trigger_eventbridge_permission'];
  const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ARCHIVE}:function:DatadogForwarder`;
  // The rule's name is generated from its prefix at apply time.
  const RULE_ARN = `arn:aws:events:us-east-1:${ARCHIVE}:rule/datadog-cloudtrail-20261204000000000000000001`;
  const functionPolicy = lambdaPermissionDocument({ ...permission, function_name: FUNCTION_ARN, source_arn: RULE_ARN }) as unknown as PolicyDocument;
  const eventBridgeInvokes = (sourceArn: string) =>
    simulate({ principal: 'events.amazonaws.com', action: 'lambda:InvokeFunction', resource: FUNCTION_ARN, resourcePolicy: functionPolicy, context: { 'aws:SourceArn': sourceArn } });

  test('lets its rule invoke the forwarder', async () => {
    expect(await eventBridgeInvokes(RULE_ARN)).toBe('Allowed');
  });

  test('refuses any other rule, of this account or another', async () => {
    expect(await eventBridgeInvokes(`arn:aws:events:us-east-1:${ARCHIVE}:rule/someone-elses-rule`)).not.toBe('Allowed');
    expect(await eventBridgeInvokes('arn:aws:events:us-east-1:999999999999:rule/datadog-cloudtrail-20261204000000000000000001')).not.toBe('Allowed');
  });
});
