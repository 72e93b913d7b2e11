/**
 * The offline harness stands in for the Datadog provider's resources, whose provider binary
 * these machines lack, so that the AWS half of a stack that registers the account with Datadog
 * still validates and plans with the real Terraform (TERRAFORM.md item 4).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStackDirs, datadogStandIns, makeOffline, standInForDatadog } from '../commands/terraform';
import { tempDir } from './support/configs';
import { beforeAllWithTerraform, terraformTest } from './support/terraform';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

const TRUST = (externalId: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
  });

/** A stack shaped as the account stacks synthesize with manageIntegration. */
function registeringStack(registration: Json = {}): Json {
  return {
    terraform: {
      required_providers: { aws: { source: 'aws', version: '5.100.0' }, datadog: { source: 'DataDog/datadog', version: '3.82.0' } },
    },
    provider: { aws: [{ region: 'us-east-1' }], datadog: [{ api_url: 'https://api.datadoghq.com/' }] },
    resource: {
      aws_iam_role: {
        'datadog-role_role': {
          name: 'DatadogIntegrationRole',
          assume_role_policy: TRUST('${datadog_integration_aws_account.datadog-registration_account.auth_config.aws_auth_config_role.external_id}'),
        },
      },
      aws_iam_role_policy: { 'datadog-role_cloudtrail-policy': { name: 'DatadogCloudTrailIntegration', role: 'DatadogIntegrationRole', policy: '{}' } },
      datadog_integration_aws_account: {
        'datadog-registration_account': {
          '//': { metadata: { path: 'prod/datadog-registration/account' } },
          aws_account_id: '111111111111',
          auth_config: { aws_auth_config_role: { role_name: 'DatadogIntegrationRole' } },
          depends_on: ['aws_iam_role_policy.datadog-role_cloudtrail-policy'],
          ...registration,
        },
      },
    },
  };
}

describe('standing in for the Datadog provider', () => {
  test('drops the datadog provider block and its required_providers entry, keeping the AWS ones', () => {
    const offline: Json = makeOffline(registeringStack());

    expect(Object.keys(offline.provider)).toEqual(['aws']);
    expect(Object.keys(offline.terraform.required_providers)).toEqual(['aws']);
  });

  test('replaces each Datadog resource with a terraform_data holding its attributes and its depends_on', () => {
    const offline: Json = standInForDatadog(registeringStack());

    expect(Object.keys(offline.resource).sort()).toEqual(['aws_iam_role', 'aws_iam_role_policy', 'terraform_data']);
    expect(offline.resource.terraform_data['datadog_integration_aws_account_datadog-registration_account']).toEqual({
      input: {
        aws_account_id: '111111111111',
        auth_config: {
          aws_auth_config_role: {
            role_name: 'DatadogIntegrationRole',
            external_id: '${terraform_data.unknown_datadog_integration_aws_account_datadog-registration_account_auth_config_aws_auth_config_role_external_id.id}',
          },
        },
      },
      depends_on: ['aws_iam_role_policy.datadog-role_cloudtrail-policy'],
    });
  });

  test('exposes the external ID the provider computes for a registration that leaves it out, unknown until apply like the real one', () => {
    const offline: Json = standInForDatadog(registeringStack());

    expect(offline.resource.terraform_data['unknown_datadog_integration_aws_account_datadog-registration_account_auth_config_aws_auth_config_role_external_id']).toEqual({});
    expect(JSON.parse(offline.resource.aws_iam_role['datadog-role_role'].assume_role_policy).Statement[0].Condition.StringEquals['sts:ExternalId']).toBe(
      '${terraform_data.datadog_integration_aws_account_datadog-registration_account.output.auth_config.aws_auth_config_role.external_id}',
    );
  });

  test('keeps an external ID the registration sets', () => {
    const offline: Json = standInForDatadog(registeringStack({ auth_config: { aws_auth_config_role: { role_name: 'DatadogIntegrationRole', external_id: 'fixed' } } }));

    expect(offline.resource.terraform_data['datadog_integration_aws_account_datadog-registration_account'].input.auth_config.aws_auth_config_role.external_id).toBe('fixed');
    expect(Object.keys(offline.resource.terraform_data)).toEqual(['datadog_integration_aws_account_datadog-registration_account']);
  });

  test("points references to a Datadog resource's id at the stand-in's id, unknown until apply like the real one", () => {
    const stack = registeringStack();
    stack.resource.aws_ssm_parameter = { id: { name: 'registration-id', type: 'String', value: '${datadog_integration_aws_account.datadog-registration_account.id}' } };

    expect((standInForDatadog(stack) as Json).resource.aws_ssm_parameter.id.value).toBe('${terraform_data.datadog_integration_aws_account_datadog-registration_account.id}');
  });

  test("points references to another attribute at the stand-in's output, and depends_on at the stand-in", () => {
    const stack = registeringStack();
    stack.resource.aws_ssm_parameter = {
      registered: {
        name: 'registered-account',
        type: 'String',
        value: '${datadog_integration_aws_account.datadog-registration_account.aws_account_id}',
        depends_on: ['datadog_integration_aws_account.datadog-registration_account'],
      },
    };

    const parameter = (standInForDatadog(stack) as Json).resource.aws_ssm_parameter.registered;

    expect(parameter.value).toBe('${terraform_data.datadog_integration_aws_account_datadog-registration_account.output.aws_account_id}');
    expect(parameter.depends_on).toEqual(['terraform_data.datadog_integration_aws_account_datadog-registration_account']);
  });

  test('leaves a stack without Datadog resources as it was', () => {
    const stack = { provider: { aws: [{ region: 'us-east-1' }] }, resource: { aws_iam_role: { r: { name: 'datadog_integration_aws_account.x', assume_role_policy: TRUST('x') } } } };

    expect(standInForDatadog(structuredClone(stack))).toEqual(stack);
  });

  test("counts a plan's stand-ins, so that npm run validate can say which resources were not really checked", () => {
    const plan = {
      resource_changes: [
        { type: 'terraform_data', name: 'datadog_integration_aws_account_datadog-registration_account', change: { actions: ['create'] } },
        { type: 'terraform_data', name: 'unknown_datadog_integration_aws_account_datadog-registration_account_auth_config_aws_auth_config_role_external_id', change: { actions: ['create'] } },
        { type: 'terraform_data', name: 'user_owned', change: { actions: ['create'] } },
        { type: 'aws_iam_role', name: 'datadog-role_role', change: { actions: ['create'] } },
      ],
    };

    expect(datadogStandIns(plan)).toBe(1);
  });

  describe('with real Terraform', () => {
    const write = (name: string, stack: Json): string => {
      const dir = path.join(tempDir('ddct-standin-'), name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(stack));
      return dir;
    };
    let checks: Awaited<ReturnType<typeof checkStackDirs>>;
    beforeAllWithTerraform(async () => {
      checks = await checkStackDirs([
        write('registering', registeringStack()),
        write('dangling', registeringStack({ logs_config: { lambda_forwarder: { lambdas: ['${aws_lambda_function.forwarder_function.arn}'] } } })),
      ]);
    });

    terraformTest("validates and plans the AWS half of a registering stack, the stand-ins included, the role trusting the registration's computed external ID", () => {
      expect(checks[0].validate.output).toBe('');
      expect(checks[0].plan?.ok).toBe(true);
      expect(checks[0].plan?.output).toContain('terraform_data.datadog_integration_aws_account_datadog-registration_account will be created');
      expect(checks[0].plan?.output).toMatch(/aws_iam_role\.datadog-role_role will be created[\s\S]*?assume_role_policy\s+= \(known after apply\)/);
    });

    terraformTest('still rejects a Datadog resource that references an AWS resource the stack does not declare', () => {
      expect(checks[1].validate.ok).toBe(false);
      expect(checks[1].validate.output).toContain('Reference to undeclared resource');
    });
  });
});
