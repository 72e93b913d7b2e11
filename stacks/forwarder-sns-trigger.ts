import { Construct } from 'constructs';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { NotificationKeyFilterPolicy } from '../policies/trigger-filters';

export interface ForwarderSnsTriggerProps {
  /** The SNS topic the user's bucket already sends its object-created notifications to. */
  readonly topicArn: string;
  /** Which notifications reach the forwarder, by object key, on the message body (policies/trigger-filters.ts). */
  readonly filterPolicy: NotificationKeyFilterPolicy;
  /** ARN of the forwarder. */
  readonly functionArn: string;
  /** Name (or ARN) of the forwarder, for its invoke permission. */
  readonly functionName: string;
}

/**
 * Subscribes the forwarder to the SNS topic a bucket the toolkit does not own already
 * notifies, so the bucket's one notification configuration stays its owner's. The Datadog
 * Forwarder unwraps S3 notifications from SNS messages (since 3.x; layer 93 included). The
 * filter policy applies to the message body, which S3 fills with the notification
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html): a topic shared
 * with other subscribers, or notified of other files, reaches the forwarder only with log files.
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
      filterPolicy: JSON.stringify(props.filterPolicy),
      filterPolicyScope: 'MessageBody',
      dependsOn: [permission],
    });
  }
}
