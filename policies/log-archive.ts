/**
 * The bucket and key policies of the account that holds the trail bucket: the account itself
 * (per account), or the organization's log-archive account.
 */
import type { ResolvedAccount, ResolvedConfig } from '../config/resolve';
import { forwarderRoleName, trailLocation } from '../config/topology';
import { logPrefix, roleArn } from './arns';
import { organizationReaders, trailBucketPolicy } from './trail-bucket';
import { organizationKeyReaders, trailKeyPolicy } from './trail-key';
import type { PolicyDocument } from './types';

export interface LogArchivePolicies {
  bucket: PolicyDocument;
  /** Absent when the trail does not use KMS. */
  key?: PolicyDocument;
}

/** Call for the account that holds the bucket (see `holdsBucket`). */
export function logArchivePolicies(config: ResolvedConfig, account: ResolvedAccount, logGroup?: { arn: string; region: string }): LogArchivePolicies {
  const location = trailLocation(config, account);
  const { partition } = account;
  const organization = config.organization;
  const roleName = config.datadog.roleName;
  const bucket = trailBucketPolicy({
    partition,
    bucketName: location.bucketName,
    trailArn: location.trailArn,
    // An organization trail also writes the management account's own logs at the account
    // level; CloudTrail refuses to create it without that grant (InsufficientS3BucketPolicyException).
    accountLogPrefixes: [logPrefix(location.s3KeyPrefix, location.trailAccountId)],
    organizationLogPrefix: organization && logPrefix(location.s3KeyPrefix, organization.id),
    readers: organization
      ? organizationReaders({ partition, bucketName: location.bucketName, s3KeyPrefix: location.s3KeyPrefix, organizationId: organization.id, roleName })
      : undefined,
  });
  if (!location.keyAlias) return { bucket };
  const key = trailKeyPolicy({
    partition,
    accountId: account.accountId,
    trailArn: location.trailArn,
    trailAccountId: location.trailAccountId,
    readerRoleArns: [
      roleArn(partition, account.accountId, forwarderRoleName(account.forwarder.functionName)),
      roleArn(partition, account.accountId, roleName),
    ],
    logGroup,
    readers: organization ? organizationKeyReaders({ partition, organizationId: organization.id, roleName }) : undefined,
  });
  return { bucket, key };
}
