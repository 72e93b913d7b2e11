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
import type { ResolvedAccount, ResolvedForwarder, ResolvedConfig } from './resolve';
import { aliasArn, keysArn, logPrefix, trailArn } from './arns';

/** The key of the log files, one shape for every reader and writer. */
export interface LogKey {
  /** How any account names the key: its ARN, or for the toolkit's own key its alias ARN. */
  arn: string;
  /**
   * The toolkit's own key, which IAM policies in other accounts grant by its alias: any key of
   * the bucket's account and region (`keysArn`) that carries `name`
   * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases).
   */
  alias?: { name: string; keysArn: string };
}

export interface TrailLocation {
  partition: Partition;
  /** The trails whose logs `account` reads. */
  trailArns: string[];
  bucketName: string;
  /** The bucket that receives the trail bucket's S3 server access logs, if the toolkit knows it. */
  accessLogBucketName?: string;
  s3KeyPrefix?: string;
  /** The key of the log files; undefined without KMS. */
  key?: LogKey;
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
    accessLogBucketName: bucketOwner.trail.accessLogBucket?.name,
    s3KeyPrefix: bucketOwner.trail.s3KeyPrefix,
    key: bucketOwner.trail.kms ? ownKey(account.partition, bucketOwner, trailKeyAlias(trail.name)) : undefined,
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

/** The toolkit's own key, named by its alias in the bucket owner's account and region. */
function ownKey(partition: Partition, bucketOwner: ResolvedAccount, alias: string): LogKey {
  return {
    arn: aliasArn(partition, bucketOwner.region, bucketOwner.accountId, alias),
    alias: { name: alias, keysArn: keysArn(partition, bucketOwner.region, bucketOwner.accountId) },
  };
}

/** Named after the trail, so that a reader in any account can find the key by its alias. */
function trailKeyAlias(trailName: string): string {
  return `alias/${trailName}`;
}

/** The alias of the key of a trail's log group, when it cannot share the trail key (config/plan.ts). */
export function logGroupKeyAlias(trailName: string): string {
  return `${trailKeyAlias(trailName)}-cloudwatch-logs`;
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

/** The SQS queue that keeps the forwarder's failed invocations (at most 59 + 20 of SQS's 80 characters). */
export function forwarderFailureQueueName(functionName: string): string {
  return `${functionName}-failed-invocations`;
}

/** The SQS queue Datadog's forwarder stores what it failed to send in (DD_SQS_QUEUE_URL; at most 59 + 14 characters). */
export function forwarderFailedEventQueueName(functionName: string): string {
  return `${functionName}-failed-events`;
}

/** The schedule that retries the stored failed events: `<stack>-retry` in Datadog's template. */
export function forwarderRetryScheduleName(functionName: string): string {
  return `${functionName}-retry`;
}

/** An SQS queue that keeps what a forwarder failed, for the alarms and monitors on it. */
export interface FailureQueue {
  /** The construct id of the alarm or monitor on it. */
  id: string;
  name: string;
  /** What it holds, for their descriptions. */
  holds: string;
}

/** The queues a forwarder the toolkit deploys keeps its failures in: failed invocations, and (storeFailedEvents) what Datadog's intake refused. */
export function forwarderFailureQueues(forwarder: Pick<ResolvedForwarder, 'functionName' | 'storeFailedEvents'>): FailureQueue[] {
  return [
    { id: 'failure-queue', name: forwarderFailureQueueName(forwarder.functionName), holds: 'the S3 events of invocations that failed or were throttled past their retries' },
    ...(forwarder.storeFailedEvents
      ? [{ id: 'failed-event-queue', name: forwarderFailedEventQueueName(forwarder.functionName), holds: "the logs Datadog's intake refused, until the retry schedule sends them" }]
      : []),
  ];
}
