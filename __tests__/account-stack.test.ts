import { CLOUDTRAIL_POLICY_NAME } from '../stacks/datadog-integration-role';
import { validConfig, OTHER_EXTERNAL_ID } from './support/configs';
import { synthConfig } from './support/synth';

describe('AccountStack', () => {
  test('is one stack per account, named after the account', () => {
    const input = validConfig();
    input.accounts.push({ name: 'staging', accountId: '222222222222', region: 'eu-west-1', externalId: OTHER_EXTERNAL_ID });

    expect(Object.keys(synthConfig(input).stacks).sort()).toEqual(['prod', 'staging']);
  });

  test("configures the AWS provider for the account's region and refuses any other account", () => {
    const { stacks } = synthConfig(validConfig());

    expect(stacks.prod.provider.aws).toEqual([{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }]);
  });

  test('assumes the account role when assumeRoleArn is set', () => {
    const input = validConfig();
    input.accounts[0].assumeRoleArn = 'arn:aws:iam::111111111111:role/OrganizationAccountAccessRole';

    const [provider] = synthConfig(input).stacks.prod.provider.aws;

    expect(provider.assume_role).toEqual([
      { role_arn: 'arn:aws:iam::111111111111:role/OrganizationAccountAccessRole', session_name: 'datadog-cloudtrail' },
    ]);
  });

  test('applies the config tags as provider default tags', () => {
    const input = validConfig();
    input.tags = { team: 'platform' };

    const [provider] = synthConfig(input).stacks.prod.provider.aws;

    expect(provider.default_tags).toEqual([{ tags: { team: 'platform' } }]);
  });

  test('keeps local state in the project folder, by a path relative to the stack', () => {
    const { stacks } = synthConfig(validConfig());

    expect(stacks.prod.terraform.backend).toEqual({ local: { path: expect.stringMatching(/(^|\/)terraform\.prod\.tfstate$/) } });
    expect(stacks.prod.terraform.backend.local.path).not.toMatch(/^\//);
  });

  test('uses an encrypted S3 backend with S3-native locking and one key per stack when configured', () => {
    const input = validConfig();
    input.backend = { s3: { bucket: 'acme-tf-state', region: 'us-east-1' } };

    const { stacks } = synthConfig(input);

    expect(stacks.prod.terraform.backend).toEqual({
      s3: { bucket: 'acme-tf-state', key: 'datadog-cloudtrail/prod.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
    });
  });

  test('pins the AWS provider to 6.25.0, the version of the last cdktf bindings', () => {
    expect(synthConfig(validConfig()).stacks.prod.terraform.required_providers).toEqual({
      aws: { source: 'aws', version: '6.25.0' },
    });
  });
});

describe('DatadogIntegrationRole', () => {
  test('creates the role and its CloudTrail policy by default', () => {
    const { stacks } = synthConfig(validConfig());

    expect(stacks.prod.resource.aws_iam_role['datadog-role_role']).toMatchObject({ name: 'DatadogIntegrationRole', max_session_duration: 3600 });
    expect(stacks.prod.resource.aws_iam_role_policy['datadog-role_cloudtrail-policy']).toMatchObject({
      name: CLOUDTRAIL_POLICY_NAME,
      role: '${aws_iam_role.datadog-role_role.name}',
    });
  });

  test('attaches the policy to the existing role by name and creates no role when createRole is false', () => {
    const input = validConfig();
    input.datadog.createRole = false;
    input.datadog.roleName = 'DatadogAWSIntegrationRole';

    const { stacks } = synthConfig(input);

    expect(stacks.prod.resource.aws_iam_role['datadog-role_role']).toBeUndefined();
    expect(stacks.prod.resource.aws_iam_role_policy['datadog-role_cloudtrail-policy']).toMatchObject({ role: 'DatadogAWSIntegrationRole' });
  });
});
