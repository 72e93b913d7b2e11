import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { functionArn } from '../config/arns';
import type { Partition } from '../config/regions';
import { forwarderRetryScheduleName } from '../config/topology';
import { RETRY_SCHEDULE_GROUP, retrySchedulePolicy, retryScheduleTrustPolicy } from '../policies/retry-schedule';
import { policyJson } from './policy-json';

/** The event that makes the forwarder re-send what it stored, and nothing else (lambda_function.py, DD_RETRY_KEYWORD). */
export const RETRY_EVENT = '{"retry": true}';

/** Inline policy name of the schedule's role. */
export const RETRY_POLICY_NAME = 'InvokeDatadogForwarder';

export interface ForwarderRetryScheduleProps {
  /** ARN of the forwarder (may be a Terraform token): the schedule's only target. */
  readonly functionArn: string;
  /** Name of the forwarder; with the account, region and partition it names the function in the role's policy. */
  readonly functionName: string;
  readonly partition: Partition;
  readonly region: string;
  readonly accountId: string;
  /** Hours between two retries. */
  readonly intervalHours: number;
}

/**
 * Invokes the forwarder with `{"retry": true}` every few hours, so that it re-sends the failed
 * events it stored: the forwarder retries them only when invoked so
 * (aws/logs_monitoring/lambda_function.py at aws-dd-forwarder-5.4.11), and Datadog's template
 * schedules that with EventBridge Scheduler (`Scheduler` and `SchedulerRole`, under
 * DdScheduleRetryFailedEvents). The schedule invokes through its own role, trusted only by
 * EventBridge Scheduler for this account's schedule group, which may invoke this function
 * only: Lambda needs no resource-policy statement for it.
 */
export class ForwarderRetrySchedule extends Construct {
  readonly role: IamRole;
  readonly schedule: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: ForwarderRetryScheduleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      // A prefix, not a name: <functionName>-retry-role would pass IAM's 64 characters for the
      // longest function names; nothing refers to this role by name.
      namePrefix: `${props.functionName.slice(0, 30)}-retry-`,
      description: `EventBridge Scheduler retries the failed events of the Datadog Forwarder ${props.functionName} (datadog-cloudtrail)`,
      assumeRolePolicy: policyJson(retryScheduleTrustPolicy(props)),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      name: RETRY_POLICY_NAME,
      role: this.role.name,
      policy: policyJson(retrySchedulePolicy(functionArn(props.partition, props.region, props.accountId, props.functionName))),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: forwarderRetryScheduleName(props.functionName),
      groupName: RETRY_SCHEDULE_GROUP,
      description: `Retries the failed events the Datadog Forwarder ${props.functionName} stored (datadog-cloudtrail)`,
      scheduleExpression: rateExpression(props.intervalHours),
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: props.functionArn, roleArn: this.role.arn, input: RETRY_EVENT },
      // Its first run can then invoke.
      dependsOn: [policy],
    });
  }
}

/**
 * `rate(1 hour)`, `rate(6 hours)`. Scheduler's API takes `minute | minutes | hour | hours |
 * day | days` (CreateSchedule, ScheduleExpression); EventBridge rules require the singular
 * for 1 and the plural above it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html),
 * which fits both. Datadog's template writes `rate(${DdScheduleRetryInterval} hours)` whatever
 * the value; whether Scheduler takes `rate(1 hours)` was not checked.
 */
export function rateExpression(hours: number): string {
  return `rate(${hours} ${hours === 1 ? 'hour' : 'hours'})`;
}
