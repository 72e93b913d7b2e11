import { forwarderLayerArn } from '../config/arns';
import { forwarderPolicy, type ForwarderPolicyProps, forwarderTrustPolicy } from '../policies/forwarder';
import { retrySchedulePolicy, retryScheduleTrustPolicy } from '../policies/retry-schedule';
import type { PolicyStatement } from '../policies/types';
import { SECRET_ARN } from './support/configs';
import { simulate } from './support/simulate';

const ACCOUNT = '111111111111';
const BUCKET = `acme-cloudtrail-${ACCOUNT}`;
const LOG_GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/DatadogForwarder`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/datadog-cloudtrail`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/DatadogForwarder-role`;
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:DatadogForwarder-failed-invocations`;

const props: ForwarderPolicyProps = {
  partition: 'aws',
  logGroupArn: LOG_GROUP_ARN,
  bucketName: BUCKET,
  logPrefixes: [`AWSLogs/${ACCOUNT}`],
  keyArn: KEY_ARN,
  apiKeySecretArn: SECRET_ARN,
  failureQueueArn: QUEUE_ARN,
};
const policy = forwarderPolicy(props);

const actionsOf = (statements: PolicyStatement[]) => statements.flatMap((s) => [s.Action].flat());
const bySid = (statements: PolicyStatement[], sid: string) => statements.find((s) => s.Sid === sid) as PolicyStatement;

describe('forwarderTrustPolicy', () => {
  test('lets only the Lambda service assume the role', () => {
    expect(forwarderTrustPolicy().Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
  });
});

describe('forwarderPolicy', () => {
  test('grants exactly log writing, log file reading, decryption, the API key read and keeping failed invocations', () => {
    expect(actionsOf(policy.Statement).sort()).toEqual([
      'kms:Decrypt',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage',
    ]);
  });

  test("grants on its failed-event queue exactly what Datadog's template grants on DD_SQS_QUEUE_URL's queue", () => {
    const store = `arn:aws:sqs:us-east-1:${ACCOUNT}:DatadogForwarder-failed-events`;

    expect(bySid(forwarderPolicy({ ...props, failedEventQueueArn: store }).Statement, 'ForwarderStoresAndRetriesFailedEvents')).toEqual({
      Sid: 'ForwarderStoresAndRetriesFailedEvents',
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
      Resource: store,
    });
  });

  test('only allows, with no wildcard action', () => {
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
    }
  });

  test('grants nothing on every resource', () => {
    for (const statement of policy.Statement) expect([statement.Resource].flat()).not.toContain('*');
  });

  test("writes only to the streams of the forwarder's own log group", () => {
    expect(bySid(policy.Statement, 'ForwarderWritesItsOwnLogs').Resource).toBe(`${LOG_GROUP_ARN}:*`);
  });

  test('reads only the objects under the log prefixes of the trail bucket', () => {
    const multiple = forwarderPolicy({ ...props, logPrefixes: ['AWSLogs/o-a1b2c3d4e5', `AWSLogs/${ACCOUNT}`] });

    expect(bySid(multiple.Statement, 'ForwarderReadsTrailLogs').Resource).toEqual([
      `arn:aws:s3:::${BUCKET}/AWSLogs/o-a1b2c3d4e5/*`,
      `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
    ]);
  });

  test('decrypts only with the trail key, and only CloudTrail log files', () => {
    expect(bySid(policy.Statement, 'ForwarderDecryptsTrailLogs')).toMatchObject({
      Resource: KEY_ARN,
      Condition: { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } },
    });
  });

  test('has no KMS statement when the trail has no key', () => {
    expect(actionsOf(forwarderPolicy({ ...props, keyArn: undefined }).Statement)).not.toContain('kms:Decrypt');
  });

  test('reads only the API key secret', () => {
    expect(bySid(policy.Statement, 'ForwarderReadsTheDatadogApiKey').Resource).toBe(SECRET_ARN);
  });

  test('builds ARNs in the partition given', () => {
    const gov = forwarderPolicy({ ...props, partition: 'aws-us-gov' });

    expect(bySid(gov.Statement, 'ForwarderReadsTrailLogs').Resource).toEqual([`arn:aws-us-gov:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`]);
  });

  test('matches the reviewed snapshot', () => {
    expect(policy).toMatchSnapshot();
  });
});

describe('forwarderLayerArn', () => {
  test("names Datadog's layer in the commercial partition", () => {
    expect(forwarderLayerArn('aws', 'eu-west-1', 93)).toBe('arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Forwarder:93');
  });

  test("names Datadog's GovCloud publisher account in aws-us-gov", () => {
    expect(forwarderLayerArn('aws-us-gov', 'us-gov-west-1', 93)).toBe(
      'arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:Datadog-Forwarder:93',
    );
  });
});

describe('the forwarder role permissions, simulated', () => {
  const asForwarder = (action: string, resource: string, extra: Partial<Parameters<typeof simulate>[0]> = {}) =>
    simulate({ principal: ROLE_ARN, action, resource, identityPolicies: [policy], ...extra });
  const LOG_OBJECT = `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/25/${ACCOUNT}_CloudTrail_us-east-1_20261125T0000Z_abc.json.gz`;
  /** The key policy's delegation to the account, without which no IAM policy counts for a key. */
  const keyPolicy = {
    Version: '2012-10-17' as const,
    Statement: [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
  };

  test('may create its log streams and write log events', async () => {
    expect(await asForwarder('logs:CreateLogStream', `${LOG_GROUP_ARN}:log-stream:2026/11/25/[$LATEST]abc`)).toBe('Allowed');
    expect(await asForwarder('logs:PutLogEvents', `${LOG_GROUP_ARN}:log-stream:2026/11/25/[$LATEST]abc`)).toBe('Allowed');
  });

  test("may not write to another function's log group", async () => {
    const other = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/Payroll:log-stream:abc`;
    expect(await asForwarder('logs:PutLogEvents', other)).not.toBe('Allowed');
  });

  test('may read a CloudTrail log file', async () => {
    expect(await asForwarder('s3:GetObject', LOG_OBJECT, { resourceAccount: ACCOUNT })).toBe('Allowed');
  });

  test('may not read objects outside the log prefixes', async () => {
    const elsewhere = `arn:aws:s3:::${BUCKET}/AWSLogs/999999999999/CloudTrail/file.json.gz`;
    expect(await asForwarder('s3:GetObject', elsewhere, { resourceAccount: ACCOUNT })).not.toBe('Allowed');
  });

  test('may decrypt a CloudTrail log file with the trail key', async () => {
    const context = { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL_ARN };
    expect(await asForwarder('kms:Decrypt', KEY_ARN, { resourcePolicy: keyPolicy, context })).toBe('Allowed');
  });

  test('may not decrypt anything else with the trail key', async () => {
    expect(await asForwarder('kms:Decrypt', KEY_ARN, { resourcePolicy: keyPolicy })).not.toBe('Allowed');
  });

  describe('with the API key secret under a customer managed key', () => {
    const SECRET_KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/99999999-8888-7777-6666-555555555555`;
    const withSecretKey = forwarderPolicy({ ...props, apiKeySecretKmsKeyArn: SECRET_KEY_ARN });
    const decryptSecretKey = (context: Record<string, string>) =>
      simulate({ principal: ROLE_ARN, action: 'kms:Decrypt', resource: SECRET_KEY_ARN, identityPolicies: [withSecretKey], resourcePolicy: keyPolicy, context });

    test('may decrypt the secret through Secrets Manager', async () => {
      expect(await decryptSecretKey({ 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': SECRET_ARN })).toBe('Allowed');
    });

    test('may not decrypt with that key directly, or through another service', async () => {
      expect(await decryptSecretKey({ 'kms:EncryptionContext:SecretARN': SECRET_ARN })).not.toBe('Allowed');
      expect(await decryptSecretKey({ 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': SECRET_ARN })).not.toBe('Allowed');
    });

    test('may not decrypt another secret under that key', async () => {
      const other = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:database-password-XyZ123`;
      expect(await decryptSecretKey({ 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': other })).not.toBe('Allowed');
    });

    test('has no such grant without the setting', () => {
      expect(policy.Statement.map((statement) => statement.Sid)).not.toContain('ForwarderDecryptsTheDatadogApiKey');
    });
  });

  test('may send failed invocations to its own queue and no other', async () => {
    expect(await asForwarder('sqs:SendMessage', QUEUE_ARN)).toBe('Allowed');
    expect(await asForwarder('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:payments`)).not.toBe('Allowed');
  });

  test('may read the API key secret and no other', async () => {
    expect(await asForwarder('secretsmanager:GetSecretValue', SECRET_ARN)).toBe('Allowed');
    const other = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:database-password-XyZ123`;
    expect(await asForwarder('secretsmanager:GetSecretValue', other)).not.toBe('Allowed');
  });
});

describe('the retry schedule policies', () => {
  test('trust EventBridge Scheduler only for the account and its default schedule group', () => {
    expect(retryScheduleTrustPolicy({ partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: ACCOUNT }).Statement).toEqual([
      {
        Sid: 'SchedulerAssumesTheRetryRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws-us-gov:scheduler:us-gov-west-1:${ACCOUNT}:schedule-group/default` } },
      },
    ]);
  });

  test('let the role invoke the one function it is given', () => {
    const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:DatadogForwarder`;

    expect(retrySchedulePolicy(fn).Statement).toEqual([{ Sid: 'SchedulerInvokesTheForwarder', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn }]);
  });
});
