/**
 * An account that ran Datadog's CloudFormation quick-start already holds the integration role
 * (`IAMRoleName` defaults to DatadogIntegrationRole: aws_quickstart/main_v2.yaml in
 * DataDog/cloudformation-template) and a forwarder named by CloudFormation. The default config
 * would create the role again (EntityAlreadyExists); the quick-start example creates nothing
 * of that kind and uses what is there.
 */
import * as path from 'node:path';
import { resourcesOfType, synthFile } from './support/synth';

const QUICK_START_ROLE = 'DatadogIntegrationRole';
const example = (name: string) => synthFile(path.join(__dirname, '..', 'examples', `${name}.json`)).stacks.prod;

describe("an account that ran Datadog's quick-start", () => {
  test('collides with the default config, which creates the role the quick-start made', () => {
    expect(resourcesOfType(example('single-account'), 'aws_iam_role').map((role) => role.name)).toContain(QUICK_START_ROLE);
  });

  describe('with the quick-start example', () => {
    const stack = example('quick-start-account');

    test('creates no role, function or log group of a name the account may hold already', () => {
      expect(resourcesOfType(stack, 'aws_iam_role')).toEqual([]);
      expect(resourcesOfType(stack, 'aws_lambda_function')).toEqual([]);
      expect(resourcesOfType(stack, 'aws_cloudwatch_log_group')).toEqual([]);
    });

    test("attaches the CloudTrail policy to the quick-start's role", () => {
      expect(resourcesOfType(stack, 'aws_iam_role_policy').map((policy) => policy.role)).toEqual([QUICK_START_ROLE]);
    });

    test("invokes the quick-start's forwarder from the trail bucket", () => {
      const [notification] = resourcesOfType(stack, 'aws_s3_bucket_notification') as Array<{ lambda_function: Array<{ lambda_function_arn: string }> }>;
      expect(notification.lambda_function[0].lambda_function_arn).toMatch(/:function:datadog-ForwarderStack-.*-Forwarder-/);
    });
  });
});
