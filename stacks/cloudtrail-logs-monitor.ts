import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';

export interface CloudTrailLogsMonitorProps {
  /** The account whose forwarder ships the logs, for the monitor's name. */
  readonly accountName: string;
  /** The trail bucket the forwarder reads. */
  readonly bucketName: string;
  /**
   * The forwarder, named in the message: its function (or ARN) and, for one the toolkit deploys,
   * the queue that keeps its failed invocations.
   */
  readonly forwarder: { readonly name: string; readonly failureQueue?: string };
  /** Alert when no CloudTrail log from the bucket has arrived for this many minutes. */
  readonly noLogsMinutes: number;
  /**
   * Notification handles added to the message (`@slack-…`).
   * @default none: the alert only shows in Datadog
   */
  readonly notify?: string[];
}

/**
 * A log monitor that alerts when CloudTrail logs from one bucket stop reaching Datadog: the
 * count of logs over the window falls below one. A log monitor evaluates an empty window of a
 * count query as 0 (`on_missing_data`, https://registry.terraform.io/providers/DataDog/datadog/3.82.0/docs/resources/monitor),
 * so silence triggers it without `notify_no_data`. The forwarder tags a log file whose key
 * holds `_CloudTrail_` with source `cloudtrail` (steps/enums.py) and puts the bucket of every
 * record it ships in `aws.s3.bucket` (steps/handlers/s3_handler.py; both in
 * DataDog/datadog-serverless-functions aws/logs_monitoring at aws-dd-forwarder-5.1.1), and
 * bucket names are global: the query selects exactly this forwarder's CloudTrail logs. Filtering
 * on an attribute needs no facet (https://docs.datadoghq.com/logs/explorer/facets/).
 */
export class CloudTrailLogsMonitor extends Construct {
  readonly monitor: Monitor;

  constructor(scope: Construct, id: string, props: CloudTrailLogsMonitorProps) {
    super(scope, id);
    const window = props.noLogsMinutes % 60 === 0 ? `${props.noLogsMinutes / 60}h` : `${props.noLogsMinutes}m`;
    this.monitor = new Monitor(this, 'monitor', {
      name: `No CloudTrail logs from ${props.bucketName} (${props.accountName})`,
      type: 'log alert',
      // logs(query).index(index).rollup("count").last(window) operator threshold: the query form
      // of the provider's own log-monitor tests (datadog/tests/resource_datadog_monitor_test.go).
      query: `logs("source:cloudtrail @aws.s3.bucket:${props.bucketName}").index("*").rollup("count").last("${window}") < 1`,
      monitorThresholds: { critical: '1' },
      message: [
        `No CloudTrail log from s3://${props.bucketName} has reached Datadog in the last ${window}.`,
        `Check the forwarder ${props.forwarder.name} (errors, throttles${props.forwarder.failureQueue ? `, the SQS queue ${props.forwarder.failureQueue}` : ''}), what triggers it from the bucket, and that the trail is logging.`,
        ...(props.notify ?? []),
      ].join('\n'),
      tags: ['source:cloudtrail', 'managed-by:datadog-cloudtrail'],
      includeTags: true,
      requireFullWindow: false,
    });
  }
}
