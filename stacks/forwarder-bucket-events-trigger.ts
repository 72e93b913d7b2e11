import { Construct } from 'constructs';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import type { ObjectCreatedPattern } from '../policies/trigger-filters';
import { ForwarderEventBridgeTrigger } from './forwarder-eventbridge-trigger';

export interface ForwarderBucketEventsTriggerProps {
  /** The trail bucket the stack creates (may be a Terraform token). */
  readonly bucket: string;
  /** Its name, as the events carry it. */
  readonly bucketName: string;
  /** The Object Created events that invoke the forwarder: its log files only (policies/trigger-filters.ts). */
  readonly eventPattern: ObjectCreatedPattern;
  /** ARN of the forwarder: Datadog Forwarder 5.3.0 or later, which reads S3 events from EventBridge. */
  readonly functionArn: string;
  /** Name of the forwarder, for its invoke permission. */
  readonly functionName: string;
}

/**
 * Invokes the forwarder for the log files of a bucket the stack owns, through EventBridge: the
 * bucket sends its events to EventBridge, and a rule passes the CloudTrail log files alone,
 * which an S3 notification filter cannot do for an organization (prefixes only). Datadog
 * Forwarder reads these events from 5.3.0 (`eventbridge_s3_handler`, steps/handlers/s3_handler.py,
 * tag aws-dd-forwarder-5.3.0, PR 1052), reading the object as for an S3 notification.
 *
 * The bucket's notification configuration is written here, with EventBridge on and no other
 * destination: S3 keeps one configuration per bucket, and aws_s3_bucket_notification writes
 * all of it (https://github.com/hashicorp/terraform-provider-aws/issues/501;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html).
 * Its id is the one the S3 trigger's notification had, so that switching from that trigger is
 * an update of the one configuration, not a delete and a create.
 */
export class ForwarderBucketEventsTrigger extends Construct {
  readonly rule: ForwarderEventBridgeTrigger;
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: ForwarderBucketEventsTriggerProps) {
    super(scope, id);
    this.rule = new ForwarderEventBridgeTrigger(this, 'eventbridge', {
      bucketName: props.bucketName,
      eventPattern: props.eventPattern,
      functionArn: props.functionArn,
      functionName: props.functionName,
    });
    this.notification = new S3BucketNotification(this, 'notification', {
      bucket: props.bucket,
      eventbridge: true,
      // Events reach EventBridge from the moment this is written: only once the rule
      // delivers them, so that no log file written meanwhile is lost.
      dependsOn: [this.rule.target],
    });
  }
}
