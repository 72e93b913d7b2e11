/**
 * `datadog.manageIntegration`: every account's stack registers the account with Datadog, with
 * an external ID Datadog generates and the account's role trusts. The Datadog provider is not
 * on these machines: the blocks are asserted as synthesized here, and the AWS half is planned by
 * the real Terraform with the harness's stand-ins for the Datadog resources in
 * __tests__/processes/datadog-registration.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/types';
import { DATADOG_INTEGRATION_PERMISSIONS, WRITE_PERMISSIONS_LEFT_OUT } from '../policies/datadog-metrics';
import { alertingWarnings } from '../config/alerting';
import { parsePolicy, resourcesOfType, type Synthesized, synthConfig, type TfJson } from './support/synth';
import { managed, managedSingleAccount } from './support/managed-integration';

type Resource = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

const EXTERNAL_ID_REF = '${datadog_integration_aws_account.datadog-registration_account.auth_config.aws_auth_config_role.external_id}';

const single = synthConfig(managedSingleAccount());
const organization = synthConfig(managed('organization.json', { monitor: {} }));

const only = (stack: TfJson, type: string): Resource => {
  const resources = resourcesOfType(stack, type);
  expect(resources).toHaveLength(1);
  return resources[0];
};
const registration = (stack: TfJson) => only(stack, 'datadog_integration_aws_account');
const datadogRole = (stack: TfJson) => resourcesOfType(stack, 'aws_iam_role').find((role) => role.name === 'DatadogIntegrationRole') as Resource;
const trustedIds = (stack: TfJson) => parsePolicy(datadogRole(stack).assume_role_policy).Statement.map((s: Resource) => s.Condition.StringEquals['sts:ExternalId']);
const stacksOf = (synthesized: Synthesized) => Object.entries(synthesized.stacks);

describe.each([
  ['single-account.json', single],
  ['organization.json', organization],
])('%s with manageIntegration', (_example, synthesized) => {
  test("registers every account without an external ID, so that Datadog generates the account's own, and mints none apart", () => {
    for (const [, stack] of stacksOf(synthesized)) {
      expect(registration(stack).auth_config).toEqual({ aws_auth_config_role: { role_name: 'DatadogIntegrationRole' } });
      expect(resourcesOfType(stack, 'datadog_integration_aws_external_id')).toEqual([]);
    }
  });

  test("makes each account's role trust exactly the external ID its registration was given, as Datadog's Terraform guide does", () => {
    for (const [, stack] of stacksOf(synthesized)) expect(trustedIds(stack)).toEqual([EXTERNAL_ID_REF]);
  });

  test('registers each account by its own ID and partition, in every region', () => {
    const registered = Object.fromEntries(
      stacksOf(synthesized).map(([name, stack]) => {
        const { aws_account_id, aws_partition, aws_regions } = registration(stack);
        return [name, { aws_account_id, aws_partition, aws_regions }];
      }),
    );

    expect(registered).toEqual(
      Object.fromEntries(
        synthesized.config.accounts.map((account) => [account.name, { aws_account_id: account.accountId, aws_partition: 'aws', aws_regions: { include_all: true } }]),
      ),
    );
  });

  test('registers the forwarder in the account that runs it, and no automatic log source anywhere', () => {
    const lambdas = Object.fromEntries(stacksOf(synthesized).map(([name, stack]) => [name, registration(stack).logs_config]));
    const forwarding = synthesized.config.organization?.logArchive.name ?? 'prod';

    for (const [name, logs] of Object.entries(lambdas)) {
      const arn = `arn:aws:lambda:us-east-1:${synthesized.config.accounts.find((account) => account.name === name)?.accountId}:function:DatadogForwarder`;
      expect(logs).toEqual({ lambda_forwarder: { lambdas: name === forwarding ? [arn] : [], sources: [] } });
    }
  });

  test('creates the registration before the role, whose trust needs its external ID, and the role before the trail key, whose policy names it', () => {
    for (const [, stack] of stacksOf(synthesized)) {
      expect(registration(stack)).not.toHaveProperty('depends_on');
      const key = stack.resource.aws_kms_key?.['trail-key_key'];
      if (key) expect(key.depends_on).toContain('aws_iam_role.datadog-role_role');
    }
  });

  test('configures the Datadog provider with the API of the site and no key, pinned to the provider the bindings were built for', () => {
    for (const [, stack] of stacksOf(synthesized)) {
      const { provider, terraform } = stack as TfJson & { provider: { datadog: unknown[] } };
      expect(provider.datadog).toEqual([{ api_url: 'https://api.datadoghq.com/' }]);
      expect((terraform.required_providers as Record<string, unknown>).datadog).toEqual({ source: 'DataDog/datadog', version: '3.82.0' });
    }
  });

  test('writes no key, no external ID and no Datadog data source into the JSON', () => {
    for (const [, stack] of stacksOf(synthesized)) {
      const json = JSON.stringify(stack);
      expect(json).not.toMatch(/\b[0-9a-f]{32}\b|\b[0-9a-f]{40}\b/);
      expect(json).not.toMatch(/api_key|app_key/);
      expect(Object.keys((stack as { data?: object }).data ?? {}).filter((type) => type.startsWith('datadog_'))).toEqual([]);
    }
  });

  test('puts the no-logs monitors in the account that runs the forwarder only', () => {
    const monitored = stacksOf(synthesized).filter(([, stack]) => resourcesOfType(stack, 'datadog_monitor').length > 0).map(([name]) => name);

    expect(monitored).toEqual([synthesized.config.organization?.logArchive.name ?? 'prod']);
  });
});

describe('the no-logs monitors', () => {
  const monitor = single.stacks.prod.resource.datadog_monitor['cloudtrail-logs-monitor_monitor'] as Resource;

  test("watches the account's trail bucket over the window of the config", () => {
    expect(monitor.query).toContain('@aws.s3.bucket:acme-cloudtrail-logs-111111111111")');
    expect(monitor.query).toContain('.last("90m") < 1');
  });

  test('notifies the handles of the config and names the forwarder and its failure queue', () => {
    expect(monitor.message).toContain('@slack-secops');
    expect(monitor.message).toContain('DatadogForwarder-failed-invocations');
  });

  test('watches a window of one hour by default', () => {
    expect(organization.stacks['log-archive'].resource.datadog_monitor['cloudtrail-logs-monitor_monitor'].query).toContain('.last("1h") < 1');
  });

  test("expect as many accounts' logs in the organization's bucket as the config has accounts", () => {
    expect(organization.stacks['log-archive'].resource.datadog_monitor['cloudtrail-logs-monitor_accounts-monitor'].query).toMatch(/\.last\("1h"\) < 5$/);
  });

  test('leave the forwarder unwatched in Datadog without collectMetrics, which the synth warns about', () => {
    expect(Object.keys(single.stacks.prod.resource.datadog_monitor).sort()).toEqual(['cloudtrail-logs-monitor_accounts-monitor', 'cloudtrail-logs-monitor_monitor']);
    expect(alertingWarnings(single.config)).toEqual([expect.stringContaining('datadog.monitor is set without datadog.collectMetrics')]);
  });

  describe('with collectMetrics', () => {
    const { stacks, config } = synthConfig(managed('single-account.json', { collectMetrics: true, monitor: {} }));

    test("also watch the forwarder's errors, throttles, failure queue and store of refused sends in Datadog, and warn of nothing", () => {
      expect(Object.keys(stacks.prod.resource.datadog_monitor).sort()).toEqual([
        'cloudtrail-logs-monitor_accounts-monitor',
        'cloudtrail-logs-monitor_monitor',
        'forwarder-monitors_errors',
        'forwarder-monitors_failed-event-queue',
        'forwarder-monitors_failure-queue',
        'forwarder-monitors_throttles',
      ]);
      expect(alertingWarnings(config)).toEqual([]);
    });

    test('have Datadog collect the SQS metrics it leaves out by default', () => {
      expect(registration(stacks.prod).metrics_config).toEqual({ enabled: true, namespace_filters: { exclude_only: ['AWS/ElasticMapReduce', 'AWS/Usage'] } });
    });
  });

  test('is not created without datadog.monitor', () => {
    const { stacks } = synthConfig(managed('single-account.json'));

    expect(resourcesOfType(stacks.prod, 'datadog_monitor')).toEqual([]);
  });
});

describe('registration settings', () => {
  test('collects metrics when asked, and only then gives the role the read permissions Datadog documents for them', () => {
    const policyNames = (stack: TfJson) => resourcesOfType(stack, 'aws_iam_role_policy').map((policy) => policy.name).sort();
    const { stacks } = synthConfig(managed('single-account.json', { collectMetrics: true }));
    const metrics = resourcesOfType(stacks.prod, 'aws_iam_role_policy').find((policy) => policy.name === 'DatadogAWSIntegrationMetrics') as Resource;

    expect(registration(stacks.prod).metrics_config).toEqual({ enabled: true, namespace_filters: {} });
    expect(parsePolicy(metrics.policy).Statement[0].Action).toEqual(DATADOG_INTEGRATION_PERMISSIONS.filter((a) => !WRITE_PERMISSIONS_LEFT_OUT.includes(a)));
    expect(policyNames(single.stacks.prod)).not.toContain('DatadogAWSIntegrationMetrics');
  });

  test('leaves out the permissions that let Datadog rewrite the bucket notification or subscriptions', () => {
    const { stacks } = synthConfig(managed('single-account.json', { collectMetrics: true }));
    const granted = resourcesOfType(stacks.prod, 'aws_iam_role_policy').flatMap((policy) => parsePolicy(policy.policy).Statement.flatMap((s: Resource) => [s.Action].flat()));

    expect(granted).not.toContain('s3:PutBucketNotification');
    expect(granted).not.toContain('logs:PutSubscriptionFilter');
  });

  test('collects only from the regions of the config when it names them', () => {
    const { stacks } = synthConfig(managed('single-account.json', { regions: ['us-east-1', 'eu-west-1'] }));

    expect(registration(stacks.prod).aws_regions).toEqual({ include_only: ['us-east-1', 'eu-west-1'] });
  });

  test.each([
    ['datadoghq.eu', 'https://api.datadoghq.eu/'],
    ['us3.datadoghq.com', 'https://api.us3.datadoghq.com/'],
    ['ap1.datadoghq.com', 'https://api.ap1.datadoghq.com/'],
  ] as const)('points the provider at the API of site %s', (site, url) => {
    const { stacks } = synthConfig(managed('single-account.json', { site }));

    expect((stacks.prod as TfJson & { provider: { datadog: unknown[] } }).provider.datadog).toEqual([{ api_url: url }]);
  });

  test('points the provider at the GovCloud API of ddog-gov.com', () => {
    const config = managed('single-account.json', { site: 'ddog-gov.com', apiKeySecretArn: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:datadog-api-key-AbCdEf' });
    config.accounts[0].region = 'us-gov-west-1';
    const { stacks } = synthConfig(config);

    expect((stacks.prod as TfJson & { provider: { datadog: unknown[] } }).provider.datadog).toEqual([{ api_url: 'https://api.ddog-gov.com/' }]);
    expect(registration(stacks.prod).aws_partition).toBe('aws-us-gov');
  });

  test('registers a forwarder the user runs by its ARN', () => {
    const arn = 'arn:aws:lambda:us-east-1:111111111111:function:MyForwarder';
    const config = managed('single-account.json');
    config.forwarder = { existingArn: arn };
    const { stacks } = synthConfig(config);

    expect(registration(stacks.prod).logs_config.lambda_forwarder.lambdas).toEqual([arn]);
  });
});

describe('without manageIntegration', () => {
  test('uses no Datadog provider and no Datadog resource', () => {
    const config: Config = JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', 'single-account.json'), 'utf8'));
    const { stacks } = synthConfig(config);
    const json = stacks.prod as TfJson & { provider: Record<string, unknown> };

    expect(Object.keys(json.provider)).toEqual(['aws']);
    expect(Object.keys(json.resource).filter((type) => type.startsWith('datadog_'))).toEqual([]);
    expect(trustedIds(json)).toEqual([config.datadog.externalId]);
  });
});
