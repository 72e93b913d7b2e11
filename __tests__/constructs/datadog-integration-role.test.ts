import { TerraformOutput } from 'cdktf';
import { CLOUDTRAIL_POLICY_NAME, DatadogIntegrationRole, type DatadogIntegrationRoleProps, METRICS_POLICY_NAME } from '../../stacks/datadog-integration-role';
import { datadogCloudTrailPolicy, datadogTrustPolicy } from '../../policies/datadog-role';
import { datadogMetricsPolicy } from '../../policies/datadog-metrics';
import { resourceAt, synthScope } from '../support/construct';
import { EXTERNAL_ID, OTHER_EXTERNAL_ID } from '../support/configs';
import { type PolicyDocument, simulate } from '../support/simulate';
import { addresses, parsePolicy, type TfJson } from '../support/synth';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const DATADOG_ACCOUNT = '464622532012';
const BUCKET = 'acme-cloudtrail';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/DatadogIntegrationRole`;
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/datadog-cloudtrail`;
const logObject = (account: string) => `arn:aws:s3:::${BUCKET}/AWSLogs/${account}/CloudTrail/us-east-1/2026/11/25/${account}_CloudTrail_us-east-1_20261125T0000Z_abc.json.gz`;

/** The documents policies/datadog-role.ts builds for one account of a per-account set-up. */
const PROPS: DatadogIntegrationRoleProps = {
  roleName: 'DatadogIntegrationRole',
  trustPolicy: datadogTrustPolicy({ partition: 'aws', datadogAccountId: DATADOG_ACCOUNT, externalId: EXTERNAL_ID }),
  cloudTrailPolicy: datadogCloudTrailPolicy({
    partition: 'aws',
    trailArns: [TRAIL_ARN],
    bucketName: BUCKET,
    logPrefixes: [`AWSLogs/${ACCOUNT}`],
    organization: false,
  }),
};
const EXISTING_ROLE: DatadogIntegrationRoleProps = { ...PROPS, trustPolicy: undefined };

const ROLE = 'aws_iam_role.datadog-role_role';
const CLOUDTRAIL_POLICY = 'aws_iam_role_policy.datadog-role_cloudtrail-policy';
const METRICS_POLICY = 'aws_iam_role_policy.datadog-role_metrics-policy';

const synthRole = (props: DatadogIntegrationRoleProps = PROPS): TfJson => synthScope((scope) => new DatadogIntegrationRole(scope, 'datadog-role', props));
const documentAt = (stack: TfJson, address: string, attribute: string) => parsePolicy(resourceAt(stack, address)?.[attribute]) as PolicyDocument;

/** A role in Datadog's AWS account, standing in for Datadog (the simulator does not model the root user). */
const DATADOG_CALLER = `arn:aws:iam::${DATADOG_ACCOUNT}:role/DatadogIntegrationAssumer`;
const callerMayAssume: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };

describe('DatadogIntegrationRole', () => {
  describe('with a trust policy', () => {
    const stack = synthRole();

    test('creates the role by its name, with sessions of at most an hour', () => {
      expect(resourceAt(stack, ROLE)).toMatchObject({ name: 'DatadogIntegrationRole', max_session_duration: 3600, description: expect.stringContaining('Datadog') });
    });

    test("is assumed by Datadog's account with the account's own external ID, and by nobody without it", async () => {
      const assume = (principal: string, externalId?: string) =>
        simulate({
          principal,
          action: 'sts:AssumeRole',
          resource: ROLE_ARN,
          resourcePolicy: documentAt(stack, ROLE, 'assume_role_policy'),
          identityPolicies: [callerMayAssume],
          context: externalId ? { 'sts:ExternalId': externalId } : {},
        });

      expect(await assume(DATADOG_CALLER, EXTERNAL_ID)).toBe('Allowed');
      expect(await assume(DATADOG_CALLER, OTHER_EXTERNAL_ID)).not.toBe('Allowed');
      expect(await assume(DATADOG_CALLER)).not.toBe('Allowed');
      expect(await assume(`arn:aws:iam::${OTHER_ACCOUNT}:role/Attacker`, EXTERNAL_ID)).not.toBe('Allowed');
    });

    test('attaches the CloudTrail permissions to the role it creates, as an inline policy of a distinctive name', () => {
      expect(resourceAt(stack, CLOUDTRAIL_POLICY)).toMatchObject({ name: CLOUDTRAIL_POLICY_NAME, role: `\${${ROLE}.name}` });
    });

    test("lets the role read the account's log files in the trail bucket, and no other account's or bucket's", async () => {
      const read = (resource: string) =>
        simulate({ principal: ROLE_ARN, action: 's3:GetObject', resource, resourceAccount: ACCOUNT, identityPolicies: [documentAt(stack, CLOUDTRAIL_POLICY, 'policy')] });

      expect(await read(logObject(ACCOUNT))).toBe('Allowed');
      expect(await read(logObject(OTHER_ACCOUNT))).not.toBe('Allowed');
      expect(await read(`arn:aws:s3:::another-bucket/AWSLogs/${ACCOUNT}/CloudTrail/x.json.gz`)).not.toBe('Allowed');
    });

    test('gives its role, and its name by reference, to what wires it next', () => {
      const outputs = synthScope((scope) => {
        const role = new DatadogIntegrationRole(scope, 'datadog-role', PROPS);
        new TerraformOutput(scope, 'arn', { value: role.role?.arn });
        new TerraformOutput(scope, 'name', { value: role.roleName });
      }).output;

      expect(outputs?.arn.value).toBe(`\${${ROLE}.arn}`);
      expect(outputs?.name.value).toBe(`\${${ROLE}.name}`);
    });
  });

  describe('without a trust policy: a role that exists already (datadog.createRole false)', () => {
    const stack = synthRole(EXISTING_ROLE);

    test('creates no role, so that the existing role keeps its trust', () => {
      expect(stack.resource.aws_iam_role).toBeUndefined();
    });

    test('attaches the CloudTrail permissions to the existing role by its name, beside whatever policies it has', () => {
      expect(resourceAt(stack, CLOUDTRAIL_POLICY)).toMatchObject({ name: CLOUDTRAIL_POLICY_NAME, role: 'DatadogIntegrationRole' });
    });

    test("gives the existing role's name, and no role", () => {
      let role: DatadogIntegrationRole | undefined;
      synthScope((scope) => (role = new DatadogIntegrationRole(scope, 'datadog-role', EXISTING_ROLE)));

      expect(role?.role).toBeUndefined();
      expect(role?.roleName).toBe('DatadogIntegrationRole');
    });
  });

  test('attaches the metric permissions as a second inline policy only when it is given them', () => {
    const withMetrics = synthRole({ ...PROPS, metricsPolicy: datadogMetricsPolicy() });

    expect(resourceAt(withMetrics, METRICS_POLICY)).toMatchObject({ name: METRICS_POLICY_NAME, role: `\${${ROLE}.name}` });
    expect(documentAt(withMetrics, METRICS_POLICY, 'policy')).toEqual(datadogMetricsPolicy());
    expect(resourceAt(synthRole(), METRICS_POLICY)).toBeUndefined();
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(synthRole({ ...PROPS, metricsPolicy: datadogMetricsPolicy() }))).toEqual([ROLE, CLOUDTRAIL_POLICY, METRICS_POLICY]);
  });
});
