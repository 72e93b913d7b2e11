/** The role CloudTrail assumes to deliver events to CloudWatch Logs (CloudTrail.5). */
import { type PolicyDocument, policyDocument } from './types';

/**
 * Trusts CloudTrail with no condition. Unlike CloudTrail's bucket and key grants, this role
 * cannot be narrowed to one trail: "Confused deputy prevention is not applicable to the role
 * policy for CloudWatch Logs monitoring. The role policy doesn't support the use of
 * aws:SourceArn and aws:SourceAccount."
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
 * What the role may do stays narrow: write the streams of one log group (trailDeliveryPolicy).
 */
export function trailDeliveryTrustPolicy(): PolicyDocument {
  return policyDocument({
    Sid: 'CloudTrailAssumesToDeliverToCloudWatchLogs',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'sts:AssumeRole',
  });
}

/**
 * Every stream of the one log group: this also covers an organization trail's streams for its
 * member accounts (`log-stream:<o-id>_*` in the organization example of the page above).
 */
export function trailDeliveryPolicy(logGroupArn: string): PolicyDocument {
  return policyDocument({
    Sid: 'CloudTrailDeliversToTheTrailLogGroup',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `${logGroupArn}:log-stream:*`,
  });
}
