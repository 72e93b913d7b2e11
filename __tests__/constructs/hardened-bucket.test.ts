import { HardenedBucket, type HardenedBucketProps } from '../../stacks/hardened-bucket';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, parsePolicy, type TfJson } from '../support/synth';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
/** A small fixture: the construct attaches whatever policy it is given. */
const POLICY = {
  Version: '2012-10-17' as const,
  Statement: [{ Sid: 'Fixture', Effect: 'Deny' as const, Principal: '*' as const, Action: 's3:*', Resource: 'arn:aws:s3:::acme-logs/*' }],
};
const PROPS: HardenedBucketProps = { bucketName: 'acme-logs', policy: POLICY, expirationDays: 365, noncurrentExpirationDays: 30 };

const synthBucket = (props: Partial<HardenedBucketProps> = {}): TfJson => synthScope((scope) => new HardenedBucket(scope, 'logs', { ...PROPS, ...props }));
const at = (stack: TfJson, address: string) => resourceAt(stack, address) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource
const BUCKET_ID = '${aws_s3_bucket.logs_bucket.id}';

describe('HardenedBucket', () => {
  const stack = synthBucket();

  test('creates the bucket by name, never emptied and never destroyed by a deploy', () => {
    expect(at(stack, 'aws_s3_bucket.logs_bucket')).toEqual({ bucket: 'acme-logs', force_destroy: false, lifecycle: { prevent_destroy: true } });
  });

  test('blocks all four kinds of public access', () => {
    expect(at(stack, 'aws_s3_bucket_public_access_block.logs_public-access-block')).toEqual({
      bucket: BUCKET_ID,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test('disables ACLs: the bucket owner owns every object', () => {
    expect(at(stack, 'aws_s3_bucket_ownership_controls.logs_ownership')).toEqual({ bucket: BUCKET_ID, rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  test('encrypts with SSE-S3 when it is given no key', () => {
    expect(at(stack, 'aws_s3_bucket_server_side_encryption_configuration.logs_encryption').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false },
    ]);
  });

  test('encrypts with the key it is given', () => {
    const encryption = at(synthBucket({ kmsKeyArn: KEY_ARN }), 'aws_s3_bucket_server_side_encryption_configuration.logs_encryption');

    expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN });
  });

  // With a bucket key, S3 uses the bucket ARN as encryption context: readers' decrypt
  // condition on the trail's context would fail, and CloudTrail would need kms:Decrypt.
  test('encrypts without an S3 Bucket Key, even with a KMS key', () => {
    const encryption = at(synthBucket({ kmsKeyArn: KEY_ARN }), 'aws_s3_bucket_server_side_encryption_configuration.logs_encryption');

    expect(encryption.rule[0].bucket_key_enabled).toBe(false);
  });

  test('keeps every version of its objects', () => {
    expect(at(stack, 'aws_s3_bucket_versioning.logs_versioning')).toEqual({ bucket: BUCKET_ID, versioning_configuration: { status: 'Enabled' } });
  });

  test('expires objects and replaced versions after their days, and aborts incomplete multipart uploads after 7', () => {
    expect(at(stack, 'aws_s3_bucket_lifecycle_configuration.logs_lifecycle')).toEqual({
      bucket: BUCKET_ID,
      rule: [
        {
          id: 'expire-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: 365 }],
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ],
    });
  });

  test('attaches the policy it is given', () => {
    const policy = at(stack, 'aws_s3_bucket_policy.logs_policy');

    expect(policy.bucket).toBe(BUCKET_ID);
    expect(parsePolicy(policy.policy)).toEqual(POLICY);
  });

  test('puts its policy only once the public access block is in place, which S3 requires', () => {
    expect(at(stack, 'aws_s3_bucket_policy.logs_policy').depends_on).toEqual(['aws_s3_bucket_public_access_block.logs_public-access-block']);
  });

  test('logs no server access without accessLogs', () => {
    expect(at(stack, 'aws_s3_bucket_logging.logs_access-logging')).toBeUndefined();
  });

  test('sends its server access logs to the bucket and prefix it is given', () => {
    const withLogs = synthBucket({ accessLogs: { bucketName: 'acme-logs-access-logs', prefix: 'acme-logs/' } });

    expect(at(withLogs, 'aws_s3_bucket_logging.logs_access-logging')).toEqual({ bucket: BUCKET_ID, target_bucket: 'acme-logs-access-logs', target_prefix: 'acme-logs/' });
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(synthBucket({ accessLogs: { bucketName: 'acme-logs-access-logs', prefix: 'acme-logs/' } }))).toEqual([
      'aws_s3_bucket.logs_bucket',
      'aws_s3_bucket_lifecycle_configuration.logs_lifecycle',
      'aws_s3_bucket_logging.logs_access-logging',
      'aws_s3_bucket_ownership_controls.logs_ownership',
      'aws_s3_bucket_policy.logs_policy',
      'aws_s3_bucket_public_access_block.logs_public-access-block',
      'aws_s3_bucket_server_side_encryption_configuration.logs_encryption',
      'aws_s3_bucket_versioning.logs_versioning',
    ]);
  });
});
