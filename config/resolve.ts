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
}

export interface ResolvedForwarder {
  functionName: string;
  layerVersion: number;
  reservedConcurrency: number;
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
  const trail = withDefaults('trail', mergedTrail(config, account)) as ResolvedTrail;
  const { wave } = withDefaults('account', { ...account, trail: undefined, forwarder: undefined, tags: undefined });
  return {
    name: account.name,
    accountId: account.accountId,
    region: account.region,
    partition,
    datadogAccountId: datadogAccountId(site, partition) as string,
    assumeRoleArn: account.assumeRoleArn,
    wave: wave as number,
    trail: { ...trail, bucketName: expandBucketName(trail.bucketName, account) },
    forwarder: withDefaults('forwarder', { ...config.forwarder, ...account.forwarder }) as ResolvedForwarder,
    tags: { ...config.tags, ...account.tags },
  };
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
