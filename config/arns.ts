/**
 * Every ARN and derived name the toolkit builds, in one place. They are computed from the
 * config, never read back from AWS, so that stacks need no cross-stack references and no
 * data source that would call AWS during plan.
 */
import type { Partition } from './regions';

export function trailArn(partition: Partition, region: string, accountId: string, trailName: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

export function bucketArn(partition: Partition, bucketName: string): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

/** ARN of the objects under `keyPrefix` (no trailing slash), or of every object. */
export function objectsArn(partition: Partition, bucketName: string, keyPrefix?: string): string {
  return `${bucketArn(partition, bucketName)}/${keyPrefix ? `${keyPrefix}/` : ''}*`;
}

export function roleArn(partition: Partition, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export function accountRootArn(partition: Partition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/**
 * The key prefix CloudTrail writes an account's logs under:
 * `[prefix/]AWSLogs/<account>` (or `AWSLogs/<o-id>/<account>` for an organization trail).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
 */
export function logPrefix(s3KeyPrefix: string | undefined, ...path: string[]): string {
  return [s3KeyPrefix, 'AWSLogs', ...path].filter(Boolean).join('/');
}

export function logGroupArn(partition: Partition, region: string, accountId: string, name: string): string {
  return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
}

/** A function's ARN, known before it exists: the registration in Datadog names the forwarder by it. */
export function lambdaFunctionArn(partition: Partition, region: string, accountId: string, functionName: string): string {
  return `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
}

/** The function name in a Lambda function ARN (`arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`). */
export function functionNameOf(functionArn: string): string {
  return functionArn.split(':')[6];
}

export function queueArn(partition: Partition, region: string, accountId: string, queueName: string): string {
  return `arn:${partition}:sqs:${region}:${accountId}:${queueName}`;
}

export function functionArn(partition: Partition, region: string, accountId: string, functionName: string): string {
  return `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`;
}

/**
 * An EventBridge Scheduler schedule group: the only resource a schedule's execution role may
 * be conditioned on (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
 */
export function scheduleGroupArn(partition: Partition, region: string, accountId: string, groupName: string): string {
  return `arn:${partition}:scheduler:${region}:${accountId}:schedule-group/${groupName}`;
}

/** Any key of an account and region; narrowed to the trail key by its alias in a condition. */
export function keysArn(partition: Partition, region: string, accountId: string): string {
  return `arn:${partition}:kms:${region}:${accountId}:key/*`;
}

/** A KMS alias ARN: CloudTrail accepts it as the trail's key, also for a key in another account. */
export function aliasArn(partition: Partition, region: string, accountId: string, alias: string): string {
  return `arn:${partition}:kms:${region}:${accountId}:${alias}`;
}

/**
 * Datadog publishes the Datadog-Forwarder layer from one account per partition (`Layers` of
 * the `Forwarder` in https://github.com/DataDog/datadog-serverless-functions/blob/master/aws/logs_monitoring/template.yaml).
 */
const FORWARDER_LAYER_PUBLISHER: Record<Partition, string> = { aws: '464622532012', 'aws-us-gov': '002406178527' };

export function forwarderLayerArn(partition: Partition, region: string, layerVersion: number): string {
  return `arn:${partition}:lambda:${region}:${FORWARDER_LAYER_PUBLISHER[partition]}:layer:Datadog-Forwarder:${layerVersion}`;
}
