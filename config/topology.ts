/**
 * Where each account's CloudTrail logs are written and who owns what, derived from the
 * config alone. Per account: every account has its own trail and bucket. Organization: one
 * trail in the management account writes every member's logs into the log-archive bucket,
 * under `AWSLogs/<o-id>/<account>/`.
 */
import type { Partition } from './regions';
import type { ResolvedAccount, ResolvedConfig } from './resolve';
import { logPrefix, trailArn } from '../policies/arns';

export interface TrailLocation {
  partition: Partition;
  /** The trail's name, home region and account: the management account's for an organization. */
  trailName: string;
  trailArn: string;
  trailAccountId: string;
  bucketName: string;
  bucketAccountId: string;
  bucketRegion: string;
  /** The bucket that receives the trail bucket's S3 server access logs, if any. */
  accessLogBucketName?: string;
  s3KeyPrefix?: string;
  /** The trail key's alias, in the bucket's account and region; undefined without KMS. */
  keyAlias?: string;
}

/** The trail and bucket that hold `account`'s logs. */
export function trailLocation(config: ResolvedConfig, account: ResolvedAccount): TrailLocation {
  const trailOwner = config.organization?.management ?? account;
  const bucketOwner = config.organization?.logArchive ?? account;
  return {
    partition: account.partition,
    trailName: trailOwner.trail.name,
    trailArn: trailArn(trailOwner.partition, trailOwner.region, trailOwner.accountId, trailOwner.trail.name),
    trailAccountId: trailOwner.accountId,
    bucketName: bucketOwner.trail.bucketName,
    bucketAccountId: bucketOwner.accountId,
    bucketRegion: bucketOwner.region,
    accessLogBucketName: bucketOwner.trail.accessLogBucket?.name,
    s3KeyPrefix: bucketOwner.trail.s3KeyPrefix,
    keyAlias: bucketOwner.trail.kms ? trailKeyAlias(trailOwner.trail.name) : undefined,
  };
}

/** The key prefixes holding `account`'s own logs, which its Datadog role may read. */
export function accountLogPrefixes(config: ResolvedConfig, account: ResolvedAccount): string[] {
  const { s3KeyPrefix } = trailLocation(config, account);
  if (!config.organization) return [logPrefix(s3KeyPrefix, account.accountId)];
  const prefixes = [logPrefix(s3KeyPrefix, config.organization.id, account.accountId)];
  // The management account also keeps the account-level prefix its trail wrote to before
  // it became an organization trail (AWS requires the bucket policy to allow both).
  if (account === config.organization.management) prefixes.push(logPrefix(s3KeyPrefix, account.accountId));
  return prefixes;
}

/** Named after the trail, so that a reader in any account can find the key by its alias. */
export function trailKeyAlias(trailName: string): string {
  return `alias/${trailName}`;
}

/** The CloudWatch Logs log group a trail delivers to, when that is on. */
export function trailLogGroupName(trailName: string): string {
  return `/aws/cloudtrail/${trailName}`;
}

/**
 * Accounts in the order they deploy: by wave, and within a wave the log-archive account
 * before the management account, whose organization trail needs the bucket to exist.
 */
export function deployOrder(config: ResolvedConfig): ResolvedAccount[] {
  const rank = (account: ResolvedAccount) =>
    account === config.organization?.logArchive ? 0 : account === config.organization?.management ? 1 : 2;
  return [...config.accounts].sort((a, b) => a.wave - b.wave || rank(a) - rank(b));
}

/** The forwarder's execution role, named so that key policies can name it before it exists. */
export function forwarderRoleName(functionName: string): string {
  return `${functionName}-role`;
}

/** Whether `account`'s stack holds the trail bucket, its key and the forwarder. */
export function holdsBucket(config: ResolvedConfig, account: ResolvedAccount): boolean {
  return !config.organization || account === config.organization.logArchive;
}

/** Whether `account`'s stack holds the trail. */
export function holdsTrail(config: ResolvedConfig, account: ResolvedAccount): boolean {
  return !config.organization || account === config.organization.management;
}

/**
 * What the forwarder reads and what invokes it. Per account, only `AWSLogs/<account>/CloudTrail/`
 * triggers it, which leaves out digest files (`CloudTrail-Digest/`, no log records). S3 filters
 * take no wildcard, so an organization's trigger is the whole `AWSLogs/<o-id>/` prefix; the
 * forwarder finds no records in the digest files it then receives.
 */
export function forwarderPrefixes(config: ResolvedConfig, account: ResolvedAccount): { read: string; trigger: string } {
  const { s3KeyPrefix } = trailLocation(config, account);
  if (config.organization) {
    const read = logPrefix(s3KeyPrefix, config.organization.id);
    return { read, trigger: `${read}/` };
  }
  const read = logPrefix(s3KeyPrefix, account.accountId);
  return { read, trigger: `${read}/CloudTrail/` };
}
