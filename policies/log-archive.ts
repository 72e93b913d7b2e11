/**
 * The bucket and key policies of the account that holds the trail bucket: the account itself
 * (per account), or the organization's log-archive account.
 */
import type { ResolvedAccount, ResolvedConfig } from '../config/resolve';
import { forwarderRoleName, ownedTrail, trailLocation } from '../config/topology';
import { logPrefix, roleArn } from '../config/arns';
import { datadogBucketReaders, datadogKeyReaders } from './datadog-readers';
import { trailBucketPolicy } from './trail-bucket';
import { trailKeyPolicy } from './trail-key';
import type { PolicyDocument } from './types';

export interface LogArchivePolicies {
  bucket: PolicyDocument;
  /** Absent when the trail does not use KMS. */
  key?: PolicyDocument;
}

/** Call for the account whose stack holds the toolkit's own bucket (see `holdsBucket`). */
export function logArchivePolicies(config: ResolvedConfig, account: ResolvedAccount, logGroup?: { arn: string; region: string }): LogArchivePolicies {
  const location = trailLocation(config, account);
  const trail = ownedTrail(config, account);
  const { partition } = account;
  const organization = config.organization;
  const roleName = config.datadog.roleName;
  const readers = { partition, bucketName: location.bucketName, s3KeyPrefix: location.s3KeyPrefix, roleName };
  const bucket = trailBucketPolicy({
    partition,
    bucketName: location.bucketName,
    trailArn: trail.arn,
    // An organization trail also writes the management account's own logs at the account
    // level; CloudTrail refuses to create it without that grant (InsufficientS3BucketPolicyException).
    accountLogPrefixes: [logPrefix(location.s3KeyPrefix, trail.accountId)],
    organizationLogPrefix: organization && logPrefix(location.s3KeyPrefix, organization.id),
    readers: organization && datadogBucketReaders({ ...readers, organizationId: organization.id }),
  });
  if (!location.key) return { bucket };
  const key = trailKeyPolicy({
    partition,
    accountId: account.accountId,
    trailArn: trail.arn,
    trailAccountId: trail.accountId,
    // A forwarder the user already runs has a role the toolkit cannot name; the key policy's
    // account statement lets that role's own IAM policy grant it decrypt.
    readerRoleArns: [
      ...(account.forwarder.existingArn ? [] : [roleArn(partition, account.accountId, forwarderRoleName(account.forwarder.functionName))]),
      roleArn(partition, account.accountId, roleName),
    ],
    logGroup,
    readers: organization && datadogKeyReaders({ ...readers, organizationId: organization.id }),
  });
  return { bucket, key };
}
