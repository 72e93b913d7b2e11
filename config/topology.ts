/**
 * Where each account's CloudTrail logs are written and which stack holds what, derived from
 * the config alone.
 * - Per account: every account has its own trail, bucket, key and forwarder.
 * - Organization: one trail in the management account writes every member's logs into the
 *   log-archive bucket, under `AWSLogs/<o-id>/<account>/`; the log-archive stack holds the
 *   bucket, key and forwarder.
 * - Adopted trail (`trail.existing`, `controlTower`): the user's trail and bucket; the stack
 *   of the bucket's account holds only the forwarder and its trigger.
 */
import type { Partition } from './regions';
import type { ResolvedAccount, ResolvedConfig } from './resolve';
import { logPrefix, trailArn } from '../policies/arns';

export interface TrailLocation {
  partition: Partition;
  /** The trails whose logs `account` reads. */
  trailArns: string[];
  bucketName: string;
  bucketAccountId: string;
  bucketRegion: string;
  /** The bucket that receives the trail bucket's S3 server access logs, if the toolkit knows it. */
  accessLogBucketName?: string;
  s3KeyPrefix?: string;
  /**
   * The key of the log files as readers name it: the toolkit's own key by its alias (so that
   * other accounts need no reference to it), an adopted key by its ARN; undefined without KMS.
   */
  key?: { alias: string } | { arn: string };
}

/** The trail the toolkit creates: `account`'s own, or the management account's organization trail. */
export interface OwnedTrail {
  name: string;
  arn: string;
  accountId: string;
}

export function ownedTrail(config: ResolvedConfig, account: ResolvedAccount): OwnedTrail {
  const owner = config.organization?.management ?? account;
  return { name: owner.trail.name, arn: trailArn(owner.partition, owner.region, owner.accountId, owner.trail.name), accountId: owner.accountId };
}

/** The trail and bucket that hold `account`'s logs. */
export function trailLocation(config: ResolvedConfig, account: ResolvedAccount): TrailLocation {
  const adopted = config.adoptedTrail;
  if (adopted) {
    return {
      partition: account.partition,
      trailArns: adopted.trailArns,
      bucketName: adopted.bucketName,
      bucketAccountId: adopted.bucketAccount.accountId,
      bucketRegion: adopted.bucketAccount.region,
      s3KeyPrefix: adopted.s3KeyPrefix,
      key: adopted.keyArn ? { arn: adopted.keyArn } : undefined,
    };
  }
  const trail = ownedTrail(config, account);
  const bucketOwner = config.organization?.logArchive ?? account;
  return {
    partition: account.partition,
    trailArns: [trail.arn],
    bucketName: bucketOwner.trail.bucketName,
    bucketAccountId: bucketOwner.accountId,
    bucketRegion: bucketOwner.region,
    accessLogBucketName: bucketOwner.trail.accessLogBucket?.name,
    s3KeyPrefix: bucketOwner.trail.s3KeyPrefix,
    key: bucketOwner.trail.kms ? { alias: trailKeyAlias(trail.name) } : undefined,
  };
}

/** The key prefixes holding `account`'s own logs, which its Datadog role may read. */
export function accountLogPrefixes(config: ResolvedConfig, account: ResolvedAccount): string[] {
  const { s3KeyPrefix } = trailLocation(config, account);
  if (!config.organization) return [logPrefix(s3KeyPrefix, account.accountId)];
  const prefixes = [logPrefix(s3KeyPrefix, config.organization.id, account.accountId)];
  // The management account also keeps the account-level prefix its trail wrote to before
  // it became an organization trail (AWS requires the bucket policy to allow both).
  if (account === config.organization.management && !config.adoptedTrail) prefixes.push(logPrefix(s3KeyPrefix, account.accountId));
  return prefixes;
}

/** Named after the trail, so that a reader in any account can find the key by its alias. */
function trailKeyAlias(trailName: string): string {
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

/**
 * The accounts whose stacks must be deployed before `account`'s: the management stack's
 * organization trail needs the log-archive bucket and its policy (CloudTrail checks the
 * policy when it creates the trail). The same dependency stacks/app.ts gives cdktf.
 */
export function deployDependencies(config: ResolvedConfig, account: ResolvedAccount): ResolvedAccount[] {
  const organization = config.organization;
  return organization && account === organization.management && organization.management !== organization.logArchive ? [organization.logArchive] : [];
}

/** The forwarder's execution role, named so that key policies can name it before it exists. */
export function forwarderRoleName(functionName: string): string {
  return `${functionName}-role`;
}

/** The SQS queue that keeps the forwarder's failed invocations (at most 59 + 20 of SQS's 80 characters). */
export function forwarderFailureQueueName(functionName: string): string {
  return `${functionName}-failed-invocations`;
}

/** Whether `account`'s stack holds the trail bucket and its key (never for an adopted trail). */
export function holdsBucket(config: ResolvedConfig, account: ResolvedAccount): boolean {
  return !config.adoptedTrail && (!config.organization || account === config.organization.logArchive);
}

/** Whether `account`'s stack holds the trail (never for an adopted trail). */
export function holdsTrail(config: ResolvedConfig, account: ResolvedAccount): boolean {
  return !config.adoptedTrail && (!config.organization || account === config.organization.management);
}

/** Whether `account`'s stack holds the forwarder's trigger (and the forwarder, unless it exists): the bucket's account. */
export function holdsForwarder(config: ResolvedConfig, account: ResolvedAccount): boolean {
  return config.adoptedTrail ? account === config.adoptedTrail.bucketAccount : holdsBucket(config, account);
}

/**
 * What the forwarder reads and what invokes it. Per account, only `AWSLogs/<account>/CloudTrail/`
 * triggers it, which leaves out digest files (`CloudTrail-Digest/`). Prefix filters take no
 * wildcard, so an organization's trigger is the whole `AWSLogs/<o-id>/` prefix, and an adopted
 * trail's without organization the whole `AWSLogs/`: the digest files it then receives are
 * dropped by the forwarder's EXCLUDE_AT_MATCH (stacks/forwarder-function.ts).
 */
export function forwarderPrefixes(config: ResolvedConfig, account: ResolvedAccount): { read: string; trigger: string } {
  const { s3KeyPrefix } = trailLocation(config, account);
  if (config.organization) {
    const read = logPrefix(s3KeyPrefix, config.organization.id);
    return { read, trigger: `${read}/` };
  }
  if (config.adoptedTrail) {
    const read = logPrefix(s3KeyPrefix);
    return { read, trigger: `${read}/` };
  }
  const read = logPrefix(s3KeyPrefix, account.accountId);
  return { read, trigger: `${read}/CloudTrail/` };
}
