import { Construct } from 'constructs';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';

export interface ForwarderSnsTriggerProps {
  /** The SNS topic the user's bucket already sends its object-created notifications to. */
  readonly topicArn: string;
  /** ARN of the forwarder. */
  readonly functionArn: string;
  /** Name (or ARN) of the forwarder, for its invoke permission. */
  readonly functionName: string;
}

/**
 * Subscribes the forwarder to the SNS topic a bucket the toolkit does not own already
 * notifies, so the bucket's one notification configuration stays its owner's. The Datadog
 * Forwarder unwraps S3 notifications from SNS messages (since 3.x; layer 93 included). What
 * reaches it is whatever the bucket publishes: filter digest files out at the bucket's
 * notification if you can.
 */
export class ForwarderSnsTrigger extends Construct {
  constructor(scope: Construct, id: string, props: ForwarderSnsTriggerProps) {
    super(scope, id);
    const permission = new LambdaPermission(this, 'permission', {
      statementId: 'AllowCloudTrailTopicToInvoke',
      action: 'lambda:InvokeFunction',
      functionName: props.functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: props.topicArn,
    });
    new SnsTopicSubscription(this, 'subscription', {
      topicArn: props.topicArn,
      protocol: 'lambda',
      endpoint: props.functionArn,
      dependsOn: [permission],
    });
  }
}
