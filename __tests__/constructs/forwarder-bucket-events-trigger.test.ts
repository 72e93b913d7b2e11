import { logFileEventPattern } from '../../policies/trigger-filters';
import { ForwarderBucketEventsTrigger, type ForwarderBucketEventsTriggerProps } from '../../stacks/forwarder-bucket-events-trigger';
import { resourceAt, synthScope } from '../support/construct';
import { addresses } from '../support/synth';

const BUCKET = 'acme-org-cloudtrail-222222222222';
const PROPS: ForwarderBucketEventsTriggerProps = {
  bucket: '${aws_s3_bucket.trail-bucket_logs_bucket.id}',
  bucketName: BUCKET,
  eventPattern: logFileEventPattern(BUCKET, 'AWSLogs/o-a1b2c3d4e5'),
  functionArn: 'arn:aws:lambda:us-east-1:222222222222:function:DatadogForwarder',
  functionName: 'DatadogForwarder',
};
const NOTIFICATION = 'aws_s3_bucket_notification.forwarder-trigger_notification';
const RULE = 'aws_cloudwatch_event_rule.forwarder-trigger_eventbridge_rule';
const TARGET = 'aws_cloudwatch_event_target.forwarder-trigger_eventbridge_target';
const PERMISSION = 'aws_lambda_permission.forwarder-trigger_eventbridge_permission';

describe('ForwarderBucketEventsTrigger', () => {
  const stack = synthScope((scope) => new ForwarderBucketEventsTrigger(scope, 'forwarder-trigger', PROPS));

  test("turns the bucket's EventBridge notifications on, and sends its events nowhere else", () => {
    expect(resourceAt(stack, NOTIFICATION)).toMatchObject({ bucket: PROPS.bucket, eventbridge: true });
    for (const destination of ['lambda_function', 'queue', 'topic']) expect(resourceAt(stack, NOTIFICATION)).not.toHaveProperty(destination);
  });

  test('turns them on only once the rule delivers to the forwarder', () => {
    expect(resourceAt(stack, NOTIFICATION)?.depends_on).toEqual([TARGET]);
  });

  test('invokes the forwarder for the events of its pattern, through a permission for its rule alone', () => {
    expect(JSON.parse(String(resourceAt(stack, RULE)?.event_pattern))).toEqual(PROPS.eventPattern);
    expect(resourceAt(stack, PERMISSION)).toMatchObject({ principal: 'events.amazonaws.com', source_arn: `\${${RULE}.arn}` });
    expect(resourceAt(stack, TARGET)).toMatchObject({ arn: PROPS.functionArn });
  });

  test("keeps its Terraform addresses, the notification's that of the S3 trigger it replaces", () => {
    expect(addresses(stack)).toEqual([RULE, TARGET, PERMISSION, NOTIFICATION]);
  });
});
