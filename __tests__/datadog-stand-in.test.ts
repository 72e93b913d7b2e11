/**
 * The offline harness stands in for the Datadog provider's resources, whose provider binary
 * these machines lack, so that the AWS half of a stack that registers the account with Datadog
 * still validates and plans with the real Terraform (TERRAFORM.md item 4). Here the rewrite;
 * the plans with the real Terraform are in __tests__/processes/datadog-stand-in.test.ts.
 */
import { datadogStandIns, makeOffline, standInForDatadog } from '../commands/terraform';
import { type Json, registeringStack, TRUST } from './support/registering-stack';

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
});
