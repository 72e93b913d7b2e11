/**
 * The role EventBridge Scheduler assumes to invoke the forwarder with `{"retry": true}`, so
 * that it re-sends the failed events it stored. Datadog's template (`SchedulerRole` in
 * aws/logs_monitoring/template.yaml at aws-dd-forwarder-5.4.11) grants it
 * `lambda:InvokeFunction` on the forwarder and trusts `scheduler.amazonaws.com` without a
 * condition; here the trust also names the account and the schedule group, as AWS advises
 * against the confused deputy (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
 */
import { scheduleGroupArn } from '../config/arns';
import type { Partition } from '../config/regions';
import { type PolicyDocument, policyDocument } from './types';

/**
 * The schedule group of the retry schedule. AWS's confused-deputy guidance: "Do not scope the
 * aws:SourceArn statement to a specific schedule or a schedule name prefix. The ARN you
 * specify must be a schedule group." The schedule stays in the group every account has.
 */
export const RETRY_SCHEDULE_GROUP = 'default';

export interface RetryScheduleTrustProps {
  partition: Partition;
  region: string;
  /** The account of the schedule, the role and the forwarder. */
  accountId: string;
}

export function retryScheduleTrustPolicy(props: RetryScheduleTrustProps): PolicyDocument {
  return policyDocument({
    Sid: 'SchedulerAssumesTheRetryRole',
    Effect: 'Allow',
    Principal: { Service: 'scheduler.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: {
      StringEquals: {
        'aws:SourceAccount': props.accountId,
        'aws:SourceArn': scheduleGroupArn(props.partition, props.region, props.accountId, RETRY_SCHEDULE_GROUP),
      },
    },
  });
}

/** Invoking the forwarder, and nothing else (by ARN, unqualified: the schedule invokes $LATEST). */
export function retrySchedulePolicy(functionArn: string): PolicyDocument {
  return policyDocument({
    Sid: 'SchedulerInvokesTheForwarder',
    Effect: 'Allow',
    Action: 'lambda:InvokeFunction',
    Resource: functionArn,
  });
}
