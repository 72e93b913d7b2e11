/**
 * The bucket and key policies of the account that holds the trail bucket: the account itself
 * (per account), or the organization's log-archive account.
 */
import type { AccountPlan, LogArchivePlan } from '../config/plan';
import { forwarderRoleName } from '../config/topology';
import { logPrefix, roleArn } from '../config/arns';
import { datadogBucketReaders, type DatadogReaderSettings, datadogKeyReaders } from './datadog-readers';
import { trailBucketPolicy } from './trail-bucket';
import { trailKeyPolicy } from './trail-key';
import type { PolicyDocument } from './types';

export interface LogArchivePolicies {
  bucket: PolicyDocument;
  /** Absent when the trail does not use KMS. */
  key?: PolicyDocument;
}

/** The policies of the bucket and key `logArchive` that `plan`'s account holds. */
export function logArchivePolicies(plan: AccountPlan, logArchive: LogArchivePlan, settings: DatadogReaderSettings): LogArchivePolicies {
  const { account, logs } = plan;
  const { partition } = account;
  const { organizationId, roleName } = settings;
  const trail = logArchive.writer;
  const readers = { partition, bucketName: logs.bucketName, s3KeyPrefix: logs.s3KeyPrefix, roleName };
  const bucket = trailBucketPolicy({
    partition,
    bucketName: logs.bucketName,
    trailArn: trail.arn,
    // An organization trail also writes the management account's own logs at the account
    // level; CloudTrail refuses to create it without that grant (InsufficientS3BucketPolicyException).
    accountLogPrefixes: [logPrefix(logs.s3KeyPrefix, trail.accountId)],
    organizationLogPrefix: organizationId && logPrefix(logs.s3KeyPrefix, organizationId),
    readers: organizationId ? datadogBucketReaders({ ...readers, organizationId }) : undefined,
  });
  if (!logs.key) return { bucket };
  const forwarder = plan.forwarder?.function;
  const key = trailKeyPolicy({
    partition,
    accountId: account.accountId,
    trailArn: trail.arn,
    trailAccountId: trail.accountId,
    // A forwarder the user already runs has a role the toolkit cannot name; the key policy's
    // account statement lets that role's own IAM policy grant it decrypt.
    readerRoleArns: [...(forwarder ? [roleArn(partition, account.accountId, forwarderRoleName(forwarder.functionName))] : []), roleArn(partition, account.accountId, roleName)],
    logGroup: logArchive.trailLogGroup,
    readers: organizationId ? datadogKeyReaders({ ...readers, organizationId }) : undefined,
  });
  return { bucket, key };
}
