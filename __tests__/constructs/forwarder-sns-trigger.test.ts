import { logFileNotificationFilter } from '../../policies/trigger-filters';
import { ForwarderSnsTrigger, type ForwarderSnsTriggerProps } from '../../stacks/forwarder-sns-trigger';
import { resourceAt, synthScope } from '../support/construct';
import { addresses } from '../support/synth';

const PROPS: ForwarderSnsTriggerProps = {
  topicArn: 'arn:aws:sns:eu-west-1:222222222222:cloudtrail-log-files',
  filterPolicy: logFileNotificationFilter('o-a1b2c3d4e5/AWSLogs/o-a1b2c3d4e5'),
  functionArn: 'arn:aws:lambda:eu-west-1:222222222222:function:DatadogForwarder',
  functionName: 'DatadogForwarder',
};

describe('ForwarderSnsTrigger', () => {
  const stack = synthScope((scope) => new ForwarderSnsTrigger(scope, 'forwarder-trigger', PROPS));

  test('lets only SNS, for that topic, invoke the forwarder', () => {
    expect(resourceAt(stack, 'aws_lambda_permission.forwarder-trigger_permission')).toEqual({
      statement_id: 'AllowCloudTrailTopicToInvoke',
      action: 'lambda:InvokeFunction',
      function_name: 'DatadogForwarder',
      principal: 'sns.amazonaws.com',
      source_arn: PROPS.topicArn,
    });
  });

  test('subscribes the forwarder to the topic', () => {
    expect(resourceAt(stack, 'aws_sns_topic_subscription.forwarder-trigger_subscription')).toMatchObject({
      topic_arn: PROPS.topicArn,
      protocol: 'lambda',
      endpoint: PROPS.functionArn,
    });
  });

  test('filters the messages on their body, the S3 notification, with its filter policy', () => {
    const subscription = resourceAt(stack, 'aws_sns_topic_subscription.forwarder-trigger_subscription');

    expect(subscription?.filter_policy_scope).toBe('MessageBody');
    expect(JSON.parse(String(subscription?.filter_policy))).toEqual({ Records: { s3: { object: { key: [{ prefix: 'o-a1b2c3d4e5/AWSLogs/o-a1b2c3d4e5/' }] } } } });
  });

  test('subscribes only once the permission exists, so that no message is refused', () => {
    expect(resourceAt(stack, 'aws_sns_topic_subscription.forwarder-trigger_subscription')?.depends_on).toEqual([
      'aws_lambda_permission.forwarder-trigger_permission',
    ]);
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(stack)).toEqual(['aws_lambda_permission.forwarder-trigger_permission', 'aws_sns_topic_subscription.forwarder-trigger_subscription']);
  });
});
