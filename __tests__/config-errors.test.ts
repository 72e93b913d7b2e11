import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../config/errors';
import type { Config } from '../config/types';
import { synthesize } from '../synth/synth';
import { OTHER_EXTERNAL_ID, STAGING_SECRET_ARN, tempDir, validConfig, writeConfig } from './support/configs';

type Mutation = (config: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any -- mutations plant values and shapes the Config type rules out

const API_KEY = '0123456789abcdef0123456789abcdef';
const APP_KEY = '0123456789abcdef0123456789abcdef01234567';

/** A second account, in another region, with the API key secret its forwarder would read there. */
function secondAccount(config: Config, fields: Partial<Config['accounts'][number]> = {}): void {
  config.accounts.push({ name: 'staging', accountId: '222222222222', region: 'eu-west-1', externalId: OTHER_EXTERNAL_ID, apiKeySecretArn: STAGING_SECRET_ARN, ...fields });
}

/** Adopts an existing trail in the config's one account, with `fields` changed. */
function adopt(config: Config, fields: Record<string, unknown> = {}): void {
  delete config.trail?.bucketName;
  config.trail = {
    existing: {
      bucketName: 'acme-central-cloudtrail',
      bucketAccount: 'prod',
      trailArns: ['arn:aws:cloudtrail:us-east-1:111111111111:trail/audit'],
      trigger: 'sns',
      snsTopicArn: 'arn:aws:sns:us-east-1:111111111111:cloudtrail-files',
      ...fields,
    } as NonNullable<NonNullable<Config['trail']>['existing']>,
  };
}

/** Adopts Control Tower's trail in the config's one account, its own organization, with `fields` changed. */
function adoptControlTower(config: Config, fields: Record<string, unknown>): void {
  delete config.trail?.bucketName;
  config.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'prod' };
  config.controlTower = { landingZoneVersion: '3.x', trigger: 'sns', snsTopicArn: 'arn:aws:sns:us-east-1:111111111111:t', ...fields } as NonNullable<Config['controlTower']>;
}

/** [what is wrong, how to break a valid config, the path the message names, words it contains] */
const BAD_CONFIGS: Array<[string, Mutation, string, string[]]> = [
  ['the datadog section is missing', (c) => delete c.datadog, 'datadog', ['is required']],
  ['a top-level field is misspelled', (c) => { c.acounts = c.accounts; }, 'acounts', ['did you mean "accounts"']],
  ['the site is unknown', (c) => { c.datadog.site = 'datadoghq.co'; }, 'datadog.site', ['did you mean "datadoghq.com"']],
  ['the external ID is not 32 hex characters', (c) => { c.datadog.externalId = 'not-an-id'; }, 'datadog.externalId', ['AWS integration tile']],
  ["an account's external ID is not 32 hex characters", (c) => { c.accounts[0].externalId = 'ACB8F6B8A844443DBB726D07DCB1A870'; }, 'accounts[0].externalId', ['AWS integration tile']],
  ['an account has no external ID at all', (c) => { delete c.datadog.externalId; }, 'accounts[0].externalId', ['is missing', 'AWS integration tile', 'generate_new_external_id']],
  ['two accounts fall back on one datadog.externalId', (c) => secondAccount(c, { externalId: undefined }), 'datadog.externalId', ['2 accounts: prod (accounts[0]), staging (accounts[1])', 'an external ID for one AWS account', 'its own']],
  ['two accounts set the same external ID', (c) => { c.accounts[0].externalId = OTHER_EXTERNAL_ID; secondAccount(c); }, 'accounts[1].externalId', ['2 accounts', 'invalid External ID']],
  ['an external ID is set although Datadog generates them', (c) => { c.datadog.manageIntegration = true; }, 'datadog.externalId', ['not used with datadog.manageIntegration', 'Datadog generates', 'import']],
  ["an account's external ID is set although Datadog generates them", (c) => { c.datadog.manageIntegration = true; delete c.datadog.externalId; c.accounts[0].externalId = OTHER_EXTERNAL_ID; }, 'accounts[0].externalId', ['not used with datadog.manageIntegration']],
  ['Datadog would register a role the toolkit does not create', (c) => { c.datadog = { ...c.datadog, externalId: undefined, manageIntegration: true, createRole: false }; }, 'datadog.createRole', ['must trust the external ID Datadog generates']],
  ['metrics are asked for without a managed registration', (c) => { c.datadog.collectMetrics = true; }, 'datadog.collectMetrics', ['no effect without datadog.manageIntegration']],
  ['a monitor is asked for without a managed registration', (c) => { c.datadog.monitor = {}; }, 'datadog.monitor', ['no effect without datadog.manageIntegration']],
  ['a registration region does not exist', (c) => { c.datadog = { ...c.datadog, externalId: undefined, manageIntegration: true, regions: ['us-east-7'] }; }, 'datadog.regions[0]', ['not a known AWS region', 'did you mean "us-east-1"']],
  ['the no-logs window is longer than log monitors evaluate', (c) => { c.datadog = { ...c.datadog, externalId: undefined, manageIntegration: true, monitor: { noLogsMinutes: 4320 } }; }, 'datadog.monitor.noLogsMinutes', ['must be <= 2880']],
  ['a notification handle has no @', (c) => { c.datadog = { ...c.datadog, externalId: undefined, manageIntegration: true, monitor: { notify: ['slack-secops'] } }; }, 'datadog.monitor.notify[0]', ['wrong format']],
  ['the API key secret is not a Secrets Manager ARN', (c) => { c.datadog.apiKeySecretArn = 'arn:aws:ssm:us-east-1:111111111111:parameter/dd'; }, 'datadog.apiKeySecretArn', ['Secrets Manager']],
  ["the API key secret's KMS key is in another region than the secret", (c) => { c.datadog.apiKeySecretKmsKeyArn = 'arn:aws:kms:eu-west-1:111111111111:key/0b3c6c3e-1c1a-4f0e-9e55-6f1d2b7c9a10'; }, 'datadog.apiKeySecretKmsKeyArn', ['its own region', 'describe-secret']],
  ["the API key secret's KMS key is an alias", (c) => { c.datadog.apiKeySecretKmsKeyArn = 'arn:aws:kms:us-east-1:111111111111:alias/datadog'; }, 'datadog.apiKeySecretKmsKeyArn', ['key ARN']],
  ['an API key is pasted instead of the secret ARN', (c) => { c.datadog.apiKeySecretArn = API_KEY; }, 'datadog.apiKeySecretArn', ['Datadog API key', 'Secrets Manager']],
  ['an application key is pasted into a tag', (c) => { c.tags = { owner: APP_KEY }; }, 'tags.owner', ['application key', 'revoke the key in Datadog']],
  ['the account ID is a number', (c) => { c.accounts[0].accountId = 111111111111; }, 'accounts[0].accountId', ['must be a string, not a number', 'for example "']],
  ['the retention is a string', (c) => { c.trail.retentionDays = '365'; }, 'trail.retentionDays', ['must be an integer, not a string', 'for example 365']],
  ['the site is the US1 login URL', (c) => { c.datadog.site = 'app.datadoghq.com'; }, 'datadog.site', ['did you mean "datadoghq.com"']],
  ['the site is the EU login URL with https://', (c) => { c.datadog.site = 'https://app.datadoghq.eu/'; }, 'datadog.site', ['did you mean "datadoghq.eu"']],
  ['the bucket name has an unknown token', (c) => { c.trail.bucketName = 'acme-{account}-logs'; }, 'trail.bucketName', ['"{account}" is not a token', '{accountId}']],
  ['the bucket name has an underscore', (c) => { c.trail.bucketName = 'acme_logs-{accountId}'; }, 'trail.bucketName', ['"_" is not allowed']],
  ['an application key is in the external ID', (c) => { c.datadog.externalId = APP_KEY; }, 'datadog.externalId', ['application key', 'revoke']],
  ['an application key is a tag key', (c) => { c.tags = { [APP_KEY]: 'x' }; }, 'tags', ['application key', 'revoke']],
  ['a tag value holds a marker cdktf reads as its own reference', (c) => { c.tags = { owner: '${TfToken[TOKEN.1]}' }; }, 'tags.owner', ['cdktf reads as a reference to one of its own tokens']],
  ['ddTags hold a number cdktf reads as its own token', (c) => { c.forwarder = { ddTags: 'n:-1.8881545897087626e+289' }; }, 'forwarder.ddTags', ['cdktf reads as a reference to one of its own tokens']],
  ['the account ID has 11 digits', (c) => { c.accounts[0].accountId = '11111111111'; }, 'accounts[0].accountId', ['12-digit']],
  ['two accounts share a name', (c) => secondAccount(c, { name: 'PROD' }), 'accounts[1].name', ['unique name']],
  ['two entries have the same account ID', (c) => secondAccount(c, { accountId: '111111111111' }), 'accounts[1].accountId', ['once']],
  ['an account name is not safe as a stack id', (c) => { c.accounts[0].name = 'prod account'; }, 'accounts[0].name', ['Stack name']],
  ['an account field is misspelled', (c) => { c.accounts[0].regoin = 'us-east-1'; }, 'accounts[0].regoin', ['did you mean "region"']],
  ['the accounts list is empty', (c) => { c.accounts = []; }, 'accounts', ['is empty', 'add the AWS account to set up']],
  ['the region does not exist', (c) => { c.accounts[0].region = 'us-east-7'; }, 'accounts[0].region', ['not a known AWS region', 'did you mean']],
  ['the region is in China', (c) => { c.accounts[0].region = 'cn-north-1'; }, 'accounts[0].region', ['China']],
  ['a GovCloud region with a commercial site', (c) => { c.accounts[0].region = 'us-gov-west-1'; }, 'accounts[0].region', ['aws-us-gov', 'ddog-gov.com']],
  ['the forwarder would read an API key secret of another region', (c) => { c.accounts[0].region = 'eu-west-1'; }, 'datadog.apiKeySecretArn', ['is in us-east-1', 'runs in eu-west-1', 'no Datadog Forwarder release', 'accounts[0].apiKeySecretArn']],
  ["an account's own API key secret is in another region than its forwarder", (c) => { c.accounts[0].apiKeySecretArn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dd-AbCdEf'; }, 'accounts[0].apiKeySecretArn', ['is in eu-west-1', 'runs in us-east-1']],
  ['the forwarder would read an API key secret of another account under the AWS managed key', (c) => { c.datadog.apiKeySecretArn = 'arn:aws:secretsmanager:us-east-1:999999999999:secret:dd-AbCdEf'; }, 'datadog.apiKeySecretArn', ['account 999999999999', 'aws/secretsmanager cannot be used across accounts', 'datadog.apiKeySecretKmsKeyArn']],
  ["an account's secret key is set without its secret", (c) => { c.accounts[0].apiKeySecretKmsKeyArn = 'arn:aws:kms:us-east-1:111111111111:key/abc'; }, 'accounts[0].apiKeySecretKmsKeyArn', ['its own apiKeySecretArn']],
  ['an organization member names an API key secret it does not read', (c) => { secondAccount(c, { region: 'us-east-1', apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:dd-AbCdEf' }); c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'prod' }; }, 'accounts[1].apiKeySecretArn', ['has no effect']],
  ["the forwarder's alarms would notify a topic of another region", (c) => { c.forwarder = { alarms: { snsTopicArn: 'arn:aws:sns:eu-west-1:111111111111:alerts' } }; }, 'forwarder.alarms.snsTopicArn', ['111111111111/eu-west-1', 'alarms are in 111111111111/us-east-1']],
  ['the API key secret is in another partition', (c) => { c.datadog.site = 'ddog-gov.com'; c.accounts[0].region = 'us-gov-west-1'; }, 'datadog.apiKeySecretArn', ['partition']],
  ['the deploy role is in another account', (c) => { c.accounts[0].assumeRoleArn = 'arn:aws:iam::999999999999:role/Deploy'; }, 'accounts[0].assumeRoleArn', ['wrong account']],
  ['the wave is zero', (c) => { c.accounts[0].wave = 0; }, 'accounts[0].wave', ['must be >= 1']],
  ['the bucket name is missing', (c) => { delete c.trail.bucketName; }, 'trail.bucketName', ['is required']],
  ['the bucket name has capitals', (c) => { c.trail.bucketName = 'Acme-Logs'; }, 'trail.bucketName', ['wrong format', '"A" is not allowed (S3 bucket names are lowercase)']],
  ['the expanded bucket name is too long', (c) => { c.trail.bucketName = `${'a'.repeat(55)}-{accountId}`; }, 'trail.bucketName', ['3-63']],
  ['the access-log bucket name would be too long', (c) => { c.trail.bucketName = `${'a'.repeat(45)}-{accountId}`; }, 'trail.bucketName', ['access-log bucket', 'trail.accessLogging.bucketName']],
  ['two accounts would share one bucket', (c) => { c.trail.bucketName = 'acme-logs'; secondAccount(c); }, 'trail.bucketName', ['{accountId}']],
  ['the retention is zero days', (c) => { c.trail.retentionDays = 0; }, 'trail.retentionDays', ['must be >= 1']],
  ['an access-log retention is set for access logs sent to a bucket of the user', (c) => { c.trail.accessLogging = { bucketName: 'acme-s3-access-logs' }; c.trail.accessLogRetentionDays = 90; }, 'trail.accessLogRetentionDays', ['has no effect', 'lifecycle of your access-log bucket']],
  ['the runtime is not the one the layer was built for', (c) => { c.forwarder = { layerVersion: 93, runtime: 'python3.12' }; }, 'forwarder.runtime', ['layer 93 was built for python3.13', 'forwarder 4.13.0-5.1.1', 'remove runtime']],
  ["an account's runtime does not fit the top-level layer", (c) => { c.forwarder = { layerVersion: 80, storeFailedEvents: false }; c.accounts[0].forwarder = { runtime: 'python3.13' }; }, 'accounts[0].forwarder.runtime', ['layer 80 was built for python3.12']],
  ['the layer was never released', (c) => { c.forwarder = { layerVersion: 58 }; }, 'forwarder.layerVersion', ['no Datadog Forwarder release']],
  ['the layer lies between two releases that skipped it', (c) => { c.forwarder = { layerVersion: 107 }; }, 'forwarder.layerVersion', ['no Datadog Forwarder release', 'e.g. 110']],
  ['the layer was built for a deprecated runtime', (c) => { c.forwarder = { layerVersion: 35 }; }, 'forwarder.layerVersion', ['python3.9', 'deprecated on 2025-12-15', '43 or later']],
  ['the layer was built for python3.10, deprecated since', (c) => { c.forwarder = { layerVersion: 42 }; }, 'forwarder.layerVersion', ['python3.10', 'deprecated on 2026-10-31']],
  ['the layer is newer than any release the toolkit knows', (c) => { c.forwarder = { layerVersion: 111 }; }, 'forwarder.layerVersion', ['must be <= 110']],
  ['the failed-event store is on by default with a layer older than 5.3.0', (c) => { c.forwarder = { layerVersion: 93 }; }, 'forwarder.layerVersion', ['older than 5.3.0', '(the default)', 'storeFailedEvents to false']],
  ["an account's older layer cannot keep the store the top level asks for", (c) => { c.forwarder = { storeFailedEvents: true }; c.accounts[0].forwarder = { layerVersion: 96 }; }, 'accounts[0].forwarder.layerVersion', ['older than 5.3.0', 'layer 97']],
  ['a release zip has no runtime', (c) => { c.forwarder = { code: { s3Bucket: 'acme-artifacts', s3Key: 'aws-dd-forwarder-5.1.1.zip' } }; }, 'forwarder.runtime', ['is required with forwarder.code']],
  ['the organization id is malformed', (c) => { c.organization = { id: 'org-1', managementAccount: 'prod', logArchiveAccount: 'prod' }; }, 'organization.id', ['Organizations ID']],
  ['the management account is not in accounts', (c) => { c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prd', logArchiveAccount: 'prod' }; }, 'organization.managementAccount', ['did you mean "prod"']],
  ['the log-archive account deploys after the management account', (c) => { secondAccount(c, { wave: 2 }); c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'staging' }; }, 'accounts[1].wave', ['after the management account']],
  ['an account of an adopted trail sets forwarder settings it does not run', (c) => { adopt(c); secondAccount(c, { forwarder: { memorySize: 2048 } }); }, 'accounts[1].forwarder', ['has no effect', "runs the forwarder in the bucket's account"]],
  ['a member account overrides trail settings it does not own', (c) => { secondAccount(c, { trail: { retentionDays: 30 } }); c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'prod' }; }, 'accounts[1].trail', ['has no effect']],
  ['an EventBridge trigger with a forwarder layer that cannot read EventBridge events', (c) => { adopt(c, { trigger: 'eventbridge', snsTopicArn: undefined }); c.forwarder = { layerVersion: 96, storeFailedEvents: false }; }, 'trail.existing.trigger', ['5.3.0', 'layer 97', 'layer 96']],
  ['an SNS trigger has no topic', (c) => { adopt(c, { trigger: 'sns', snsTopicArn: undefined }); }, 'trail.existing.snsTopicArn', ['is required']],
  ['the SNS topic is in another region than the bucket', (c) => { adopt(c, { trigger: 'sns', snsTopicArn: 'arn:aws:sns:eu-west-1:111111111111:t' }); }, 'trail.existing.snsTopicArn', ["bucket's account and region"]],
  ['the adopted bucket names an unknown account', (c) => { adopt(c, { bucketAccount: 'prd' }); }, 'trail.existing.bucketAccount', ['did you mean "prod"']],
  ['an account adopts a trail of its own', (c) => { adopt(c); c.accounts[0].trail = { existing: c.trail.existing }; }, 'accounts[0].trail.existing', ['move it to trail.existing']],
  ['an existing forwarder is in another region than the bucket', (c) => { adopt(c, { trigger: 'eventbridge', snsTopicArn: undefined }); c.forwarder = { existingArn: 'arn:aws:lambda:eu-west-1:111111111111:function:DatadogForwarder' }; }, 'forwarder.existingArn', ['cannot cross accounts or regions']],
  ['Control Tower is adopted without an organization', (c) => { delete c.trail.bucketName; c.controlTower = { landingZoneVersion: '3.x', trigger: 'sns', snsTopicArn: 'arn:aws:sns:us-east-1:111111111111:t' }; }, 'controlTower', ['needs an organization']],
  ['the Control Tower home region does not exist', (c) => { delete c.trail.bucketName; c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'prod' }; c.controlTower = { landingZoneVersion: '3.x', homeRegion: 'us-east-9', trigger: 'sns', snsTopicArn: 'arn:aws:sns:us-east-1:111111111111:t' }; }, 'controlTower.homeRegion', ['did you mean "us-east-1"']],
  ['Control Tower is adopted without its landing zone version', (c) => { adoptControlTower(c, { landingZoneVersion: undefined }); }, 'controlTower.landingZoneVersion', ['is required']],
  ['a landing zone 4.0 is adopted without its trail name', (c) => { adoptControlTower(c, { landingZoneVersion: '4.0', bucketName: 'aws-controltower-logs-111111111111-abc-def' }); }, 'controlTower.trailName', ['landingZoneVersion "4.0"', 'describe-trails']],
  ['a landing zone 4.0 is adopted without its bucket name', (c) => { adoptControlTower(c, { landingZoneVersion: '4.0', trailName: 'aws-controltower-BaselineCloudTrail-abc-def' }); }, 'controlTower.bucketName', ['landingZoneVersion "4.0"', 'S3BucketName']],
  ['an organization mixes partitions', (c) => { c.datadog.site = 'ddog-gov.com'; c.datadog.apiKeySecretArn = c.datadog.apiKeySecretArn.replace('arn:aws:', 'arn:aws-us-gov:'); secondAccount(c, { region: 'us-gov-west-1' }); c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'prod' }; }, 'accounts', ['one partition']],
  ['the state backend region does not exist', (c) => { c.backend = { s3: { bucket: 'acme-tf-state', region: 'eu-west-9' } }; }, 'backend.s3.region', ['not a known AWS region']],
  ['the GitHub repository is not owner/name', (c) => { c.github = { repository: 'datadog-cloudtrail', oidcAccount: '999999999999' }; }, 'github.repository', ['wrong format', 'owner/name']],
  ['the default branch is not a branch name', (c) => { c.github = { repository: 'acme/dd', oidcAccount: '999999999999', defaultBranch: 'main..x' }; }, 'github.defaultBranch', ['wrong format', 'default branch']],
  ['an immutable subject has the owner ID only', (c) => { c.github = { repository: 'acme/dd', oidcAccount: '111111111111', ownerId: 42 }; }, 'github.repositoryId', ['is missing', 'both numeric IDs', 'gh api repos/OWNER/NAME']],
  ['the CI deploy role has no role to assume in an account', (c) => { c.github = { repository: 'acme/dd', oidcAccount: '999999999999' }; }, 'accounts[0].assumeRoleArn', ['is missing', 'datadog-cloudtrail-deploy of account 999999999999', 'allowed_account_ids', 'npm run policies -- --ci']],
  ['the CI deploy role would assume OrganizationAccountAccessRole from outside the management account', (c) => { secondAccount(c, { assumeRoleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole' }); c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'prod' }; c.accounts[0].assumeRoleArn = 'arn:aws:iam::111111111111:role/Deploy'; c.github = { repository: 'acme/dd', oidcAccount: '999999999999' }; }, 'accounts[1].assumeRoleArn', ['trusts only the management account 111111111111', 'StackSet', 'github.oidcAccount "111111111111"']],
  ['new accounts would get OrganizationAccountAccessRole from outside the management account', (c) => { c.organization = { id: 'o-a1b2c3d4e5', managementAccount: 'prod', logArchiveAccount: 'prod' }; c.accounts[0].assumeRoleArn = 'arn:aws:iam::111111111111:role/Deploy'; c.github = { repository: 'acme/dd', oidcAccount: '999999999999' }; c.enrollment = { roleName: 'OrganizationAccountAccessRole' }; }, 'enrollment.roleName', ['trusts only the management account', 'could not deploy the accounts enrolled']],
  ['new accounts would go to a wave no account uses', (c) => { c.enrollment = { wave: 5 }; }, 'enrollment.wave', ['no account uses', 'wave-5', 'nobody has protected', 'use a wave in use (1)']],
  ['the enrollment region does not exist', (c) => { c.enrollment = { region: 'eu-wset-1' }; }, 'enrollment.region', ['not a known AWS region', 'did you mean "eu-west-1"']],
  ['an enrolled OU is given by name', (c) => { c.enrollment = { organizationalUnits: ['Workloads'] }; }, 'enrollment.organizationalUnits[0]', ['wrong format', 'ou-']],
  ['an OU is both enrolled and excluded', (c) => { c.enrollment = { organizationalUnits: ['ou-ab12-34cd56ef'], excludeOrganizationalUnits: ['ou-ab12-34cd56ef'] }; }, 'enrollment.excludeOrganizationalUnits[0]', ['also in enrollment.organizationalUnits']],
  ['an excluded account ID has 11 digits', (c) => { c.enrollment = { excludeAccounts: ['12345678901'] }; }, 'enrollment.excludeAccounts[0]', ['wrong format', '12-digit']],
];

describe('an invalid config', () => {
  test.each(BAD_CONFIGS)('is rejected when %s, naming the path and writing nothing', (_what, mutate, jsonPath, words) => {
    const config = validConfig();
    mutate(config);
    const outdir = path.join(tempDir(), 'cdktf.out');

    const error = captureError(() => synthesize(writeConfig(config), { outdir }));

    expect(error).toBeInstanceOf(ConfigError);
    // Several issues may name one path (a key pasted as the external ID is also malformed).
    const issue = (error as ConfigError).issues.find((i) => i.path === jsonPath && `${i.problem} ${i.fix}`.includes(words[0]));
    expect(issue).toBeDefined();
    const text = `${issue?.problem} ${issue?.fix}`;
    for (const word of words) expect(text).toContain(word);
    expect(existsSync(outdir)).toBe(false);
  });

  test('reports every problem at once', () => {
    const config: any = validConfig(); // eslint-disable-line @typescript-eslint/no-explicit-any -- plants a site the Config type rules out
    config.datadog.site = 'nope';
    config.accounts[0].accountId = '1';
    config.accounts[0].region = 'mars-1';

    const error = captureError(() => synthesize(writeConfig(config), { outdir: tempDir() })) as ConfigError;

    expect(error.issues.map((i) => i.path)).toEqual(['datadog.site', 'accounts[0].accountId', 'accounts[0].region']);
    expect(error.message).toContain('3 problems');
  });

  test('never prints a pasted key back', () => {
    const config = validConfig();
    config.datadog.apiKeySecretArn = API_KEY;

    const error = captureError(() => synthesize(writeConfig(config), { outdir: tempDir() })) as ConfigError;

    expect(error.message).not.toContain(API_KEY);
    expect(error.message).toContain('<redacted>');
  });

  test('accepts a key-shaped external ID, which is not a secret', () => {
    expect(() => synthesize(writeConfig(validConfig()), { outdir: tempDir() })).not.toThrow();
  });

  test("accepts a key-shaped external ID on an account, as on datadog", () => {
    const config = validConfig();
    delete config.datadog.externalId;
    config.accounts[0].externalId = OTHER_EXTERNAL_ID;

    expect(() => synthesize(writeConfig(config), { outdir: tempDir() })).not.toThrow();
  });

  test.each([
    ['the role exists already', { createRole: false }],
    ['Terraform registers the accounts with Datadog', { manageIntegration: true }],
  ] as const)('needs no external ID when %s', (_why, datadog) => {
    const config = validConfig();
    delete config.datadog.externalId;
    Object.assign(config.datadog, datadog);
    secondAccount(config, { externalId: undefined });
    config.trail.bucketName = 'acme-{accountId}';

    expect(() => synthesize(writeConfig(config), { outdir: tempDir() })).not.toThrow();
  });

  test('names the file and line:column of a JSON syntax error', () => {
    const file = writeConfig('{\n  "datadog": {,\n}');

    const error = captureError(() => synthesize(file, { outdir: tempDir() })) as ConfigError;

    expect(error.message).toContain(file);
    expect(error.issues[0].problem).toMatch(/not valid JSON at line 2:15/);
  });

  test('names a config file that does not exist', () => {
    const error = captureError(() => synthesize('/nonexistent/config.json', { outdir: tempDir() })) as ConfigError;

    expect(error.message).toContain('/nonexistent/config.json');
    expect(error.issues[0].problem).toContain('does not exist');
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, got none');
}

describe('config file text', () => {
  const load = (text: string): unknown => {
    try {
      synthesize(writeConfig(text), { outdir: tempDir() });
      return undefined;
    } catch (error) {
      return error;
    }
  };

  test('accepts a byte-order mark at the start of the file', () => {
    expect(load(`\uFEFF${JSON.stringify(validConfig())}`)).toBeUndefined();
  });

  test('refuses a key given twice in one object, naming it and where', () => {
    const text = JSON.stringify(validConfig(), null, 2).replace('"bucketName"', '"kms": false,\n    "kms": true,\n    "bucketName"');
    const error = load(text) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'trail.kms', problem: expect.stringContaining('is given twice in the same object (again at line 9)'), fix: 'keep one "kms" and delete the other' }),
    ]);
  });

  test('accepts the same key in different objects', () => {
    const config = validConfig();
    config.accounts.push({ name: 'staging', accountId: '222222222222', region: 'eu-west-1', externalId: OTHER_EXTERNAL_ID, apiKeySecretArn: STAGING_SECRET_ARN });
    expect(load(JSON.stringify(config))).toBeUndefined();
  });
});
