import { Construct } from 'constructs';
import type { Partition } from '../config/regions';
import { accessLogBucketPolicy } from '../policies/trail-bucket';
import type { PolicyDocument } from '../policies/types';
import { HardenedBucket } from './hardened-bucket';

export interface TrailBucketProps {
  readonly partition: Partition;
  /** The account that owns the bucket. */
  readonly accountId: string;
  readonly bucketName: string;
  /** The bucket policy (policies/trail-bucket.ts). */
  readonly policy: PolicyDocument;
  /**
   * The trail key, for default encryption.
   * @default SSE-S3, which fails CIS 3.7 / CloudTrail.2
   */
  readonly kmsKeyArn?: string;
  /** Days log files are kept. */
  readonly retentionDays: number;
  /** Days replaced or deleted log file versions are kept. */
  readonly noncurrentVersionRetentionDays: number;
  /**
   * The bucket that receives S3 server access logs; `create` makes a hardened one (SSE-S3,
   * the only encryption S3 server access logging writes to) that keeps the records
   * `retentionDays`, apart from the log files' retention: S3 writes a record per request.
   * @default no access logging, which fails CIS 3.6 / CloudTrail.7
   */
  readonly accessLogBucket?: { readonly name: string; readonly create: true; readonly retentionDays: number } | { readonly name: string; readonly create: false };
}

/** The bucket CloudTrail writes to, and the bucket that logs who reads it (CIS 3.6). */
export class TrailBucket extends Construct {
  readonly logs: HardenedBucket;
  readonly accessLogs?: HardenedBucket;

  constructor(scope: Construct, id: string, props: TrailBucketProps) {
    super(scope, id);
    const access = props.accessLogBucket;
    if (access?.create) {
      this.accessLogs = new HardenedBucket(this, 'access-logs', {
        bucketName: access.name,
        policy: accessLogBucketPolicy({
          partition: props.partition,
          bucketName: access.name,
          sourceBucketName: props.bucketName,
          sourceAccountId: props.accountId,
        }),
        expirationDays: access.retentionDays,
        noncurrentExpirationDays: props.noncurrentVersionRetentionDays,
      });
    }
    this.logs = new HardenedBucket(this, 'logs', {
      bucketName: props.bucketName,
      policy: props.policy,
      kmsKeyArn: props.kmsKeyArn,
      expirationDays: props.retentionDays,
      noncurrentExpirationDays: props.noncurrentVersionRetentionDays,
      accessLogs: access && { bucketName: this.accessLogs?.bucket.id ?? access.name, prefix: `${props.bucketName}/` },
    });
  }
}
