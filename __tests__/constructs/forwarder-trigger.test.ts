import { ForwarderTrigger, type ForwarderTriggerProps } from '../../stacks/forwarder-trigger';
import { synthScope } from '../support/construct';
import { addresses, resourcesOfType } from '../support/synth';

const ACCOUNT = '111111111111';
const BUCKET = `acme-cloudtrail-${ACCOUNT}`;

const TRIGGER: ForwarderTriggerProps = {
  bucketName: BUCKET,
  bucketArn: `arn:aws:s3:::${BUCKET}`,
  bucketAccountId: ACCOUNT,
  functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:DatadogForwarder`,
  functionName: 'DatadogForwarder',
  filterPrefix: `AWSLogs/${ACCOUNT}/CloudTrail/`,
};

describe('ForwarderTrigger', () => {
  const stack = synthScope((scope) => new ForwarderTrigger(scope, 'forwarder-trigger', TRIGGER));

  test('lets only the trail bucket, in its owner account, invoke the forwarder', () => {
    expect(resourcesOfType(stack, 'aws_lambda_permission')).toEqual([
      expect.objectContaining({
        action: 'lambda:InvokeFunction',
        function_name: 'DatadogForwarder',
        principal: 's3.amazonaws.com',
        source_arn: `arn:aws:s3:::${BUCKET}`,
        source_account: ACCOUNT,
      }),
    ]);
  });

  test('invokes the forwarder for every object created under the filter prefix', () => {
    expect(resourcesOfType(stack, 'aws_s3_bucket_notification')).toEqual([
      expect.objectContaining({
        bucket: BUCKET,
        lambda_function: [
          { lambda_function_arn: TRIGGER.functionArn, events: ['s3:ObjectCreated:*'], filter_prefix: `AWSLogs/${ACCOUNT}/CloudTrail/` },
        ],
      }),
    ]);
  });

  test('writes the notification only once the permission exists', () => {
    expect(stack.resource.aws_s3_bucket_notification['forwarder-trigger_notification'].depends_on).toEqual([
      'aws_lambda_permission.forwarder-trigger_permission',
    ]);
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(stack)).toEqual(['aws_lambda_permission.forwarder-trigger_permission', 'aws_s3_bucket_notification.forwarder-trigger_notification']);
  });
});
