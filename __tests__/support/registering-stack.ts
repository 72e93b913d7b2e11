/**
 * The fixture of the tests of the offline harness's stand-ins for the Datadog provider's
 * resources (commands/terraform.ts): in process for the rewrite, with real Terraform for the plan.
 */

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

export const TRUST = (externalId: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
  });

/** A stack shaped as the account stacks synthesize with manageIntegration. */
export function registeringStack(registration: Json = {}): Json {
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
