import { logFileEventPattern } from '../../policies/trigger-filters';
import { ForwarderEventBridgeTrigger, type ForwarderEventBridgeTriggerProps } from '../../stacks/forwarder-eventbridge-trigger';
import { resourceAt, synthScope } from '../support/construct';
import { addresses } from '../support/synth';

const PROPS: ForwarderEventBridgeTriggerProps = {
  bucketName: 'acme-central-cloudtrail',
  eventPattern: logFileEventPattern('acme-central-cloudtrail', 'cloudtrail/AWSLogs'),
  functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:DatadogForwarder',
  functionName: 'DatadogForwarder',
};
const RULE = 'aws_cloudwatch_event_rule.forwarder-trigger_rule';
const TARGET = 'aws_cloudwatch_event_target.forwarder-trigger_target';
const PERMISSION = 'aws_lambda_permission.forwarder-trigger_permission';

describe('ForwarderEventBridgeTrigger', () => {
  const stack = synthScope((scope) => new ForwarderEventBridgeTrigger(scope, 'forwarder-trigger', PROPS));

  test('matches the Object Created events of its pattern', () => {
    expect(JSON.parse(String(resourceAt(stack, RULE)?.event_pattern))).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['acme-central-cloudtrail'] }, object: { key: [{ wildcard: 'cloudtrail/AWSLogs/*/CloudTrail/*.json.gz' }] } },
    });
  });

  test('gets a generated name, so that rules of several stacks in one account never collide', () => {
    expect(resourceAt(stack, RULE)).toMatchObject({ name_prefix: 'datadog-cloudtrail-' });
    expect(resourceAt(stack, RULE)).not.toHaveProperty('name');
  });

  test('lets only its rule invoke the forwarder', () => {
    expect(resourceAt(stack, PERMISSION)).toEqual({
      statement_id: 'AllowCloudTrailEventRuleToInvoke',
      action: 'lambda:InvokeFunction',
      function_name: 'DatadogForwarder',
      principal: 'events.amazonaws.com',
      source_arn: `\${${RULE}.arn}`,
    });
  });

  test('sends the matched events to the forwarder, once the permission exists', () => {
    expect(resourceAt(stack, TARGET)).toEqual({ rule: `\${${RULE}.name}`, arn: PROPS.functionArn, depends_on: [PERMISSION] });
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(stack)).toEqual([RULE, TARGET, PERMISSION]);
  });
});
