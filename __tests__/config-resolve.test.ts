import { parseConfig } from '../config/load';
import { EXTERNAL_ID, OTHER_EXTERNAL_ID, validConfig } from './support/configs';

const resolve = (config: object) => parseConfig(JSON.stringify(config), 'test.json');

describe('a valid config', () => {
  test('gets the schema defaults for every field left out', () => {
    const config = resolve(validConfig());

    expect(config.datadog).toMatchObject({ roleName: 'DatadogIntegrationRole', createRole: true });
    expect(config.accounts[0]).toMatchObject({
      wave: 1,
      trail: { name: 'datadog-cloudtrail', kms: true, retentionDays: 365 },
      forwarder: { functionName: 'DatadogForwarder', layerVersion: 110 },
    });
  });

  // Lambda refuses a reservation that leaves under 100 unreserved executions, and new
  // accounts often have a quota of 10 (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
  test('reserves no forwarder concurrency unless the config asks for it', () => {
    expect(resolve(validConfig()).accounts[0].forwarder.reservedConcurrency).toBeUndefined();
  });

  test('runs the forwarder on the runtime its layer was built for', () => {
    const input = validConfig();
    input.forwarder = { layerVersion: 80, storeFailedEvents: false };

    expect(resolve(validConfig()).accounts[0].forwarder.runtime).toBe('python3.14');
    expect(resolve(input).accounts[0].forwarder.runtime).toBe('python3.12');
  });

  test('runs a release zip on the runtime the config sets', () => {
    const input = validConfig();
    input.forwarder = { code: { s3Bucket: 'acme-artifacts', s3Key: 'aws-dd-forwarder-4.12.0.zip' }, runtime: 'python3.12' };

    expect(resolve(input).accounts[0].forwarder.runtime).toBe('python3.12');
  });

  test('gives each account the external ID it sets, else datadog.externalId', () => {
    const input = validConfig();
    input.accounts.push({ name: 'staging', accountId: '222222222222', region: 'us-east-1', externalId: OTHER_EXTERNAL_ID });

    expect(resolve(input).accounts.map((account) => account.externalId)).toEqual([EXTERNAL_ID, OTHER_EXTERNAL_ID]);
  });

  test('gives no account an external ID when the role exists already', () => {
    const input = validConfig();
    input.datadog.createRole = false;

    expect(resolve(input).accounts[0].externalId).toBeUndefined();
  });

  test('expands {accountId} and {region} in the bucket name per account', () => {
    const input = validConfig();
    input.trail.bucketName = 'logs-{accountId}-{region}';

    expect(resolve(input).accounts[0].trail.bucketName).toBe('logs-111111111111-us-east-1');
  });

  test("lets an account override top-level trail and forwarder fields, keeping the others", () => {
    const input = validConfig();
    input.trail.retentionDays = 400;
    input.forwarder = { reservedConcurrency: 20 };
    input.accounts[0].trail = { bucketName: 'prod-only-bucket' };
    input.accounts[0].forwarder = { functionName: 'ProdForwarder' };

    const { trail, forwarder } = resolve(input).accounts[0];

    expect(trail).toMatchObject({ bucketName: 'prod-only-bucket', retentionDays: 400 });
    expect(forwarder).toMatchObject({ functionName: 'ProdForwarder', reservedConcurrency: 20 });
  });

  test('merges account tags over top-level tags', () => {
    const input = validConfig();
    input.tags = { team: 'platform', env: 'all' };
    input.accounts[0].tags = { env: 'prod' };

    expect(resolve(input).accounts[0].tags).toEqual({ team: 'platform', env: 'prod' });
  });

  test.each([
    ['us-east-1', 'aws', '464622532012', 'datadoghq.com'],
    ['ap-northeast-1', 'aws', '417141415827', 'ap1.datadoghq.com'],
    ['us-gov-west-1', 'aws-us-gov', '065115117704', 'ddog-gov.com'],
    ['us-east-1', 'aws', '392588925713', 'ddog-gov.com'],
  ])('in %s resolves partition %s and Datadog account %s for site %s', (region, partition, datadogAccount, site) => {
    const input = validConfig();
    input.datadog.site = site as never;
    input.datadog.apiKeySecretArn = input.datadog.apiKeySecretArn.replace('arn:aws:', `arn:${partition}:`);
    input.accounts[0].region = region;

    expect(resolve(input).accounts[0]).toMatchObject({ partition, datadogAccountId: datadogAccount });
  });
});
