/**
 * Rules the JSON Schema cannot express: cross-field consistency, partitions, global names,
 * and pasted secrets. Each check on the document reads it defensively, so that it can run
 * beside schema errors and the user sees every problem at once; the checks on what each stack
 * holds and on each account's effective settings (`planIssues`) read the account plans and the
 * resolved accounts, once the others pass, instead of merging overrides again on the JSON.
 */
import { closest, type ConfigIssue, joinPath, KEY_SHAPED } from './errors';
import { allRegions, CHINA_REGIONS, partitionOf } from './regions';
import { DATADOG_SITES, datadogAccountId, type DatadogSite, sitesServing } from './sites';
import { expandBucketName, type ResolvedConfig } from './resolve';
import type { AccountPlan, PlannedConfig } from './plan';
import { FORWARDER_RUNTIMES, LAYER_FEATURES, layerRuntime, NEWEST_LAYER, PYTHON_RUNTIMES } from './forwarder-layers';
import { isObject } from './json';
import { tokenMarkerIssues } from './terraform-literal';
import { withDefaults } from './schema-validation';
import { gitHubIssues } from './github';
import { enrollmentIssues } from './enrollment';

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export interface CheckOptions {
  /**
   * Accept accounts that have no external ID yet (`import-accounts` writes new accounts
   * before Datadog has issued theirs); synth never sets it.
   * @default false
   */
  allowMissingExternalIds?: boolean;
}

export function checkConfig(document: unknown, options: CheckOptions = {}): ConfigIssue[] {
  if (!isObject(document)) return [];
  const accounts = Array.isArray(document.accounts) ? document.accounts.filter(isObject) : [];
  return [
    ...pastedKeys(document),
    ...tokenMarkerIssues(document),
    ...duplicateAccounts(accounts),
    ...externalIdIssues(document, accounts, options),
    ...managedIntegrationIssues(document, accounts),
    ...accounts.flatMap((account, index) => accountIssues(document, account, index)),
    ...bucketNameIssues(document, accounts),
    ...organizationIssues(document, accounts),
    ...adoptedTrailIssues(document, accounts),
    ...backendIssues(document),
    ...secretKeyIssues(document, accounts),
    ...accessLogRetentionIssues(document, accounts),
    ...forwarderRuntimeIssues(document),
    ...gitHubIssues(document, accounts),
    ...enrollmentIssues(document, accounts),
    ...failedEventStoreIssues(document),
  ];
}

/** External IDs have an API key's shape, and are no secret. */
const EXTERNAL_ID_PATH = /^(datadog|accounts\[\d+\])\.externalId$/;

/**
 * Anything shaped like a Datadog API key (32 hex) or application key (40 hex), in a value or
 * a key, anywhere but a 32-hex external ID (datadog.externalId, accounts[].externalId).
 */
function pastedKeys(document: Json): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const report = (value: string, path: Array<string | number>): void => {
    const application = value.match(KEY_SHAPED)?.[1].length === 40;
    issues.push({
      path: joinPath(path),
      problem: `looks like a Datadog ${application ? 'application key' : 'API key'}; keys must never be in this file`,
      value,
      fix: application
        ? 'remove it (the toolkit needs no application key), and revoke the key in Datadog (Organization Settings > Application Keys), since it has been written down'
        : 'store it in AWS Secrets Manager and set datadog.apiKeySecretArn to the secret ARN; then revoke the key, since it has been written down',
    });
  };
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (KEY_SHAPED.test(key)) report(key, path);
        visit(item, [...path, key]);
      }
    } else if (typeof value === 'string' && KEY_SHAPED.test(value) && !(EXTERNAL_ID_PATH.test(joinPath(path)) && /^[0-9a-f]{32}$/i.test(value))) {
      report(value, path);
    }
  };
  visit(document, []);
  return issues;
}

/** Where to get an account's external ID, for messages. */
export const EXTERNAL_ID_SOURCE =
  "copy the account's external ID from Datadog's AWS integration tile (Add AWS account), or generate one with the Datadog API (POST /api/v2/integration/aws/generate_new_external_id), and set it as accounts[].externalId";

const createsRole = (document: Json) => !(isObject(document.datadog) && document.datadog.createRole === false);
const managesIntegration = (document: Json) => isObject(document.datadog) && document.datadog.manageIntegration === true;

/** The external ID an account's role trusts: its own, else `datadog.externalId`. */
function effectiveExternalId(document: Json, account: Json): string | undefined {
  return str(account.externalId) ?? (isObject(document.datadog) ? str(document.datadog.externalId) : undefined);
}

/**
 * Names of the accounts that still need an external ID of their own: those with none, and,
 * when several accounts fall back on `datadog.externalId`, each of them (it can serve one
 * account only). None when the toolkit creates no role.
 */
export function accountsNeedingExternalId(document: Json): string[] {
  if (!createsRole(document) || managesIntegration(document) || !Array.isArray(document.accounts)) return [];
  const accounts = document.accounts.filter(isObject);
  const inheriting = accounts.filter((account) => str(account.externalId) === undefined);
  const shared = isObject(document.datadog) ? str(document.datadog.externalId) : undefined;
  return shared !== undefined && inheriting.length === 1 ? [] : inheriting.map((account) => String(account.name));
}

/**
 * Datadog issues an external ID for one AWS account integration
 * (https://docs.datadoghq.com/api/latest/aws-integration/#generate-a-new-external-id), and an
 * ID expires unless an account is registered with it within 48 hours: one ID shared by
 * accounts registered days apart fails with 400 "invalid External ID"
 * (https://github.com/DataDog/terraform-provider-datadog/issues/3133). Every account whose
 * role the toolkit creates needs its own. With `allowMissingExternalIds`, only IDs the
 * accounts set themselves are checked. With `manageIntegration`, Datadog generates them
 * (managedIntegrationIssues).
 */
function externalIdIssues(document: Json, accounts: Json[], options: CheckOptions): ConfigIssue[] {
  if (!createsRole(document) || managesIntegration(document)) return [];
  const issues: ConfigIssue[] = [];
  const trusting = new Map<string, number[]>();
  accounts.forEach((account, index) => {
    const effective = options.allowMissingExternalIds ? str(account.externalId) : effectiveExternalId(document, account);
    if (effective !== undefined) trusting.set(effective, [...(trusting.get(effective) ?? []), index]);
    else if (!options.allowMissingExternalIds) {
      issues.push({
        path: `accounts[${index}].externalId`,
        problem: `is missing: account ${String(account.name)}'s Datadog role must trust the external ID Datadog issued for this AWS account`,
        fix: EXTERNAL_ID_SOURCE,
      });
    }
  });
  for (const [id, indexes] of trusting) {
    if (indexes.length < 2) continue;
    const names = indexes.map((index) => `${String(accounts[index].name)} (accounts[${index}])`);
    const inherited = indexes.some((index) => str(accounts[index].externalId) === undefined);
    issues.push({
      path: inherited ? 'datadog.externalId' : `accounts[${indexes[1]}].externalId`,
      problem: `is the external ID of ${indexes.length} accounts: ${names.join(', ')}; Datadog issues an external ID for one AWS account, and one ID shared by accounts registered days apart fails with "invalid External ID"`,
      value: id,
      fix: `give each of them its own: ${EXTERNAL_ID_SOURCE}`,
    });
  }
  return issues;
}

/** Where a user who switches to manageIntegration keeps the external IDs Datadog already issued. */
const IMPORT_EXISTING = "to keep an account's existing Datadog registration and the ID its role trusts, import both into its stack instead (docs/DATADOG.md: Switching an existing set-up to manageIntegration)";

/** The settings that only a Terraform-managed registration uses. */
const MANAGED_ONLY = ['collectMetrics', 'regions', 'monitor'] as const;

/**
 * With `manageIntegration`, Datadog generates each account's external ID and the role trusts
 * that one: an ID in this file would be a second source of truth that the stack ignores, so it
 * is refused rather than silently dropped. The toolkit must own the role to make it trust the
 * generated ID. The settings of the registration mean nothing without it.
 */
function managedIntegrationIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  const datadog = isObject(document.datadog) ? document.datadog : {};
  if (!managesIntegration(document)) {
    return MANAGED_ONLY.filter((field) => datadog[field] !== undefined && datadog[field] !== false).map((field) => ({
      path: `datadog.${field}`,
      problem: 'has no effect without datadog.manageIntegration: it configures the Datadog registration that Terraform then manages',
      value: datadog[field],
      fix: 'set datadog.manageIntegration to true, or remove it and configure the account in Datadog\'s AWS integration tile',
    }));
  }
  const issues: ConfigIssue[] = [];
  if (!createsRole(document)) {
    issues.push({
      path: 'datadog.createRole',
      problem: 'is false, but with datadog.manageIntegration the role must trust the external ID Datadog generates, so the toolkit must create it',
      value: false,
      fix: 'set createRole to true (remove it), or turn manageIntegration off and keep registering accounts in the Datadog tile',
    });
  }
  const idAt = (path: string, value: unknown) => ({
    path,
    problem: 'is not used with datadog.manageIntegration: Datadog generates each account\'s external ID, and its role trusts that one',
    value,
    fix: `remove it; ${IMPORT_EXISTING}`,
  });
  if (datadog.externalId !== undefined) issues.push(idAt('datadog.externalId', datadog.externalId));
  accounts.forEach((account, index) => {
    if (account.externalId !== undefined) issues.push(idAt(`accounts[${index}].externalId`, account.externalId));
  });
  const regions = Array.isArray(datadog.regions) ? datadog.regions : [];
  regions.forEach((region, index) => {
    if (typeof region !== 'string' || partitionOf(region) !== undefined) return;
    const suggestion = closest(region, allRegions());
    issues.push({
      path: `datadog.regions[${index}]`,
      problem: 'is not a known AWS region',
      value: region,
      fix: suggestion ? `did you mean "${suggestion}"?` : 'use AWS region names such as us-east-1',
    });
  });
  return issues;
}

function duplicateAccounts(accounts: Json[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  accounts.forEach((account, index) => {
    const name = str(account.name);
    // Stack names become directories: `Prod` and `prod` collide on case-insensitive disks.
    if (name !== undefined) {
      const first = names.get(name.toLowerCase());
      if (first === undefined) names.set(name.toLowerCase(), index);
      else
        issues.push({
          path: `accounts[${index}].name`,
          problem: `repeats the name of accounts[${first}]; each account is one stack, named after it`,
          value: name,
          fix: 'give every account a unique name (compared without case)',
        });
    }
    const id = str(account.accountId);
    if (id !== undefined) {
      const first = ids.get(id);
      if (first === undefined) ids.set(id, index);
      else
        issues.push({
          path: `accounts[${index}].accountId`,
          problem: `repeats the account ID of accounts[${first}]; two stacks for one account would fight over the same resources`,
          value: id,
          fix: 'list each AWS account once',
        });
    }
  });
  return issues;
}

function accountIssues(document: Json, account: Json, index: number): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = `accounts[${index}]`;
  const region = str(account.region);
  const accountId = str(account.accountId);
  const partition = region === undefined ? undefined : partitionOf(region);
  if (region !== undefined && partition === undefined) {
    if (CHINA_REGIONS.includes(region)) {
      issues.push({
        path: `${at}.region`,
        problem: 'is an AWS China region, which Datadog does not serve',
        value: region,
        fix: 'remove this account or use a region of the aws or aws-us-gov partition',
      });
    } else {
      const suggestion = closest(region, allRegions());
      issues.push({
        path: `${at}.region`,
        problem: 'is not a known AWS region',
        value: region,
        fix: suggestion ? `did you mean "${suggestion}"?` : `use an AWS region such as us-east-1 (known: ${allRegions().join(', ')})`,
      });
    }
  }
  const datadog = isObject(document.datadog) ? document.datadog : {};
  const site = str(datadog.site);
  if (partition && site && (DATADOG_SITES as readonly string[]).includes(site)) {
    if (datadogAccountId(site as DatadogSite, partition) === undefined) {
      issues.push({
        path: `${at}.region`,
        problem: `is in the ${partition} partition, which Datadog site ${site} does not serve`,
        value: region,
        fix: `use datadog.site ${sitesServing(partition).join(' or ')} for ${partition} accounts, or a region of another partition`,
      });
    }
  }
  const roleArn = str(account.assumeRoleArn);
  // An accountId of the wrong shape is the schema's to report: compared here, its fix would
  // copy the typo into the role ARN.
  if (roleArn && accountId && /^\d{12}$/.test(accountId)) {
    const [, rolePartition, , , roleAccount] = roleArn.split(':');
    if (roleAccount !== accountId) {
      issues.push({
        path: `${at}.assumeRoleArn`,
        problem: `is a role in account ${roleAccount}, but this entry is account ${accountId}: Terraform would deploy into the wrong account`,
        value: roleArn,
        fix: `use a role of account ${accountId}, e.g. arn:${partition ?? 'aws'}:iam::${accountId}:role/OrganizationAccountAccessRole`,
      });
    } else if (partition && rolePartition !== partition) {
      issues.push({
        path: `${at}.assumeRoleArn`,
        problem: `is in the ${rolePartition} partition but the account's region is in ${partition}`,
        value: roleArn,
        fix: `use arn:${partition}:iam::${accountId}:role/...`,
      });
    }
  }
  return issues;
}

/** S3 bucket names are global: every account's bucket, after token expansion, must be valid and unique. */
function bucketNameIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  const trail = isObject(document.trail) ? document.trail : {};
  // An adopted trail's bucket exists already; the toolkit names none.
  if (trail.existing !== undefined || document.controlTower !== undefined) return [];
  const issues: ConfigIssue[] = [];
  const owners = new Map<string, string>();
  let missing = false;
  accounts.forEach((account, index) => {
    const own = isObject(account.trail) ? str(account.trail.bucketName) : undefined;
    const template = own ?? str(trail.bucketName);
    const path = own !== undefined ? `accounts[${index}].trail.bucketName` : 'trail.bucketName';
    const accountId = str(account.accountId);
    const region = str(account.region);
    if (template === undefined) {
      missing = true;
      return;
    }
    if (accountId === undefined || region === undefined || !/^([a-z0-9.-]|\{accountId\}|\{region\})+$/.test(template)) return;
    const name = expandBucketName(template, { accountId, region });
    const problem = bucketNameProblem(name);
    if (problem) {
      issues.push({ path, problem: `gives ${JSON.stringify(name)} for accounts[${index}], which ${problem}`, value: template, fix: 'S3 bucket names are 3-63 characters of a-z, 0-9, "." and "-", start and end with a letter or digit, and are not IP addresses' });
      return;
    }
    const accessLogging = isObject(account.trail) && 'accessLogging' in account.trail ? account.trail.accessLogging : trail.accessLogging;
    if (accessLogging === undefined || accessLogging === true) {
      const logsProblem = bucketNameProblem(`${name}-access-logs`);
      if (logsProblem) {
        issues.push({
          path,
          problem: `gives ${JSON.stringify(name)}, whose access-log bucket "${name}-access-logs" ${logsProblem}`,
          value: template,
          fix: 'shorten the bucket name to at most 51 characters, or name the access-log bucket in trail.accessLogging.bucketName',
        });
      }
    }
    const first = owners.get(name);
    if (first !== undefined && !isObject(document.organization)) {
      issues.push({
        path,
        problem: `gives bucket ${JSON.stringify(name)} to accounts[${index}] and to ${first}; S3 bucket names are global, so each account needs its own`,
        value: template,
        fix: 'add {accountId} to trail.bucketName, or set accounts[].trail.bucketName per account',
      });
    } else if (first === undefined) owners.set(name, `accounts[${index}]`);
  });
  if (missing) {
    issues.push({
      path: 'trail.bucketName',
      problem: 'is required but missing',
      fix: 'name the S3 bucket for the trail logs, e.g. "acme-cloudtrail-{accountId}" (or set accounts[].trail.bucketName for every account)',
    });
  }
  return issues;
}

function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'is not 3-63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'does not start and end with a letter or digit';
  if (name.includes('..')) return 'has two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'is shaped like an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-')) return 'uses a prefix S3 reserves';
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3')) return 'uses a suffix S3 reserves';
  return undefined;
}

function organizationIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  if (!isObject(document.organization)) return [];
  const issues: ConfigIssue[] = [];
  const names = accounts.map((account) => str(account.name)).filter((name): name is string => name !== undefined);
  for (const field of ['managementAccount', 'logArchiveAccount']) {
    const name = str(document.organization[field]);
    if (name !== undefined && !names.includes(name)) {
      const suggestion = closest(name, names);
      issues.push({
        path: `organization.${field}`,
        problem: 'names no entry of accounts[]',
        value: name,
        fix: suggestion ? `did you mean "${suggestion}"?` : `use the name of one of: ${names.join(', ')}`,
      });
    }
  }
  const partitions = new Set(accounts.map((account) => partitionOf(str(account.region) ?? '')).filter(Boolean));
  if (partitions.size > 1) {
    issues.push({
      path: 'accounts',
      problem: `mixes the partitions ${[...partitions].join(' and ')}; an AWS Organization lives in one partition`,
      fix: 'split the accounts into one config per partition',
    });
  }
  return issues;
}

/**
 * The layer decides the runtime (config/forwarder-layers.ts). Checked here for the top-level
 * forwarder; each account's, its own settings merged over these, in `planIssues`.
 */
function forwarderRuntimeIssues(document: Json): ConfigIssue[] {
  const top = isObject(document.forwarder) ? document.forwarder : {};
  if (top.existingArn !== undefined) return [];
  const { layerVersion } = withDefaults('forwarder', { layerVersion: top.layerVersion }) as { layerVersion: unknown };
  if (top.code === undefined && (typeof layerVersion !== 'number' || layerVersion > NEWEST_LAYER)) return []; // the schema reports these
  return runtimeIssues({ code: top.code !== undefined, runtime: str(top.runtime), layerVersion: layerVersion as number, at: 'forwarder', where: (field) => `forwarder.${field}` });
}

interface RuntimeScope {
  /** A release zip (`code`), whose runtime the toolkit cannot tell. */
  code: boolean;
  /** The runtime as the config gives it (a resolved forwarder's is the layer's when none is). */
  runtime?: string;
  layerVersion: number;
  /** The forwarder settings checked: `forwarder` or `accounts[i].forwarder`. */
  at: string;
  /** Where `field` is set, for the message's path. */
  where: (field: string) => string;
}

function runtimeIssues({ code, runtime, layerVersion, at, where }: RuntimeScope): ConfigIssue[] {
  if (code) {
    return runtime !== undefined
      ? []
      : [{ path: `${at}.runtime`, problem: 'is required with forwarder.code: the toolkit cannot tell which Python a release zip was built for', fix: 'set the runtime of that forwarder release (its template.yaml Runtime), e.g. "python3.13" for 4.13.0-5.1.1' }];
  }
  const built = layerRuntime(layerVersion);
  if (built === undefined) {
    return [{ path: where('layerVersion'), problem: "is a layer number no Datadog Forwarder release carried in its template", value: layerVersion, fix: `use the layer of a forwarder release, e.g. ${NEWEST_LAYER} (the newest, and the default)` }];
  }
  if (!(FORWARDER_RUNTIMES as readonly string[]).includes(built.runtime)) {
    const { deprecated, source } = PYTHON_RUNTIMES[built.runtime];
    return [
      {
        path: where('layerVersion'),
        problem: `was built for ${built.runtime} (${built.source}), which Lambda deprecated on ${deprecated} (${source}): no security patches, and soon no function can be created or updated with it`,
        value: layerVersion,
        fix: `use a layer built for a runtime Lambda supports (${FORWARDER_RUNTIMES.join(', ')}): 43 or later; leave layerVersion out for ${NEWEST_LAYER}, the newest`,
      },
    ];
  }
  if (runtime !== undefined && runtime !== built.runtime) {
    return [
      {
        path: where('runtime'),
        problem: `is ${runtime}, but layer ${layerVersion} was built for ${built.runtime} (${built.source}); a layer's code runs only on the Python it was built for`,
        value: runtime,
        fix: `remove runtime: the layer decides it (${built.runtime}); or choose a layer built for ${runtime}`,
      },
    ];
  }
  return [];
}

/**
 * Datadog's failed-event store in SQS exists from forwarder 5.3.0 (layer 97): an older layer
 * would read DD_STORE_FAILED_EVENTS, find no S3 bucket to store in, and keep nothing. On by
 * default, so an older layer must turn it off by name. A release zip (`code`) is the user's
 * to keep at 5.3.0 or later. Checked here for the top-level forwarder; each account's, its own
 * settings merged over these, in `planIssues`.
 */
function failedEventStoreIssues(document: Json): ConfigIssue[] {
  const top = isObject(document.forwarder) ? document.forwarder : {};
  const { layerVersion, storeFailedEvents } = withDefaults('forwarder', { layerVersion: top.layerVersion, storeFailedEvents: top.storeFailedEvents }) as Json;
  if (top.existingArn !== undefined || top.code !== undefined || storeFailedEvents !== true || typeof layerVersion !== 'number') return [];
  return failedEventStoreIssue(layerVersion, 'forwarder.layerVersion', top.storeFailedEvents === undefined);
}

/** A layer too old for the failed-event store, which is on (by `defaulted`, the default). */
function failedEventStoreIssue(layerVersion: number, path: string, defaulted: boolean): ConfigIssue[] {
  const { layer, release } = LAYER_FEATURES.sqsFailedEventStore;
  if (layerVersion >= layer) return [];
  return [
    {
      path,
      problem: `is a forwarder older than ${release} (layer ${layer}), which cannot keep what it fails to send in SQS; storeFailedEvents is on${defaulted ? ' (the default)' : ''}`,
      value: layerVersion,
      fix: `use layer ${layer} or later (${NEWEST_LAYER}, the default, also keeps what Datadog's intake refuses), or set storeFailedEvents to false to run this older forwarder without the store`,
    },
  ];
}

/** The access-log retention applies only to the access-log bucket the toolkit creates. */
function accessLogRetentionIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  const top = isObject(document.trail) ? document.trail : {};
  const scopes = [
    { at: 'trail', own: top, logging: top.accessLogging },
    ...accounts.map((account, index) => {
      const own = isObject(account.trail) ? account.trail : {};
      return { at: `accounts[${index}].trail`, own, logging: own.accessLogging ?? top.accessLogging };
    }),
  ];
  return scopes
    .filter(({ own, logging }) => own.accessLogRetentionDays !== undefined && logging !== undefined && logging !== true)
    .map(({ at, own, logging }) => ({
      path: `${at}.accessLogRetentionDays`,
      problem: `has no effect with accessLogging ${JSON.stringify(logging)}: it is the retention of the access-log bucket the toolkit creates`,
      value: own.accessLogRetentionDays,
      fix: logging === false ? 'remove it' : 'remove it, and set the retention in the lifecycle of your access-log bucket',
    }));
}

/**
 * A secret is encrypted with a KMS key of its own region and partition, checked for the
 * top-level secret and each account's; an account's key belongs to the account's own secret.
 */
function secretKeyIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  const datadog = isObject(document.datadog) ? document.datadog : {};
  const scopes = [{ at: 'datadog', settings: datadog }, ...accounts.map((account, index) => ({ at: `accounts[${index}]`, settings: account }))];
  return scopes.flatMap(({ at, settings }): ConfigIssue[] => {
    const keyArn = str(settings.apiKeySecretKmsKeyArn);
    const secretArn = str(settings.apiKeySecretArn);
    if (keyArn === undefined) return [];
    if (secretArn === undefined) {
      return at === 'datadog'
        ? []
        : [{ path: `${at}.apiKeySecretKmsKeyArn`, problem: `is the key of a secret ${at} does not name: an account's key goes with its own apiKeySecretArn`, value: keyArn, fix: `set ${at}.apiKeySecretArn to the secret it encrypts, or remove it` }];
    }
    const [, keyPartition, , keyRegion] = keyArn.split(':');
    const [, secretPartition, , secretRegion] = secretArn.split(':');
    if (keyPartition === secretPartition && keyRegion === secretRegion) return [];
    return [
      {
        path: `${at}.apiKeySecretKmsKeyArn`,
        problem: `is a key in ${keyPartition}/${keyRegion}, but the secret is in ${secretPartition}/${secretRegion}; Secrets Manager encrypts a secret with a key of its own region`,
        value: keyArn,
        fix: "give the ARN of the key shown as the secret's encryption key in Secrets Manager (aws secretsmanager describe-secret: KmsKeyId)",
      },
    ];
  });
}

function backendIssues(document: Json): ConfigIssue[] {
  const s3 = isObject(document.backend) && isObject(document.backend.s3) ? document.backend.s3 : undefined;
  const region = str(s3?.region);
  if (region === undefined || partitionOf(region) !== undefined) return [];
  const suggestion = closest(region, allRegions());
  return [
    {
      path: 'backend.s3.region',
      problem: 'is not a known AWS region',
      value: region,
      fix: suggestion ? `did you mean "${suggestion}"?` : 'use the region of the state bucket, e.g. us-east-1',
    },
  ];
}

/** `trail.existing` and `controlTower`: where the forwarder goes, and how it is triggered. */
function adoptedTrailIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  accounts.forEach((account, index) => {
    if (isObject(account.trail) && account.trail.existing !== undefined) {
      issues.push({
        path: `accounts[${index}].trail.existing`,
        problem: 'adopts a trail for one account only; an adopted trail serves the whole config',
        fix: 'move it to trail.existing',
      });
    }
  });
  const existing = isObject(document.trail) && isObject(document.trail.existing) ? document.trail.existing : undefined;
  const controlTower = isObject(document.controlTower) ? document.controlTower : undefined;
  const organization = isObject(document.organization) ? document.organization : undefined;
  if (!existing && !controlTower) return issues;
  if (existing && controlTower) {
    issues.push({ path: 'controlTower', problem: 'adopts a trail while trail.existing adopts another', fix: 'keep one of controlTower and trail.existing' });
    return issues;
  }
  const at = existing ? 'trail.existing' : 'controlTower';
  const settings = (existing ?? controlTower) as Json;
  const bucketAccountName = existing ? str(existing.bucketAccount) : str(organization?.logArchiveAccount);
  if (controlTower && !organization) {
    issues.push({ path: 'controlTower', problem: "needs an organization: Control Tower's trail is an organization trail", fix: 'add organization, with Control Tower\'s log archive account as logArchiveAccount' });
    return issues;
  }
  const index = accounts.findIndex((account) => account.name === bucketAccountName);
  const bucketAccount = accounts[index];
  if (existing && bucketAccountName !== undefined && !bucketAccount) {
    const names = accounts.map((account) => str(account.name)).filter((name): name is string => name !== undefined);
    const suggestion = closest(bucketAccountName, names);
    issues.push({
      path: 'trail.existing.bucketAccount',
      problem: 'names no entry of accounts[]: the forwarder must be deployed in the bucket\'s account',
      value: bucketAccountName,
      fix: suggestion ? `did you mean "${suggestion}"?` : 'add the account that owns the bucket to accounts[] and name it here',
    });
  }
  if (!bucketAccount) return issues;
  const region = str(bucketAccount.region);
  const accountId = str(bucketAccount.accountId);
  if (controlTower) {
    issues.push(...controlTowerNameIssues(controlTower));
    const management = accounts.find((account) => account.name === str(organization?.managementAccount));
    const home = str(controlTower.homeRegion) ?? str(management?.region);
    if (str(controlTower.homeRegion) !== undefined && partitionOf(str(controlTower.homeRegion) as string) === undefined) {
      const suggestion = closest(str(controlTower.homeRegion) as string, allRegions());
      issues.push({
        path: 'controlTower.homeRegion',
        problem: 'is not a known AWS region',
        value: controlTower.homeRegion,
        fix: suggestion ? `did you mean "${suggestion}"?` : "use Control Tower's home region, e.g. us-east-1",
      });
    }
    if (home && region && home !== region) {
      issues.push({
        path: `accounts[${index}].region`,
        problem: `is ${region}, but Control Tower's log bucket is in its home region ${home}, and the forwarder must be in the bucket's region`,
        value: region,
        fix: `set the log archive account's region to ${home} (or controlTower.homeRegion to the real home region)`,
      });
    }
  }
  const trigger = str(settings.trigger);
  const topic = str(settings.snsTopicArn);
  if (trigger === 'sns' && topic === undefined) {
    issues.push({ path: `${at}.snsTopicArn`, problem: 'is required with trigger "sns"', fix: 'give the ARN of the SNS topic the bucket sends its object-created events to' });
  }
  if (topic !== undefined) {
    const [, , , topicRegion, topicAccount] = topic.split(':');
    if (trigger !== 'sns') {
      issues.push({ path: `${at}.snsTopicArn`, problem: 'is only used with trigger "sns"', value: topic, fix: 'remove it, or set trigger to "sns"' });
    } else if (topicRegion !== region || topicAccount !== accountId) {
      issues.push({
        path: `${at}.snsTopicArn`,
        problem: `is in ${topicAccount}/${topicRegion}, not in the bucket's account and region (${accountId}/${region}), where the forwarder runs`,
        value: topic,
        fix: "use the topic the bucket notifies, in the bucket's account and region",
      });
    }
  }
  return issues;
}

/**
 * Landing zone 4.0 names its trail and bucket with a suffix it generates, which the toolkit
 * cannot derive (config/control-tower.ts): the config must give them.
 */
function controlTowerNameIssues(controlTower: Json): ConfigIssue[] {
  if (controlTower.landingZoneVersion !== '4.0') return [];
  const describe = "copy it from `aws cloudtrail describe-trails --region <home region>` run in the management account (the organization trail's";
  return [
    ...(controlTower.trailName === undefined
      ? [{ path: 'controlTower.trailName', problem: 'is required with landingZoneVersion "4.0", whose trail name carries a suffix Control Tower generates', fix: `${describe} Name)` }]
      : []),
    ...(controlTower.bucketName === undefined
      ? [{ path: 'controlTower.bucketName', problem: 'is required with landingZoneVersion "4.0", whose bucket name carries a suffix Control Tower generates', fix: `${describe} S3BucketName)` }]
      : []),
  ];
}

/**
 * Rules on what each account's stack holds and on per-account settings, read from the account
 * plans (config/plan.ts) and the resolved accounts (config/resolve.ts) instead of derived again
 * here: they run once the rest of the config is valid, on the config resolved from `document`,
 * which they read only for where a setting was written (its JSON path).
 */
export function planIssues(document: Json, config: PlannedConfig): ConfigIssue[] {
  return [
    ...stackIssues(document, config),
    ...accountForwarderIssues(document, config),
    ...waveOrderIssues(config),
    ...adoptedTriggerIssues(document, config),
  ];
}

/**
 * The runtime and failed-event store of each account's forwarder (see `forwarderRuntimeIssues`,
 * `failedEventStoreIssues`). An account that sets none of its forwarder's fields these read has
 * the top-level forwarder's, already checked; the document says only where a field is set.
 */
function accountForwarderIssues(document: Json, config: ResolvedConfig): ConfigIssue[] {
  const forwarderOf = (settings: unknown): Json => (isObject(settings) && isObject(settings.forwarder) ? settings.forwarder : {});
  const top = forwarderOf(document);
  const entries = Array.isArray(document.accounts) ? document.accounts.filter(isObject) : [];
  return config.accounts.flatMap(({ forwarder }, index) => {
    if (forwarder.existingArn !== undefined) return [];
    const own = forwarderOf(entries[index]);
    const at = `accounts[${index}].forwarder`;
    const where = (field: string) => (own[field] !== undefined ? `${at}.${field}` : `forwarder.${field}`);
    const code = forwarder.code !== undefined;
    return [
      ...runtimeIssues({ code, runtime: str(own.runtime ?? top.runtime), layerVersion: forwarder.layerVersion, at, where }),
      ...(code || !forwarder.storeFailedEvents ? [] : failedEventStoreIssue(forwarder.layerVersion, where('layerVersion'), (own.storeFailedEvents ?? top.storeFailedEvents) === undefined)),
    ];
  });
}

/** What each account's stack holds, against what the account's entry in `document` sets. */
function stackIssues(document: Json, config: PlannedConfig): ConfigIssue[] {
  const accounts = Array.isArray(document.accounts) ? document.accounts.filter(isObject) : [];
  const topForwarder = isObject(document.forwarder) ? str(document.forwarder.existingArn) : undefined;
  return config.plans.flatMap((plan, index) => {
    const raw = accounts[index];
    const issues: ConfigIssue[] = [];
    const where = config.organization
      ? 'in an organization, the trail belongs to the management account, its bucket and the forwarder to the log-archive account'
      : "the trail is adopted: the toolkit creates no trail or bucket, and runs the forwarder in the bucket's account";
    if (raw.trail !== undefined && !plan.trail && !plan.logArchive) {
      issues.push({ path: `accounts[${index}].trail`, problem: `has no effect: ${where}`, fix: 'remove it, or set it on the account that holds the trail or its bucket, or at the top level' });
    }
    if (raw.forwarder !== undefined && !plan.forwarder) {
      issues.push({ path: `accounts[${index}].forwarder`, problem: `has no effect: ${where}`, fix: 'remove it, or set it on the account that runs the forwarder, or at the top level' });
    }
    issues.push(...apiKeySecretIssues(plan, raw, index), ...alarmTopicIssues(plan, raw, index));
    const existing = plan.forwarder?.existingArn;
    if (existing !== undefined) {
      // S3, EventBridge and SNS invoke only a function of the bucket's own account and region.
      const [, , , region, accountId] = existing.split(':');
      const { account } = plan;
      if (region !== account.region || accountId !== account.accountId) {
        const own = isObject(raw.forwarder) && str(raw.forwarder.existingArn) !== undefined;
        issues.push({
          path: own || topForwarder === undefined ? `accounts[${index}].forwarder.existingArn` : 'forwarder.existingArn',
          problem: `is in ${accountId}/${region}, but accounts[${index}] triggers it from ${account.accountId}/${account.region}: S3, EventBridge and SNS triggers cannot cross accounts or regions`,
          value: existing,
          fix: `use a forwarder in account ${account.accountId}, region ${account.region} (set accounts[${index}].forwarder.existingArn per account)`,
        });
      }
    }
    return issues;
  });
}

/**
 * The organization trail needs its bucket: the log-archive account deploys in the management
 * account's wave or before it.
 */
function waveOrderIssues(config: ResolvedConfig): ConfigIssue[] {
  const { logArchive, management } = config.organization ?? {};
  if (!logArchive || !management || logArchive.wave <= management.wave) return [];
  return [
    {
      path: `accounts[${config.accounts.indexOf(logArchive)}].wave`,
      problem: `puts the log-archive account in wave ${logArchive.wave}, after the management account (wave ${management.wave}), whose organization trail needs its bucket`,
      value: logArchive.wave,
      fix: `set it to ${management.wave} or lower`,
    },
  ];
}

/**
 * An adopted bucket's EventBridge rule passes S3 events, which only a forwarder of 5.3.0 or
 * later reads as log files. A forwarder the user runs, or a release zip, is theirs to keep at
 * 5.3.0 or later (docs/ORGANIZATIONS.md).
 */
function adoptedTriggerIssues(document: Json, config: ResolvedConfig): ConfigIssue[] {
  const adopted = config.adoptedTrail;
  if (adopted?.trigger.type !== 'eventbridge') return [];
  const { forwarder } = adopted.bucketAccount;
  const { layer, release } = LAYER_FEATURES.eventBridgeS3Events;
  if (forwarder.existingArn !== undefined || forwarder.code !== undefined || forwarder.layerVersion >= layer) return [];
  const at = isObject(document.trail) && document.trail.existing !== undefined ? 'trail.existing' : 'controlTower';
  return [
    {
      path: `${at}.trigger`,
      problem: `is "eventbridge", which needs Datadog Forwarder ${release} or later (layer ${layer}); the forwarder of the bucket's account is layer ${forwarder.layerVersion}, which forwards the event itself instead of the log file`,
      value: adopted.trigger.type,
      fix: `leave forwarder.layerVersion out (${NEWEST_LAYER}) or set it to ${layer} or later, or use trigger "sns" with the SNS topic the bucket notifies`,
    },
  ];
}

/**
 * The secret an account's forwarder would read its API key from: never one of another
 * partition, whichever account names it. The secret a forwarder the toolkit deploys reads:
 * the Datadog Forwarder builds its Secrets Manager client without `region_name`, so boto3 takes the Lambda's own
 * region (settings.py, `boto3.client("secretsmanager", config=boto3_config)`, the same at
 * aws-dd-forwarder-5.1.1 and 5.4.11 in https://github.com/DataDog/datadog-serverless-functions):
 * a secret of another region is not found. Reading the region from the ARN is commit b9af797e
 * (PR 1192, 2026-08-14), in no release tag: when a release has it, add it to LAYER_FEATURES
 * and accept the secret's region from that layer on. A secret of another account needs a
 * resource policy and a customer managed key: "you can't use the AWS managed key
 * (aws/secretsmanager) for cross-account access"
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html).
 */
function apiKeySecretIssues(plan: AccountPlan, raw: Json, index: number): ConfigIssue[] {
  const { account } = plan;
  const own = str(raw.apiKeySecretArn) !== undefined;
  const path = own ? `accounts[${index}].apiKeySecretArn` : 'datadog.apiKeySecretArn';
  const { arn, kmsKeyArn } = account.apiKeySecret;
  const [, partition, , region, accountId] = arn.split(':');
  if (partition !== account.partition) {
    return [
      {
        path,
        problem: `is in the ${partition} partition but account accounts[${index}] is in ${account.partition}; the forwarder cannot read a secret across partitions`,
        value: arn,
        fix: `store the API key in a secret of the ${account.partition} partition`,
      },
    ];
  }
  if (!plan.forwarder?.function) {
    return own
      ? [{ path, problem: `has no effect: accounts[${index}] runs no forwarder the toolkit deploys`, value: arn, fix: 'remove it, or set it on the account that runs the forwarder' }]
      : [];
  }
  const issues: ConfigIssue[] = [];
  if (region !== account.region) {
    issues.push({
      path,
      problem: `is in ${region}, but accounts[${index}]'s forwarder runs in ${account.region} and reads its secret there: no Datadog Forwarder release (up to 5.4.11) reads a secret in another region`,
      value: arn,
      fix: `store the API key in a secret (or a replica) in ${account.region} and set accounts[${index}].apiKeySecretArn to its ARN`,
    });
  }
  if (accountId !== account.accountId && kmsKeyArn === undefined) {
    issues.push({
      path,
      problem: `is a secret of account ${accountId}, read by accounts[${index}]'s forwarder in ${account.accountId}: Secrets Manager's default key aws/secretsmanager cannot be used across accounts`,
      value: arn,
      fix: `encrypt the secret with a customer managed key and set its ARN as ${own ? `accounts[${index}]` : 'datadog'}.apiKeySecretKmsKeyArn (the stack then prints the statements the secret's owner adds), or give accounts[${index}] a secret of its own account`,
    });
  }
  return issues;
}

/**
 * A CloudWatch alarm notifies an SNS topic of its own region
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html);
 * the alarms are the forwarder's, in its account and region.
 */
function alarmTopicIssues(plan: AccountPlan, raw: Json, index: number): ConfigIssue[] {
  const forwarder = plan.forwarder?.function;
  const topic = forwarder?.alarms.snsTopicArn;
  if (!forwarder || topic === undefined) return [];
  const own = isObject(raw.forwarder) && raw.forwarder.alarms !== undefined;
  const [, , , region, accountId] = topic.split(':');
  const { account } = plan;
  if (region === account.region && accountId === account.accountId) return [];
  return [
    {
      path: own ? `accounts[${index}].forwarder.alarms.snsTopicArn` : 'forwarder.alarms.snsTopicArn',
      problem: `is a topic in ${accountId}/${region}, but accounts[${index}]'s forwarder and its alarms are in ${account.accountId}/${account.region}`,
      value: topic,
      fix: `use a topic in account ${account.accountId}, region ${account.region} (set accounts[${index}].forwarder.alarms per account)`,
    },
  ];
}
