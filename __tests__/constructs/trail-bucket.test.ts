import { TrailBucket, type TrailBucketProps } from '../../stacks/trail-bucket';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, parsePolicy, type TfJson } from '../support/synth';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
/** A small fixture: the trail bucket takes its policy as it is given. */
const POLICY = {
  Version: '2012-10-17' as const,
  Statement: [{ Sid: 'Fixture', Effect: 'Deny' as const, Principal: '*' as const, Action: 's3:*', Resource: 'arn:aws:s3:::acme-cloudtrail/*' }],
};
const PROPS: TrailBucketProps = {
  partition: 'aws',
  accountId: '111111111111',
  bucketName: 'acme-cloudtrail',
  policy: POLICY,
  kmsKeyArn: KEY_ARN,
  retentionDays: 365,
  noncurrentVersionRetentionDays: 30,
};

const synthBucket = (props: Partial<TrailBucketProps> = {}): TfJson => synthScope((scope) => new TrailBucket(scope, 'trail-bucket', { ...PROPS, ...props }));
const at = (stack: TfJson, address: string) => resourceAt(stack, address) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource
const LOGS_SSE = 'aws_s3_bucket_server_side_encryption_configuration.trail-bucket_logs_encryption';
const ACCESS_SSE = 'aws_s3_bucket_server_side_encryption_configuration.trail-bucket_access-logs_encryption';
const LOGS_LOGGING = 'aws_s3_bucket_logging.trail-bucket_logs_access-logging';

describe('TrailBucket', () => {
  const withAccessLogs = synthBucket({ accessLogBucket: { name: 'acme-cloudtrail-access-logs', create: true, retentionDays: 90 } });

  test('creates the log bucket by name with the policy it is given', () => {
    const stack = synthBucket();

    expect(at(stack, 'aws_s3_bucket.trail-bucket_logs_bucket').bucket).toBe('acme-cloudtrail');
    expect(parsePolicy(at(stack, 'aws_s3_bucket_policy.trail-bucket_logs_policy').policy)).toEqual(POLICY);
  });

  test('encrypts the log files with the trail key', () => {
    expect(at(synthBucket(), LOGS_SSE).rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN });
  });

  test('keeps log files and their replaced versions for the days it is given', () => {
    expect(at(synthBucket(), 'aws_s3_bucket_lifecycle_configuration.trail-bucket_logs_lifecycle').rule[0]).toMatchObject({
      expiration: [{ days: 365 }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
  });

  test('logs no server access and creates no second bucket without accessLogBucket', () => {
    expect(addresses(synthBucket()).filter((address) => address.includes('access-log'))).toEqual([]);
  });

  test('creates a hardened access-log bucket, encrypted with SSE-S3, the only encryption server access logging writes to', () => {
    expect(at(withAccessLogs, 'aws_s3_bucket.trail-bucket_access-logs_bucket').bucket).toBe('acme-cloudtrail-access-logs');
    expect(at(withAccessLogs, ACCESS_SSE).rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
  });

  test('keeps access log records for their own retention, not the log files\'', () => {
    expect(at(withAccessLogs, 'aws_s3_bucket_lifecycle_configuration.trail-bucket_access-logs_lifecycle').rule[0]).toMatchObject({
      expiration: [{ days: 90 }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
  });

  test('lets only S3 server access logging for the log bucket, in its account, write to the access-log bucket, over TLS only', () => {
    expect(parsePolicy(at(withAccessLogs, 'aws_s3_bucket_policy.trail-bucket_access-logs_policy').policy).Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::acme-cloudtrail-access-logs', 'arn:aws:s3:::acme-cloudtrail-access-logs/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'S3ServerAccessLogsPolicy',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::acme-cloudtrail-access-logs/*',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::acme-cloudtrail' }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
      },
    ]);
  });

  test('sends server access logs to the bucket it creates, by reference, under the log bucket name', () => {
    expect(at(withAccessLogs, LOGS_LOGGING)).toMatchObject({ target_bucket: '${aws_s3_bucket.trail-bucket_access-logs_bucket.id}', target_prefix: 'acme-cloudtrail/' });
  });

  test('sends server access logs to an existing bucket by name, and creates none', () => {
    const stack = synthBucket({ accessLogBucket: { name: 'acme-s3-access-logs', create: false } });

    expect(at(stack, LOGS_LOGGING)).toMatchObject({ target_bucket: 'acme-s3-access-logs', target_prefix: 'acme-cloudtrail/' });
    expect(at(stack, 'aws_s3_bucket.trail-bucket_access-logs_bucket')).toBeUndefined();
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(withAccessLogs).filter((address) => address.startsWith('aws_s3_bucket.'))).toEqual([
      'aws_s3_bucket.trail-bucket_access-logs_bucket',
      'aws_s3_bucket.trail-bucket_logs_bucket',
    ]);
  });
});
