/**
 * What each account's stack holds, decided once for the whole config: the roles an account
 * plays (trail owner, bucket and key owner, forwarder host, log reader) and the names and
 * ARNs each of them needs. Stacks compose constructs from a plan and ask no topology
 * question of their own.
 * - Per account: every account owns its trail, bucket, key and forwarder.
 * - Organization: the management account owns the organization trail; the log-archive
 *   account owns the bucket, key and forwarder (S3 triggers cannot cross accounts); every
 *   account reads its own logs.
 * - Adopted trail (`trail.existing`, `controlTower`): nobody owns a trail, bucket or key; the
 *   bucket's account hosts the forwarder, triggered by EventBridge or SNS.
 */
import { bucketArn, logGroupArn, logPrefix } from './arns';
import { LAYER_FEATURES } from './forwarder-layers';
import type { ResolvedAccount, ResolvedForwarder, ResolvedConfig, ResolvedTrail } from './resolve';
import { accountLogPrefixes, logGroupKeyAlias, ownedTrail, trailLocation, trailLogGroupName, type TrailLocation } from './topology';

/** A CloudWatch Logs log group the trail delivers to. */
export interface TrailLogGroup {
  name: string;
  arn: string;
  region: string;
  retentionDays: number;
  /**
   * The alias of a key of the log group's own, which the trail's stack creates: when the trail
   * key is another account's (an organization's log-archive account). Undefined when the trail
   * key, in the same stack, encrypts the log group, or without KMS.
   */
  ownKeyAlias?: string;
}

/** The trail an account's stack creates. */
export interface TrailPlan {
  name: string;
  /** An organization trail, for every member account. */
  organization: boolean;
  bucketName: string;
  s3KeyPrefix?: string;
  /**
   * The key, by its alias ARN, when it is the log-archive account's: CloudTrail then stores
   * the key's ARN. Undefined when this stack creates the key, or without KMS (see `kms`).
   */
  keyAliasArn?: string;
  /** Whether the trail encrypts with the toolkit's key at all. */
  kms: boolean;
  cloudWatchLogs?: TrailLogGroup;
  s3DataEvents: ResolvedTrail['s3DataEvents'];
  /** The trail's own buckets, whose data events would log the trail's deliveries. */
  dataEventExcludedBucketArns: string[];
}

/** The trail bucket and key an account's stack creates. */
export interface LogArchivePlan {
  bucketName: string;
  /** The key's alias; undefined without KMS. */
  keyAlias?: string;
  accessLogBucket?: ResolvedTrail['accessLogBucket'];
  retentionDays: number;
  noncurrentVersionRetentionDays: number;
  /** The trail that writes into the bucket: the account's own, or the management account's organization trail. */
  writer: { arn: string; accountId: string };
  /** The trail's log group, when the trail is in this stack too and delivers there: the key encrypts it. */
  trailLogGroup?: TrailLogGroup;
}

export type TriggerPlan =
  /** The S3 notification of the toolkit's own bucket. */
  | { type: 's3'; filterPrefix: string }
  /**
   * The toolkit's own bucket sends its events to EventBridge (its notification configuration),
   * and a rule passes its log files only (policies/trigger-filters.ts).
   */
  | { type: 'bucket-eventbridge'; bucketName: string }
  /** A subscription to the topic an adopted bucket notifies, filtered on the read prefix (policies/trigger-filters.ts). */
  | { type: 'sns'; topicArn: string }
  /** An EventBridge rule for an adopted bucket's log files under the read prefix (policies/trigger-filters.ts). */
  | { type: 'eventbridge'; bucketName: string };

/** The forwarder and its trigger, in the account of the bucket. */
export interface ForwarderPlan {
  /** The function the toolkit deploys; undefined when the user runs one (`existingArn`). */
  function?: ResolvedForwarder;
  existingArn?: string;
  bucketName: string;
  /** The key prefix (no trailing slash) whose objects the forwarder reads. */
  readPrefix: string;
  /** A key the user runs (an adopted trail's); the toolkit's own key is the stack's. */
  adoptedKeyArn?: string;
  trigger: TriggerPlan;
  /** The accounts whose log files it receives: every account of the config when the bucket is shared. */
  sourceAccounts: number;
  /**
   * An adopted bucket: the other accounts of the config, whose Datadog roles read it. The stack
   * prints the statements the bucket's owner must add (policies/adopted-trail.ts). Undefined for
   * the toolkit's own bucket.
   */
  adoptedBucketReaders?: string[];
}

export interface AccountPlan {
  account: ResolvedAccount;
  /** Where the account's logs are: the trails, bucket, prefix and key its Datadog role reads. */
  logs: TrailLocation;
  /** The prefixes holding the account's own logs, which its Datadog role may read. */
  readPrefixes: string[];
  trail?: TrailPlan;
  logArchive?: LogArchivePlan;
  forwarder?: ForwarderPlan;
  /** The stack that must be deployed first: the log-archive account's, for the organization trail. */
  deployAfter?: ResolvedAccount;
}

/** The resolved config and what each account's stack holds: what the stacks, rules and roll-out read. */
export interface PlannedConfig extends ResolvedConfig {
  /** One plan per account, in the order of `accounts`. */
  plans: AccountPlan[];
}

/** Plans every account of a resolved config: the step after `resolveConfig` (config/load.ts). */
export function planConfig(config: ResolvedConfig): PlannedConfig {
  return { ...config, plans: config.accounts.map((account) => planAccount(config, account)) };
}

function planAccount(config: ResolvedConfig, account: ResolvedAccount): AccountPlan {
  const logs = trailLocation(config, account);
  const organization = config.organization;
  const ownsTrail = !config.adoptedTrail && (!organization || account === organization.management);
  const ownsBucket = !config.adoptedTrail && (!organization || account === organization.logArchive);
  const hostsForwarder = config.adoptedTrail ? account === config.adoptedTrail.bucketAccount : ownsBucket;
  const trailLogGroup = ownsTrail ? logGroupOf(account, logs.key !== undefined && !ownsBucket) : undefined;
  return {
    account,
    logs,
    readPrefixes: accountLogPrefixes(config, account),
    trail: ownsTrail ? trailPlan(config, account, logs, ownsBucket, trailLogGroup) : undefined,
    logArchive: ownsBucket
      ? {
          bucketName: logs.bucketName,
          keyAlias: logs.key?.alias?.name,
          accessLogBucket: account.trail.accessLogBucket,
          retentionDays: account.trail.retentionDays,
          noncurrentVersionRetentionDays: account.trail.noncurrentVersionRetentionDays,
          writer: ownedTrail(config, account),
          trailLogGroup,
        }
      : undefined,
    forwarder: hostsForwarder ? forwarderPlan(config, account, logs) : undefined,
    deployAfter: organization && account === organization.management && organization.logArchive !== account ? organization.logArchive : undefined,
  };
}

/**
 * The trail's log group, in the trail's account and region. A log group is encrypted with a
 * key named by its key ARN ("The Amazon Resource Name (ARN) of the KMS key", AssociateKmsKey:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_AssociateKmsKey.html),
 * but the management account of an organization knows the log-archive account's trail key
 * only by its alias (stacks never reference each other: config/arns.ts); its log group then
 * gets a key of its own.
 */
function logGroupOf(account: ResolvedAccount, ownKey: boolean): TrailLogGroup | undefined {
  const { trail } = account;
  if (!trail.cloudWatchLogs.enabled) return undefined;
  const name = trailLogGroupName(trail.name);
  return {
    name,
    arn: logGroupArn(account.partition, account.region, account.accountId, name),
    region: account.region,
    retentionDays: trail.cloudWatchLogs.retentionDays,
    ownKeyAlias: ownKey ? logGroupKeyAlias(trail.name) : undefined,
  };
}

function trailPlan(config: ResolvedConfig, account: ResolvedAccount, logs: TrailLocation, ownsBucket: boolean, cloudWatchLogs: TrailLogGroup | undefined): TrailPlan {
  return {
    name: account.trail.name,
    organization: config.organization !== undefined,
    bucketName: logs.bucketName,
    s3KeyPrefix: logs.s3KeyPrefix,
    keyAliasArn: ownsBucket ? undefined : logs.key?.arn,
    kms: logs.key !== undefined,
    cloudWatchLogs,
    s3DataEvents: account.trail.s3DataEvents,
    dataEventExcludedBucketArns: [logs.bucketName, logs.accessLogBucketName]
      .filter((name): name is string => name !== undefined)
      .map((name) => bucketArn(logs.partition, name)),
  };
}

/**
 * What the forwarder reads and what invokes it. Per account, only `AWSLogs/<account>/CloudTrail/`
 * triggers it, which leaves out digest and Insights files (`CloudTrail-Digest/`,
 * `CloudTrail-Insight/`). S3 prefix filters take no wildcard
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html), so
 * an organization's S3 trigger would be the whole `AWSLogs/<o-id>/` prefix, every hourly digest
 * of every account and Region included (about 2 million invocations a day at 5,000 accounts,
 * each dropped by the forwarder's EXCLUDE_AT_MATCH after a GetObject). An organization whose
 * forwarder reads EventBridge S3 events (a layer of 5.3.0 or later, not a zip or a forwarder of
 * the user's, whose version the toolkit cannot know) is triggered through EventBridge instead,
 * by a rule that passes its log files alone. An adopted bucket's EventBridge rule matches log
 * files alone too, its SNS subscription the read prefix (policies/trigger-filters.ts).
 */
function forwarderPlan(config: ResolvedConfig, account: ResolvedAccount, logs: TrailLocation): ForwarderPlan {
  const adopted = config.adoptedTrail;
  const shared = config.organization !== undefined || adopted !== undefined;
  const readPrefix = logPrefix(logs.s3KeyPrefix, ...(config.organization ? [config.organization.id] : adopted ? [] : [account.accountId]));
  const { forwarder } = account;
  const readsEventBridge = forwarder.existingArn === undefined && forwarder.code === undefined && forwarder.layerVersion >= LAYER_FEATURES.eventBridgeS3Events.layer;
  const trigger: TriggerPlan = !adopted
    ? config.organization && readsEventBridge
      ? { type: 'bucket-eventbridge', bucketName: logs.bucketName }
      : { type: 's3', filterPrefix: shared ? `${readPrefix}/` : `${readPrefix}/CloudTrail/` }
    : adopted.trigger.type === 'sns'
      ? { type: 'sns', topicArn: adopted.trigger.topicArn }
      : { type: 'eventbridge', bucketName: adopted.bucketName };
  const existingArn = account.forwarder.existingArn;
  return {
    function: existingArn ? undefined : account.forwarder,
    existingArn,
    bucketName: logs.bucketName,
    readPrefix,
    adoptedKeyArn: adopted?.keyArn,
    trigger,
    sourceAccounts: shared ? config.accounts.length : 1,
    adoptedBucketReaders: adopted && config.accounts.filter((other) => other !== account).map((other) => other.accountId),
  };
}

/** The stacks each stack must be deployed after, by name: for `cdktf`, `npm run shards` and `npm run shard`. */
export function dependenciesByName(plans: AccountPlan[]): Map<string, string[]> {
  return new Map(plans.map((plan) => [plan.account.name, plan.deployAfter ? [plan.deployAfter.name] : []]));
}
