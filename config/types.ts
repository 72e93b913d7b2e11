/**
 * The config file's shape, as `config/schema.json` describes it. Optional fields are the
 * ones a user may leave out; `ResolvedConfig` (resolve.ts) is what the rest of the code sees.
 */
import type { DatadogSite } from './sites';

export interface DatadogSettings {
  site: DatadogSite;
  externalId?: string;
  apiKeySecretArn: string;
  apiKeySecretKmsKeyArn?: string;
  roleName?: string;
  createRole?: boolean;
  manageIntegration?: boolean;
  collectMetrics?: boolean;
  regions?: string[];
  monitor?: { noLogsMinutes?: number; notify?: string[] };
}

export type AdoptedTrigger = 'eventbridge' | 'sns';

export interface ExistingTrailSettings {
  bucketName: string;
  bucketAccount: string;
  s3KeyPrefix?: string;
  keyArn?: string;
  trailArns: string[];
  trigger: AdoptedTrigger;
  snsTopicArn?: string;
}

export interface ControlTowerSettings {
  homeRegion?: string;
  keyArn?: string;
  trigger: AdoptedTrigger;
  snsTopicArn?: string;
}

export interface TrailSettings {
  existing?: ExistingTrailSettings;
  name?: string;
  bucketName?: string;
  s3KeyPrefix?: string;
  kms?: boolean;
  retentionDays?: number;
  noncurrentVersionRetentionDays?: number;
  accessLogging?: boolean | { bucketName: string };
  cloudWatchLogs?: { enabled?: boolean; retentionDays?: number };
  s3DataEvents?: 'none' | 'write' | 'read' | 'all';
}

export interface ForwarderSettings {
  functionName?: string;
  layerVersion?: number;
  runtime?: 'python3.11' | 'python3.12' | 'python3.13';
  code?: { s3Bucket: string; s3Key: string; s3ObjectVersion?: string };
  reservedConcurrency?: number;
  memorySize?: number;
  timeout?: number;
  logRetentionDays?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  ddTags?: string;
  existingArn?: string;
}

export type Tags = Record<string, string>;

export interface AccountSettings {
  name: string;
  accountId: string;
  region: string;
  externalId?: string;
  assumeRoleArn?: string;
  wave?: number;
  trail?: TrailSettings;
  forwarder?: ForwarderSettings;
  tags?: Tags;
}

export interface OrganizationSettings {
  id: string;
  managementAccount: string;
  logArchiveAccount: string;
}

export interface BackendSettings {
  s3: { bucket: string; region: string; keyPrefix?: string; roleArn?: string };
}

export interface Config {
  $schema?: string;
  datadog: DatadogSettings;
  trail?: TrailSettings;
  forwarder?: ForwarderSettings;
  tags?: Tags;
  accounts: AccountSettings[];
  organization?: OrganizationSettings;
  controlTower?: ControlTowerSettings;
  backend?: BackendSettings;
}
