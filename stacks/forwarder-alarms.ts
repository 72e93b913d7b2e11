import { Construct } from 'constructs';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';

export interface ForwarderAlarmsProps {
  /** The forwarder's function name. */
  readonly functionName: string;
  /**
   * The SQS queues that keep what the forwarder failed: the construct id of each one's alarm,
   * its name, and what it holds (for the description).
   */
  readonly queues: ReadonlyArray<{ readonly id: string; readonly name: string; readonly holds: string }>;
  /**
   * The SNS topic the alarms notify when they fire and when they recover.
   * @default none: the alarms change state in CloudWatch only
   */
  readonly topicArn?: string;
}

/** The function's failures, by the construct id of their alarm. */
const LAMBDA_FAILURES = [
  { id: 'errors', metricName: 'Errors', what: 'failed an invocation' },
  { id: 'throttles', metricName: 'Throttles', what: 'was throttled' },
] as const;

/** Five-minute periods: CloudWatch's standard resolution for Lambda and SQS metrics. */
const PERIOD_SECONDS = 300;

/**
 * CloudWatch alarms on the forwarder's failures, in its account and region, so that a failure
 * is seen before SQS drops what it kept (14 days at most:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-architecture.html):
 *
 * - each queue holding messages (`ApproximateNumberOfMessagesVisible` above 0): failed
 *   invocations, or sends Datadog's intake refused;
 * - any error or throttle of the function (`Errors`, `Throttles`, summed).
 *
 * A metric that is not reported counts as no failure (`notBreaching`): SQS reports a queue's
 * metrics only while it is active, Lambda its metrics only when it is invoked
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html: "View these
 * metrics with the Sum statistic").
 */
export class ForwarderAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: ForwarderAlarmsProps) {
    super(scope, id);
    const actions = props.topicArn ? { alarmActions: [props.topicArn], okActions: [props.topicArn] } : {};
    const alarm = (alarmId: string, config: Omit<CloudwatchMetricAlarmConfig, 'comparisonOperator' | 'evaluationPeriods' | 'period' | 'threshold'>) =>
      new CloudwatchMetricAlarm(this, alarmId, {
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 1,
        period: PERIOD_SECONDS,
        treatMissingData: 'notBreaching',
        ...actions,
        ...config,
      });
    this.alarms = [
      ...props.queues.map((queue) =>
        alarm(queue.id, {
          alarmName: `${queue.name}-not-empty`,
          alarmDescription: `The Datadog Forwarder ${props.functionName} keeps ${queue.holds} in ${queue.name}: replay or drain them within 14 days (datadog-cloudtrail)`,
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: { QueueName: queue.name },
          statistic: 'Maximum',
        }),
      ),
      ...LAMBDA_FAILURES.map(({ id: alarmId, metricName, what }) =>
        alarm(alarmId, {
          alarmName: `${props.functionName}-${alarmId}`,
          alarmDescription: `The Datadog Forwarder ${props.functionName} ${what} (datadog-cloudtrail)`,
          namespace: 'AWS/Lambda',
          metricName,
          dimensions: { FunctionName: props.functionName },
          statistic: 'Sum',
        }),
      ),
    ];
  }
}
