/** The role CloudTrail assumes to deliver events to CloudWatch Logs (CloudTrail.5). */
import { type PolicyDocument, policyDocument } from './types';

export function trailDeliveryTrustPolicy(trailArn: string): PolicyDocument {
  return policyDocument({
    Sid: 'CloudTrailAssumesForThisTrailOnly',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
  });
}

/** https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html */
export function trailDeliveryPolicy(logGroupArn: string): PolicyDocument {
  return policyDocument({
    Sid: 'CloudTrailDeliversToTheTrailLogGroup',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `${logGroupArn}:log-stream:*`,
  });
}
