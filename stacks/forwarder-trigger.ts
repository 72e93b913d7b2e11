import { Construct } from 'constructs';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';

export interface ForwarderTriggerProps {
  /** The trail bucket (may be a Terraform token). */
  readonly bucketName: string;
  /** ARN of the trail bucket: the only source the forwarder accepts S3 invocations from. */
  readonly bucketArn: string;
  /** Account that owns the trail bucket. */
  readonly bucketAccountId: string;
  /** ARN of the forwarder function. */
  readonly functionArn: string;
  /** Name of the forwarder function. */
  readonly functionName: string;
  /** Only objects under this key prefix invoke the forwarder, e.g. `AWSLogs/<account>/CloudTrail/`, which leaves out digest files. */
  readonly filterPrefix: string;
}

/**
 * Invokes the forwarder for every log file CloudTrail writes to the trail bucket.
 *
 * S3 keeps one notification configuration per bucket, and aws_s3_bucket_notification
 * replaces all of it: this must be the only notification resource on the bucket, or one
 * silently overwrites the other (https://github.com/hashicorp/terraform-provider-aws/issues/501).
 */
export class ForwarderTrigger extends Construct {
  readonly permission: LambdaPermission;
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: ForwarderTriggerProps) {
    super(scope, id);
    // Datadog's template sets only SourceAccount; the bucket ARN as well keeps any other
    // bucket of the account from invoking the forwarder (CKV_AWS_364).
    this.permission = new LambdaPermission(this, 'permission', {
      statementId: 'AllowTrailBucketToInvoke',
      action: 'lambda:InvokeFunction',
      functionName: props.functionName,
      principal: 's3.amazonaws.com',
      sourceArn: props.bucketArn,
      sourceAccount: props.bucketAccountId,
    });
    this.notification = new S3BucketNotification(this, 'notification', {
      bucket: props.bucketName,
      lambdaFunction: [{ lambdaFunctionArn: props.functionArn, events: ['s3:ObjectCreated:*'], filterPrefix: props.filterPrefix }],
      // S3 tests the destination when the configuration is written and refuses it ("Unable to
      // validate the following destination configurations") until the permission exists
      // (https://github.com/hashicorp/terraform/issues/19756).
      dependsOn: [this.permission],
    });
  }
}
