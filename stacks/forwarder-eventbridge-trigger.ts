import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { ObjectCreatedPattern } from '../policies/trigger-filters';

export interface ForwarderEventBridgeTriggerProps {
  /** The bucket the user owns; it must send its events to EventBridge. */
  readonly bucketName: string;
  /** The Object Created events that invoke the forwarder: its log files only (policies/trigger-filters.ts). */
  readonly eventPattern: ObjectCreatedPattern;
  /** ARN of the forwarder: it must be Datadog Forwarder 5.3.0 or later. */
  readonly functionArn: string;
  /** Name (or ARN) of the forwarder, for its invoke permission. */
  readonly functionName: string;
}

/**
 * Invokes the forwarder for new log files in a bucket the toolkit does not own, through an
 * EventBridge rule, leaving the bucket's one notification configuration to its owner.
 *
 * Two prerequisites outside this stack: the bucket sends events to EventBridge
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html),
 * and the forwarder reads EventBridge S3 events, which Datadog Forwarder does from 5.3.0
 * (layer 97, python3.14); older forwarders log the event itself instead of the log file.
 */
export class ForwarderEventBridgeTrigger extends Construct {
  /** Sends the matched events to the forwarder, once it may be invoked. */
  readonly target: CloudwatchEventTarget;

  constructor(scope: Construct, id: string, props: ForwarderEventBridgeTriggerProps) {
    super(scope, id);
    const rule = new CloudwatchEventRule(this, 'rule', {
      namePrefix: 'datadog-cloudtrail-',
      description: `New CloudTrail log files in ${props.bucketName} (datadog-cloudtrail)`,
      eventPattern: JSON.stringify(props.eventPattern),
    });
    const permission = new LambdaPermission(this, 'permission', {
      statementId: 'AllowCloudTrailEventRuleToInvoke',
      action: 'lambda:InvokeFunction',
      functionName: props.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: rule.arn,
    });
    this.target = new CloudwatchEventTarget(this, 'target', { rule: rule.name, arn: props.functionArn, dependsOn: [permission] });
  }
}
