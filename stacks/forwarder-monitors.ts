import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';

export interface ForwarderMonitorsProps {
  /** The account whose forwarder it is, for the monitors' names. */
  readonly accountName: string;
  /** Its AWS account ID: the `aws_account` tag of the AWS metrics. */
  readonly accountId: string;
  /** The forwarder's function name. */
  readonly functionName: string;
  /**
   * The SQS queues that keep what the forwarder failed: the construct id of each one's
   * monitor, its name, and what it holds.
   * @default none: a forwarder the user runs, whose queues the toolkit does not know
   */
  readonly queues?: ReadonlyArray<{ readonly id: string; readonly name: string; readonly holds: string }>;
  /**
   * Notification handles added to the messages.
   * @default none
   */
  readonly notify?: string[];
}

/**
 * AWS metrics reach Datadog through its crawler, late: "AWS and crawler-based metrics: Minimum
 * 15 minutes (900 seconds) delay recommended"
 * (https://docs.datadoghq.com/monitors/guide/troubleshooting-no-data/).
 */
const EVALUATION_DELAY_SECONDS = 900;

/**
 * Datadog monitors on the forwarder's failures, from the CloudWatch metrics Datadog's AWS
 * integration collects (`datadog.collectMetrics`): the function's errors and throttles
 * (`aws.lambda.errors`, `aws.lambda.throttles`, tagged `functionname` and `aws_account`) and
 * the messages in its queues (`aws.sqs.approximate_number_of_messages_visible`, tagged
 * `queuename`). Datadog lower-cases tag values, so the names are lower-cased in the scopes
 * (https://docs.datadoghq.com/getting_started/tagging/#define-tags). The same failures raise
 * the forwarder's CloudWatch alarms (stacks/forwarder-alarms.ts) in AWS.
 */
export class ForwarderMonitors extends Construct {
  readonly monitors: Monitor[];

  constructor(scope: Construct, id: string, props: ForwarderMonitorsProps) {
    super(scope, id);
    const account = `aws_account:${props.accountId}`;
    const fn = `functionname:${props.functionName.toLowerCase()}`;
    const monitor = (monitorId: string, name: string, query: string, message: string) =>
      new Monitor(this, monitorId, {
        type: 'query alert',
        name: `${name} (${props.accountName})`,
        query,
        monitorThresholds: { critical: '0' },
        evaluationDelay: EVALUATION_DELAY_SECONDS,
        requireFullWindow: false,
        message: [message, ...(props.notify ?? [])].join('\n'),
        tags: ['source:cloudtrail', 'managed-by:datadog-cloudtrail'],
        includeTags: true,
      });
    this.monitors = [
      monitor('errors', `Datadog Forwarder ${props.functionName} errors`, `sum(last_15m):sum:aws.lambda.errors{${account},${fn}}.as_count() > 0`,
        `The Datadog Forwarder ${props.functionName} failed invocations: CloudTrail log files it was given did not reach Datadog. See its log group /aws/lambda/${props.functionName}.`),
      monitor('throttles', `Datadog Forwarder ${props.functionName} throttles`, `sum(last_15m):sum:aws.lambda.throttles{${account},${fn}}.as_count() > 0`,
        `Lambda throttled the Datadog Forwarder ${props.functionName}: its events are retried, then kept in its failure queue. Raise its concurrency (forwarder.reservedConcurrency) or the account's quota.`),
      ...(props.queues ?? []).map((queue) =>
        monitor(queue.id, `${queue.name} holds messages`, `max(last_15m):max:aws.sqs.approximate_number_of_messages_visible{${account},queuename:${queue.name.toLowerCase()}} > 0`,
          `The SQS queue ${queue.name} holds ${queue.holds}: replay or drain them before SQS drops them (14 days).`),
      ),
    ];
  }
}
