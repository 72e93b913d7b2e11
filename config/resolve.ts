/**
 * Turns a valid config into what the stacks consume: the schema's defaults filled in, each
 * account's overrides merged over the top-level settings, partitions and tokens resolved, and
 * every string a Terraform literal (`${` and `%{` escaped: config/terraform-literal.ts).
 * Nothing outside `config/` re-defaults a field, and nothing escapes a config string again.
 */
import type { AccountSettings, Config, ExistingTrailSettings, ForwarderSettings, OrganizationSettings, Tags, TrailSettings } from './types';
import { derivedControlTowerNames } from './control-tower';
import { trailArn } from './arns';
import { partitionOf, type Partition } from './regions';
import { datadogAccountId, type DatadogSite } from './sites';
import { withDefaults } from './schema-validation';
import { type ForwarderRuntime, layerRuntime } from './forwarder-layers';
import { resolveGitHub, type ResolvedGitHub } from './github';
import { enrollmentScope, type EnrollmentScope } from './enrollment';
import { terraformLiterals } from './terraform-literal';

export interface ResolvedDatadog {
  site: DatadogSite;
  roleName: string;
  createRole: boolean;
  /** Terraform registers each account with Datadog, with an external ID Datadog generates. */
  manageIntegration: boolean;
  /** With manageIntegration: Datadog collects CloudWatch metrics, and the role may read them. */
  collectMetrics: boolean;
  /** With manageIntegration: the regions Datadog collects from; undefined for all. */
  regions?: string[];
  /** With manageIntegration: a no-logs monitor per forwarding account; undefined for none. */
  monitor?: { noLogsMinutes: number; notify: string[] };
}

export interface ResolvedTrail {
  name: string;
  bucketName: string;
  s3KeyPrefix?: string;
  kms: boolean;
  retentionDays: number;
  noncurrentVersionRetentionDays: number;
  /**
   * The bucket that receives S3 server access logs: the toolkit's, with the days its records
   * are kept, or the user's; undefined when off.
   */
  accessLogBucket?: { name: string; create: true; retentionDays: number } | { name: string; create: false };
  cloudWatchLogs: { enabled: boolean; retentionDays: number };
  s3DataEvents: NonNullable<TrailSettings['s3DataEvents']>;
}

export interface ResolvedForwarder {
  /** A forwarder the user already runs: the toolkit then creates only its trigger. */
  existingArn?: string;
  functionName: string;
  layerVersion: number;
  /** The runtime set with `code`, else the one the layer was built for (config/forwarder-layers.ts). */
  runtime: ForwarderRuntime;
  code?: { s3Bucket: string; s3Key: string; s3ObjectVersion?: string };
  /** Datadog's failed-event store: an SQS queue, and a schedule that retries what it holds. */
  storeFailedEvents: boolean;
  retryIntervalHours: number;
  /** Unset: no reservation (see the schema's description). */
  reservedConcurrency?: number;
  memorySize: number;
  timeout: number;
  logRetentionDays: number;
  logLevel: NonNullable<ForwarderSettings['logLevel']>;
  ddTags?: string;
  /** CloudWatch alarms on its failures, and the topic they notify. */
  alarms: { enabled: boolean; snsTopicArn?: string };
}

export interface ResolvedAccount {
  name: string;
  accountId: string;
  region: string;
  partition: Partition;
  /** The Datadog AWS account that assumes the integration role in this account. */
  datadogAccountId: string;
  /**
   * The external ID this account's Datadog role trusts: its own, or `datadog.externalId`; unset
   * when the role is not created, and with `datadog.manageIntegration`, where Datadog generates it.
   */
  externalId?: string;
  assumeRoleArn?: string;
  /** The secret its forwarder reads the Datadog API key from: its own, or `datadog.apiKeySecretArn`. */
  apiKeySecret: ApiKeySecret;
  wave: number;
  trail: ResolvedTrail;
  forwarder: ResolvedForwarder;
  tags: Tags;
}

export interface ApiKeySecret {
  arn: string;
  /** Its customer managed key; undefined for Secrets Manager's own aws/secretsmanager. */
  kmsKeyArn?: string;
}

export interface ResolvedOrganization {
  id: string;
  management: ResolvedAccount;
  logArchive: ResolvedAccount;
}

export interface ResolvedBackend {
  s3: { bucket: string; region: string; keyPrefix: string; roleArn?: string };
}

/** A trail and bucket the user already runs, adopted without being owned. */
export interface ResolvedAdoptedTrail {
  bucketName: string;
  /** The account that owns the bucket; its stack holds the forwarder and its trigger. */
  bucketAccount: ResolvedAccount;
  s3KeyPrefix?: string;
  keyArn?: string;
  trailArns: string[];
  trigger: { type: 'eventbridge' } | { type: 'sns'; topicArn: string };
}

/** The settings, defaults filled in: what the account plans are decided from (config/plan.ts). */
export interface ResolvedConfig {
  datadog: ResolvedDatadog;
  accounts: ResolvedAccount[];
  organization?: ResolvedOrganization;
  adoptedTrail?: ResolvedAdoptedTrail;
  backend?: ResolvedBackend;
  /** The CI's repository, OIDC account and roles (config/github.ts). */
  github?: ResolvedGitHub;
  /** Which of the organization's accounts are enrolled (config/enrollment.ts). */
  enrollment: EnrollmentScope;
}

/** Effective trail settings of an account, before defaults: the account's fields win. */
function mergedTrail(config: Config, account: AccountSettings): TrailSettings {
  return { ...config.trail, ...account.trail, existing: undefined };
}

/** `{accountId}` and `{region}` in a bucket name, replaced for one account. */
export function expandBucketName(template: string, account: Pick<AccountSettings, 'accountId' | 'region'>): string {
  return template.replace(/\{accountId\}/g, account.accountId).replace(/\{region\}/g, account.region);
}

/**
 * Call only on a config that `checkConfig` passed: it relies on every invariant checked there.
 * Every string of the result is a Terraform literal (config/terraform-literal.ts): this is the
 * one place where config values are escaped on their way into the stacks.
 */
export function resolveConfig(document: Config): ResolvedConfig {
  const config = terraformLiterals(document);
  const { externalId, apiKeySecretArn, apiKeySecretKmsKeyArn, ...datadog } = withDefaults('datadog', config.datadog) as ResolvedDatadog & {
    externalId?: string;
    apiKeySecretArn: string;
    apiKeySecretKmsKeyArn?: string;
  };
  const adopted = adoptedSettings(config);
  const accounts = config.accounts.map((account) => ({
    ...resolveAccount(config, account, datadog.site, adopted?.bucketName),
    externalId: datadog.createRole && !datadog.manageIntegration ? (account.externalId ?? externalId) : undefined,
    // A key belongs to its secret: an account's own secret does not take the top-level key.
    apiKeySecret: account.apiKeySecretArn
      ? { arn: account.apiKeySecretArn, kmsKeyArn: account.apiKeySecretKmsKeyArn }
      : { arn: apiKeySecretArn, kmsKeyArn: apiKeySecretKmsKeyArn },
  }));
  const byName = (name: string) => accounts.find((account) => account.name === name) as ResolvedAccount;
  return {
    datadog,
    accounts,
    organization: config.organization && resolveOrganization(config.organization, byName),
    adoptedTrail: adopted && {
      bucketName: adopted.bucketName,
      bucketAccount: byName(adopted.bucketAccount),
      s3KeyPrefix: adopted.s3KeyPrefix,
      keyArn: adopted.keyArn,
      trailArns: adopted.trailArns,
      trigger: adopted.trigger === 'sns' ? { type: 'sns', topicArn: adopted.snsTopicArn as string } : { type: 'eventbridge' },
    },
    backend: config.backend && (withDefaults('backend', config.backend) as ResolvedBackend),
    github: resolveGitHub(config),
    enrollment: enrollmentScope(config),
  };
}

/** `trail.existing` as given, or as the Control Tower preset derives it from the organization. */
function adoptedSettings(config: Config): ExistingTrailSettings | undefined {
  if (config.trail?.existing) return config.trail.existing;
  const controlTower = config.controlTower;
  const organization = config.organization;
  if (!controlTower || !organization) return undefined;
  const management = config.accounts.find((account) => account.name === organization.managementAccount) as AccountSettings;
  const logArchive = config.accounts.find((account) => account.name === organization.logArchiveAccount) as AccountSettings;
  const homeRegion = controlTower.homeRegion ?? management.region;
  const partition = partitionOf(homeRegion) as Partition;
  // checkConfig requires the names a version does not derive.
  const derived = derivedControlTowerNames(controlTower.landingZoneVersion, logArchive.accountId, homeRegion);
  return {
    bucketName: (controlTower.bucketName ?? derived.bucketName) as string,
    bucketAccount: logArchive.name,
    s3KeyPrefix: organization.id,
    keyArn: controlTower.keyArn,
    trailArns: [trailArn(partition, homeRegion, management.accountId, (controlTower.trailName ?? derived.trailName) as string)],
    trigger: controlTower.trigger,
    snsTopicArn: controlTower.snsTopicArn,
  };
}

function resolveAccount(config: Config, account: AccountSettings, site: DatadogSite, adoptedBucket: string | undefined): Omit<ResolvedAccount, 'apiKeySecret'> {
  const partition = partitionOf(account.region) as Partition;
  const trail = withDefaults('trail', mergedTrail(config, account));
  const bucketName = adoptedBucket ?? expandBucketName(trail.bucketName as string, account);
  const { wave } = withDefaults('account', { ...account, trail: undefined, forwarder: undefined, tags: undefined });
  return {
    name: account.name,
    accountId: account.accountId,
    region: account.region,
    partition,
    datadogAccountId: datadogAccountId(site, partition) as string,
    assumeRoleArn: account.assumeRoleArn,
    wave: wave as number,
    trail: {
      ...(trail as Omit<ResolvedTrail, 'bucketName' | 'accessLogBucket'>),
      bucketName,
      accessLogBucket: adoptedBucket ? undefined : accessLogBucket(trail.accessLogging, bucketName, account, trail.accessLogRetentionDays as number),
    },
    forwarder: resolveForwarder({ ...config.forwarder, ...account.forwarder }),
    tags: { ...config.tags, ...account.tags },
  };
}

function resolveForwarder(settings: ForwarderSettings): ResolvedForwarder {
  const forwarder = withDefaults('forwarder', settings) as Omit<ResolvedForwarder, 'runtime'> & { runtime?: ForwarderRuntime };
  return { ...forwarder, runtime: forwarder.runtime ?? (layerRuntime(forwarder.layerVersion)?.runtime as ForwarderRuntime) };
}

/** S3 server access logs go to `<bucket>-access-logs` unless the config names a bucket or turns them off. */
export function accessLogBucket(
  setting: TrailSettings['accessLogging'],
  bucketName: string,
  account: Pick<AccountSettings, 'accountId' | 'region'>,
  retentionDays: number,
): ResolvedTrail['accessLogBucket'] {
  if (setting === false) return undefined;
  if (typeof setting === 'object') return { name: expandBucketName(setting.bucketName, account), create: false };
  return { name: `${bucketName}-access-logs`, create: true, retentionDays };
}

function resolveOrganization(
  organization: OrganizationSettings,
  byName: (name: string) => ResolvedAccount,
): ResolvedOrganization {
  return {
    id: organization.id,
    management: byName(organization.managementAccount),
    logArchive: byName(organization.logArchiveAccount),
  };
}
