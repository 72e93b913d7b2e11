/**
 * What AWS would decide, simulated on the policies the single-account example synthesizes:
 * who may assume the Datadog role, what it may read, who may write to the trail bucket.
 */
import * as path from 'node:path';
import { lambdaPermissionDocument } from '../policies/lambda-permission';
import { type PolicyDocument, simulate } from './support/simulate';
import { parsePolicy, type Synthesized, synthFile } from './support/synth';

const { stacks } = synthFile(path.join(__dirname, '..', 'examples', 'single-account.json')) as Synthesized;
const prod = stacks.prod;
const doc = (type: string, name: string, attribute = 'policy') => parsePolicy(prod.resource[type][name][attribute]) as PolicyDocument;

const ACCOUNT = '111111111111';
const BUCKET = `acme-cloudtrail-logs-${ACCOUNT}`;
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/datadog-cloudtrail`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/DatadogIntegrationRole`;
const LOG_OBJECT = `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/25/${ACCOUNT}_CloudTrail_us-east-1_20261125T0000Z_abc.json.gz`;
const EXTERNAL_ID = 'acb8f6b8a844443dbb726d07dcb1a870';

const trust = doc('aws_iam_role', 'datadog-role_role', 'assume_role_policy');
const datadogPolicy = doc('aws_iam_role_policy', 'datadog-role_cloudtrail-policy');
const bucketPolicy = doc('aws_s3_bucket_policy', 'trail-bucket_logs_policy');
const keyPolicy = doc('aws_kms_key', 'trail-key_key');

/** A role in Datadog's AWS account, standing in for Datadog (the simulator does not model the root user). */
const DATADOG_CALLER = 'arn:aws:iam::464622532012:role/DatadogIntegrationAssumer';
const callerMayAssume: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };

describe('the Datadog integration role trust policy', () => {
  const assume = (principal: string, context: Record<string, string>) =>
    simulate({ principal, action: 'sts:AssumeRole', resource: ROLE_ARN, resourcePolicy: trust, identityPolicies: [callerMayAssume], context });

  test("lets Datadog's account assume the role with the external ID", async () => {
    expect(await assume(DATADOG_CALLER, { 'sts:ExternalId': EXTERNAL_ID })).toBe('Allowed');
  });

  test("refuses Datadog's account without the external ID", async () => {
    expect(await assume(DATADOG_CALLER, {})).not.toBe('Allowed');
  });

  test("refuses Datadog's account with another customer's external ID", async () => {
    expect(await assume(DATADOG_CALLER, { 'sts:ExternalId': 'ffffffffffffffffffffffffffffffff' })).not.toBe('Allowed');
  });

  test('refuses another AWS account that knows the external ID', async () => {
    expect(await assume('arn:aws:iam::999999999999:role/Attacker', { 'sts:ExternalId': EXTERNAL_ID })).not.toBe('Allowed');
  });
});

describe('the Datadog integration role permissions', () => {
  const asDatadogRole = (action: string, resource: string, context: Record<string, string> = {}) =>
    simulate({ principal: ROLE_ARN, action, resource, resourceAccount: ACCOUNT, identityPolicies: [datadogPolicy], resourcePolicy: bucketPolicy, context: { 'aws:SecureTransport': 'true', ...context } });

  test('may read a log object of the trail bucket', async () => {
    expect(await asDatadogRole('s3:GetObject', LOG_OBJECT)).toBe('Allowed');
  });

  test('may list the trail bucket and find its region', async () => {
    expect(await asDatadogRole('s3:ListBucket', `arn:aws:s3:::${BUCKET}`)).toBe('Allowed');
    expect(await asDatadogRole('s3:GetBucketLocation', `arn:aws:s3:::${BUCKET}`)).toBe('Allowed');
  });

  test("may not read another bucket's objects", async () => {
    const other = { principal: ROLE_ARN, action: 's3:GetObject', resource: 'arn:aws:s3:::acme-payroll/salaries.csv', resourceAccount: ACCOUNT, identityPolicies: [datadogPolicy] };
    expect(await simulate(other)).not.toBe('Allowed');
  });

  test('may not read the trail bucket over plain HTTP', async () => {
    expect(await asDatadogRole('s3:GetObject', LOG_OBJECT, { 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
  });

  test.each([
    ['s3:PutObject', LOG_OBJECT],
    ['s3:DeleteObject', LOG_OBJECT],
    ['s3:PutBucketPolicy', `arn:aws:s3:::${BUCKET}`],
    ['cloudtrail:StopLogging', TRAIL_ARN],
    ['cloudtrail:DeleteTrail', TRAIL_ARN],
  ])('may not %s', async (action, resource) => {
    expect(await asDatadogRole(action, resource)).not.toBe('Allowed');
  });

  test('may check the status of the trail', async () => {
    expect(await asDatadogRole('cloudtrail:GetTrailStatus', TRAIL_ARN)).toBe('Allowed');
  });

  const decryptWithTrailKey = (context: Record<string, string | string[]>) =>
    simulate({
      principal: ROLE_ARN,
      action: 'kms:Decrypt',
      resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
      identityPolicies: [datadogPolicy],
      resourcePolicy: keyPolicy,
      context: { 'kms:ResourceAliases': ['alias/datadog-cloudtrail'], ...context },
    });

  test('may decrypt log files with the trail key, found by its alias', async () => {
    expect(await decryptWithTrailKey({ 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL_ARN })).toBe('Allowed');
  });

  test('may not decrypt anything else with the trail key', async () => {
    expect(await decryptWithTrailKey({})).not.toBe('Allowed');
  });
});

describe('the trail bucket policy', () => {
  const cloudTrailPut = (resource: string, context: Record<string, string>) =>
    simulate({ principal: 'cloudtrail.amazonaws.com', action: 's3:PutObject', resource, resourceAccount: ACCOUNT, resourcePolicy: bucketPolicy, context: { 'aws:SecureTransport': 'true', ...context } });
  const fromTheTrail = { 'aws:SourceArn': TRAIL_ARN, 's3:x-amz-acl': 'bucket-owner-full-control' };

  test("lets CloudTrail write the account's logs for this trail", async () => {
    expect(await cloudTrailPut(LOG_OBJECT, fromTheTrail)).toBe('Allowed');
  });

  test('lets CloudTrail check the bucket ACL for this trail', async () => {
    const decision = await simulate({ principal: 'cloudtrail.amazonaws.com', action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${BUCKET}`, resourceAccount: ACCOUNT, resourcePolicy: bucketPolicy, context: { 'aws:SecureTransport': 'true', 'aws:SourceArn': TRAIL_ARN } });
    expect(decision).toBe('Allowed');
  });

  test('refuses another trail, even in the same account', async () => {
    expect(await cloudTrailPut(LOG_OBJECT, { ...fromTheTrail, 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other` })).not.toBe('Allowed');
  });

  test("refuses another account's trail", async () => {
    expect(await cloudTrailPut(LOG_OBJECT, { ...fromTheTrail, 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:999999999999:trail/datadog-cloudtrail' })).not.toBe('Allowed');
  });

  test('refuses a write without bucket-owner-full-control', async () => {
    expect(await cloudTrailPut(LOG_OBJECT, { 'aws:SourceArn': TRAIL_ARN })).not.toBe('Allowed');
  });

  test('refuses a write outside AWSLogs/<account>/', async () => {
    expect(await cloudTrailPut(`arn:aws:s3:::${BUCKET}/elsewhere/file.json.gz`, fromTheTrail)).not.toBe('Allowed');
    expect(await cloudTrailPut(`arn:aws:s3:::${BUCKET}/AWSLogs/999999999999/file.json.gz`, fromTheTrail)).not.toBe('Allowed');
  });

  test('refuses plain HTTP, even from the trail', async () => {
    expect(await cloudTrailPut(LOG_OBJECT, { ...fromTheTrail, 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
  });

  test('gives a stranger nothing', async () => {
    const decision = await simulate({ principal: 'arn:aws:iam::999999999999:role/Stranger', action: 's3:GetObject', resource: LOG_OBJECT, resourceAccount: ACCOUNT, resourcePolicy: bucketPolicy, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }], context: { 'aws:SecureTransport': 'true' } });
    expect(decision).not.toBe('Allowed');
  });
});

describe('the trail key policy', () => {
  test('lets CloudTrail encrypt for this trail, with its encryption context', async () => {
    const decision = await simulate({ principal: 'cloudtrail.amazonaws.com', action: 'kms:GenerateDataKey', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`, resourcePolicy: keyPolicy, context: { 'aws:SourceArn': TRAIL_ARN, 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL_ARN } });
    expect(decision).toBe('Allowed');
  });

  test('refuses CloudTrail encrypting for another trail', async () => {
    const other = `arn:aws:cloudtrail:us-east-1:999999999999:trail/x`;
    const decision = await simulate({ principal: 'cloudtrail.amazonaws.com', action: 'kms:GenerateDataKey', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`, resourcePolicy: keyPolicy, context: { 'aws:SourceArn': other, 'kms:EncryptionContext:aws:cloudtrail:arn': other } });
    expect(decision).not.toBe('Allowed');
  });
});

describe('the forwarder', () => {
  const forwarderRole = `arn:aws:iam::${ACCOUNT}:role/DatadogForwarder-role`;
  const forwarderPolicy = doc('aws_iam_role_policy', 'forwarder_policy');
  const permission = prod.resource.aws_lambda_permission['forwarder-trigger_permission'];
  const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:DatadogForwarder`;
  /** A reference to a bucket's ARN, as AWS resolves it at apply time. */
  const bucketArnOf = (reference: string) => {
    const name = /^\$\{aws_s3_bucket\.([^.]+)\.arn\}$/.exec(reference)?.[1] as string;
    return `arn:aws:s3:::${String(prod.resource.aws_s3_bucket[name].bucket)}`;
  };
  /** The resource policy statement aws_lambda_permission adds to the function, its references resolved as at apply time. */
  const functionPolicy = lambdaPermissionDocument({ ...permission, function_name: FUNCTION_ARN, source_arn: bucketArnOf(String(permission.source_arn)) }) as unknown as PolicyDocument;
  const s3Invokes = (context: Record<string, string>) =>
    simulate({ principal: 's3.amazonaws.com', action: 'lambda:InvokeFunction', resource: FUNCTION_ARN, resourcePolicy: functionPolicy, context });

  test('may read log objects of the trail bucket', async () => {
    const decision = await simulate({ principal: forwarderRole, action: 's3:GetObject', resource: LOG_OBJECT, resourceAccount: ACCOUNT, identityPolicies: [forwarderPolicy], resourcePolicy: bucketPolicy, context: { 'aws:SecureTransport': 'true' } });
    expect(decision).toBe('Allowed');
  });

  test("may not read another bucket's objects", async () => {
    const decision = await simulate({ principal: forwarderRole, action: 's3:GetObject', resource: 'arn:aws:s3:::acme-payroll/salaries.csv', resourceAccount: ACCOUNT, identityPolicies: [forwarderPolicy] });
    expect(decision).not.toBe('Allowed');
  });

  test('may read the Datadog API key secret and no other secret', async () => {
    const read = (resource: string) => simulate({ principal: forwarderRole, action: 'secretsmanager:GetSecretValue', resource, identityPolicies: [forwarderPolicy] });
    expect(await read('arn:aws:secretsmanager:us-east-1:111111111111:secret:datadog-api-key-AbCdEf')).toBe('Allowed');
    expect(await read('arn:aws:secretsmanager:us-east-1:111111111111:secret:database-password-XyZ123')).not.toBe('Allowed');
  });

  test('may be invoked by S3 for the trail bucket in its account', async () => {
    expect(await s3Invokes({ 'aws:SourceArn': `arn:aws:s3:::${BUCKET}`, 'aws:SourceAccount': ACCOUNT })).toBe('Allowed');
  });

  test('may not be invoked by S3 for another bucket', async () => {
    expect(await s3Invokes({ 'aws:SourceArn': 'arn:aws:s3:::someone-elses-bucket', 'aws:SourceAccount': ACCOUNT })).not.toBe('Allowed');
  });

  test('may not be invoked by S3 for a bucket of the same name owned by another account', async () => {
    expect(await s3Invokes({ 'aws:SourceArn': `arn:aws:s3:::${BUCKET}`, 'aws:SourceAccount': '999999999999' })).not.toBe('Allowed');
  });
});

describe("the forwarder's failed-event store", () => {
  const forwarderRole = `arn:aws:iam::${ACCOUNT}:role/DatadogForwarder-role`;
  const forwarderPolicy = doc('aws_iam_role_policy', 'forwarder_policy');
  const STORE = `arn:aws:sqs:us-east-1:${ACCOUNT}:DatadogForwarder-failed-events`;
  const FAILURE_QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:DatadogForwarder-failed-invocations`;
  const may = (action: string, resource: string) => simulate({ principal: forwarderRole, action, resource, identityPolicies: [forwarderPolicy] });

  test("may store, receive, delete and hand back messages of its store, as Datadog's template grants", async () => {
    for (const action of ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
      expect([action, await may(action, STORE)]).toEqual([action, 'Allowed']);
    }
  });

  test('may not purge or delete its store, nor change who may use it', async () => {
    for (const action of ['sqs:PurgeQueue', 'sqs:DeleteQueue', 'sqs:SetQueueAttributes']) {
      expect([action, await may(action, STORE)]).toEqual([action, 'ImplicitlyDenied']);
    }
  });

  test('may only send to the queue of failed invocations, never read it', async () => {
    expect(await may('sqs:SendMessage', FAILURE_QUEUE)).toBe('Allowed');
    expect(await may('sqs:ReceiveMessage', FAILURE_QUEUE)).toBe('ImplicitlyDenied');
  });

  test('may not send to a queue of its own choosing', async () => {
    expect(await may('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:exfiltration`)).toBe('ImplicitlyDenied');
  });
});

describe('the retry schedule', () => {
  const trustPolicy = doc('aws_iam_role', 'forwarder_retry-schedule_role', 'assume_role_policy');
  const invokePolicy = doc('aws_iam_role_policy', 'forwarder_retry-schedule_policy');
  // The role's name is generated from a prefix at apply time.
  const RETRY_ROLE = `arn:aws:iam::${ACCOUNT}:role/DatadogForwarder-retry-20261204000000000000000001`;
  const DEFAULT_GROUP = `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/default`;
  const schedulerAssumes = (context: Record<string, string>) =>
    simulate({ principal: 'scheduler.amazonaws.com', action: 'sts:AssumeRole', resource: RETRY_ROLE, resourcePolicy: trustPolicy, context });

  test("lets EventBridge Scheduler assume its role for a schedule of this account's default group", async () => {
    expect(await schedulerAssumes({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': DEFAULT_GROUP })).toBe('Allowed');
  });

  test("refuses EventBridge Scheduler acting for another account's schedule (the confused deputy)", async () => {
    expect(await schedulerAssumes({ 'aws:SourceAccount': '999999999999', 'aws:SourceArn': 'arn:aws:scheduler:us-east-1:999999999999:schedule-group/default' })).not.toBe('Allowed');
  });

  test('refuses a schedule of another group of the same account', async () => {
    expect(await schedulerAssumes({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/other` })).not.toBe('Allowed');
  });

  test('refuses any other service', async () => {
    const decision = await simulate({ principal: 'lambda.amazonaws.com', action: 'sts:AssumeRole', resource: RETRY_ROLE, resourcePolicy: trustPolicy, context: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': DEFAULT_GROUP } });
    expect(decision).not.toBe('Allowed');
  });

  test('may invoke the forwarder, and no other function, nor change the forwarder', async () => {
    const may = (action: string, resource: string) => simulate({ principal: RETRY_ROLE, action, resource, identityPolicies: [invokePolicy] });
    expect(await may('lambda:InvokeFunction', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:DatadogForwarder`)).toBe('Allowed');
    expect(await may('lambda:InvokeFunction', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:Payroll`)).toBe('ImplicitlyDenied');
    expect(await may('lambda:UpdateFunctionCode', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:DatadogForwarder`)).toBe('ImplicitlyDenied');
  });
});
