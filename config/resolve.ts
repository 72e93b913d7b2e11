/**
 * Turns a valid config into what the stacks consume: the schema's defaults filled in, each
 * account's overrides merged over the top-level settings, partitions and tokens resolved.
 * Nothing outside `config/` re-defaults a field.
 */
import type { AccountSettings, Config, OrganizationSettings, Tags, TrailSettings } from './types';
import { partitionOf, type Partition } from './regions';
import { datadogAccountId, type DatadogSite } from './sites';
import { withDefaults } from './schema-validation';

export interface ResolvedDatadog {
  site: DatadogSite;
  externalId: string;
  apiKeySecretArn: string;
  roleName: string;
  createRole: boolean;
}

export interface ResolvedTrail {
  name: string;
  bucketName: string;
  s3KeyPrefix?: string;
  kms: boolean;
  retentionDays: number;
  noncurrentVersionRetentionDays: number;
  /** The bucket that receives S3 server access logs, and whether the toolkit creates it; undefined when off. */
  accessLogBucket?: { name: string; create: boolean };
  cloudWatchLogs: { enabled: boolean; retentionDays: number };
  s3DataEvents: 'none' | 'write' | 'read' | 'all';
}

export interface ResolvedForwarder {
  functionName: string;
  layerVersion: number;
  runtime: 'python3.12' | 'python3.13';
  code?: { s3Bucket: string; s3Key: string; s3ObjectVersion?: string };
  reservedConcurrency: number;
  memorySize: number;
  timeout: number;
  logRetentionDays: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  ddTags?: string;
}

export interface ResolvedAccount {
  name: string;
  accountId: string;
  region: string;
  partition: Partition;
  /** The Datadog AWS account that assumes the integration role in this account. */
  datadogAccountId: string;
  assumeRoleArn?: string;
  wave: number;
  trail: ResolvedTrail;
  forwarder: ResolvedForwarder;
  tags: Tags;
}

export interface ResolvedOrganization {
  id: string;
  management: ResolvedAccount;
  logArchive: ResolvedAccount;
}

export interface ResolvedBackend {
  s3: { bucket: string; region: string; keyPrefix: string; roleArn?: string };
}

export interface ResolvedConfig {
  datadog: ResolvedDatadog;
  accounts: ResolvedAccount[];
  organization?: ResolvedOrganization;
  backend?: ResolvedBackend;
}

/** Effective trail settings of an account, before defaults: the account's fields win. */
export function mergedTrail(config: Config, account: AccountSettings): TrailSettings {
  return { ...config.trail, ...account.trail };
}

/** `{accountId}` and `{region}` in a bucket name, replaced for one account. */
export function expandBucketName(template: string, account: Pick<AccountSettings, 'accountId' | 'region'>): string {
  return template.replace(/\{accountId\}/g, account.accountId).replace(/\{region\}/g, account.region);
}

/** Call only on a config that `checkConfig` passed: it relies on every invariant checked there. */
export function resolveConfig(config: Config): ResolvedConfig {
  const datadog = withDefaults('datadog', config.datadog) as ResolvedDatadog;
  const accounts = config.accounts.map((account) => resolveAccount(config, account, datadog.site));
  const byName = (name: string) => accounts.find((account) => account.name === name) as ResolvedAccount;
  return {
    datadog,
    accounts,
    organization: config.organization && resolveOrganization(config.organization, byName),
    backend: config.backend && (withDefaults('backend', config.backend) as ResolvedBackend),
  };
}

function resolveAccount(config: Config, account: AccountSettings, site: DatadogSite): ResolvedAccount {
  const partition = partitionOf(account.region) as Partition;
  const trail = withDefaults('trail', mergedTrail(config, account));
  const bucketName = expandBucketName(trail.bucketName as string, account);
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
      accessLogBucket: accessLogBucket(trail.accessLogging, bucketName, account),
    },
    forwarder: withDefaults('forwarder', { ...config.forwarder, ...account.forwarder }) as ResolvedForwarder,
    tags: { ...config.tags, ...account.tags },
  };
}

/** S3 server access logs go to `<bucket>-access-logs` unless the config names a bucket or turns them off. */
export function accessLogBucket(
  setting: TrailSettings['accessLogging'],
  bucketName: string,
  account: Pick<AccountSettings, 'accountId' | 'region'>,
): ResolvedTrail['accessLogBucket'] {
  if (setting === false) return undefined;
  if (typeof setting === 'object') return { name: expandBucketName(setting.bucketName, account), create: false };
  return { name: `${bucketName}-access-logs`, create: true };
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
