import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { PolicyDocument } from '../policies/types';
import { policyJson } from './policy-json';

export interface HardenedBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** The bucket policy. It should deny requests without TLS (policies/trail-bucket.ts). */
  readonly policy: PolicyDocument;
  /**
   * Customer managed KMS key for default encryption (without an S3 Bucket Key, see below).
   * @default SSE-S3 (AES256)
   */
  readonly kmsKeyArn?: string;
  /** Days after which current objects expire. */
  readonly expirationDays: number;
  /** Days after which replaced or deleted object versions expire. */
  readonly noncurrentExpirationDays: number;
  /**
   * Where S3 server access logs of this bucket go.
   * @default no server access logging
   */
  readonly accessLogs?: { readonly bucketName: string; readonly prefix: string };
}

/**
 * An S3 bucket with every default of SECURITY.md: no public access, no ACLs, default
 * encryption, versioning, a lifecycle, a policy, and no way to delete it by a deploy.
 */
export class HardenedBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      // Audit logs outlive any deploy: Terraform refuses a plan that destroys the bucket, and
      // a non-empty bucket is never emptied for it. Deleting it is a deliberate manual act.
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;
    // CIS 2.1.4, S3.8: all four flags, so neither an ACL nor a policy can make it public.
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // S3.12: ACLs disabled; the bucket owner owns every object whoever writes it.
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: 'AES256' },
          // No S3 Bucket Key. With one, S3 encrypts under the bucket ARN as encryption context
          // instead of the object's (https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key.html),
          // so the log readers' decrypt condition on `kms:EncryptionContext:aws:cloudtrail:arn`
          // (policies/log-readers.ts) would not see the trail, and CloudTrail itself would need
          // kms:Decrypt to create or update the trail
          // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
          // The bucket key would save little: CloudTrail's own use of the key is not billed per
          // call (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html).
          bucketKeyEnabled: false,
        },
      ],
    });
    new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'access-logging', {
        bucket,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
      });
    }
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: policyJson(props.policy),
      // S3 rejects a policy put while the public access block is being changed.
      dependsOn: [publicAccessBlock],
    });
  }
}
