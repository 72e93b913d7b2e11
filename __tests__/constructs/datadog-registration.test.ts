import { TerraformOutput } from 'cdktf';
import { DatadogRegistration, type DatadogRegistrationProps } from '../../stacks/datadog-registration';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, type TfJson } from '../support/synth';

const FORWARDER_ARN = 'arn:aws:lambda:us-east-1:111111111111:function:DatadogForwarder';
const PROPS: DatadogRegistrationProps = {
  accountId: '111111111111',
  partition: 'aws',
  roleName: 'DatadogIntegrationRole',
};
const ADDRESS = 'datadog_integration_aws_account.datadog-registration_account';

const synthRegistration = (props: Partial<DatadogRegistrationProps> = {}): TfJson =>
  synthScope((scope) => new DatadogRegistration(scope, 'datadog-registration', { ...PROPS, ...props }));
const registration = (props: Partial<DatadogRegistrationProps> = {}) => resourceAt(synthRegistration(props), ADDRESS) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

describe('DatadogRegistration', () => {
  test('registers the account by its ID and partition', () => {
    expect(registration({ partition: 'aws-us-gov' })).toMatchObject({ aws_account_id: '111111111111', aws_partition: 'aws-us-gov' });
  });

  test('names the role and leaves the external ID out, so that Datadog generates it', () => {
    expect(registration().auth_config).toEqual({ aws_auth_config_role: { role_name: 'DatadogIntegrationRole' } });
  });

  test('gives the generated external ID, for the role to trust', () => {
    let externalId = '';
    const stack = synthScope((scope) => {
      externalId = new DatadogRegistration(scope, 'datadog-registration', PROPS).externalId;
      new TerraformOutput(scope, 'trusted', { value: externalId });
    });

    expect((stack as TfJson & { output: Record<string, { value: string }> }).output.trusted.value).toBe(`\${${ADDRESS}.auth_config.aws_auth_config_role.external_id}`);
  });

  test('depends on nothing: Datadog does not check the role when the account is registered', () => {
    expect(registration()).not.toHaveProperty('depends_on');
  });

  test('collects from every region by default', () => {
    expect(registration().aws_regions).toEqual({ include_all: true });
  });

  test('collects only from the regions it is given', () => {
    expect(registration({ regions: ['us-east-1', 'eu-west-1'] }).aws_regions).toEqual({ include_only: ['us-east-1', 'eu-west-1'] });
  });

  test('collects no metrics by default, which the provider would otherwise turn on', () => {
    expect(registration().metrics_config).toEqual({ enabled: false, namespace_filters: {} });
  });

  test('collects metrics when asked', () => {
    expect(registration({ collectMetrics: true }).metrics_config).toEqual({ enabled: true, namespace_filters: {} });
  });

  test('turns extended resource collection, CSPM and traces off, which the provider would otherwise turn on', () => {
    expect(registration()).toMatchObject({
      resources_config: { extended_collection: false, cloud_security_posture_management_collection: false },
      traces_config: { xray_services: { include_only: [] } },
    });
  });

  test('registers the forwarders it is given for log collection', () => {
    expect(registration({ forwarderArns: [FORWARDER_ARN] }).logs_config.lambda_forwarder.lambdas).toEqual([FORWARDER_ARN]);
  });

  test('registers no forwarder by default', () => {
    expect(registration().logs_config.lambda_forwarder.lambdas).toEqual([]);
  });

  test("names no log source, so that Datadog never rewrites the bucket's notification configuration", () => {
    expect(registration({ forwarderArns: [FORWARDER_ARN] }).logs_config.lambda_forwarder.sources).toEqual([]);
  });

  test('keeps its Terraform address', () => {
    expect(addresses(synthRegistration())).toEqual([ADDRESS]);
  });
});
