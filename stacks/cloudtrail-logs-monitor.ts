import { Construct } from 'constructs';
import { Monitor } from '@cdktf/provider-datadog/lib/monitor';

export interface CloudTrailLogsMonitorProps {
  /** The account whose forwarder ships the logs, for the monitors' names. */
  readonly accountName: string;
  /** The trail bucket the forwarder reads. */
  readonly bucketName: string;
  /** How many AWS accounts write their CloudTrail logs to the bucket: 1 per account, every account of the config when shared. */
  readonly sourceAccounts: number;
  /**
   * The forwarder, named in the messages: its function (or ARN) and, for one the toolkit
   * deploys, the queue that keeps its failed invocations.
   */
  readonly forwarder: { readonly name: string; readonly failureQueue?: string };
  /** Alert when no CloudTrail log of an account has arrived for this many minutes. */
  readonly noLogsMinutes: number;
  /**
   * Notification handles added to the messages (`@slack-…`).
   * @default none: the alerts only show in Datadog
   */
  readonly notify?: string[];
}

/**
 * How long Datadog keeps a group that stopped reporting in a log monitor: 72 hours at most
 * (`group_retention_duration`: "The minimum value is one hour, and the maximum value is 72
 * hours", https://registry.terraform.io/providers/DataDog/datadog/3.82.0/docs/resources/monitor).
 */
const GROUP_RETENTION = '72h';

/**
 * Two log monitors on the CloudTrail logs of one bucket, so that no account goes silent unseen:
 *
 * - per account: a multi-alert grouped by `@recipientAccountId`, the account that received each
 *   event ("Represents the account ID that received this event",
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
 *   which the forwarder keeps from each record (steps/handlers/s3_handler.py,
 *   `_extract_cloudtrail_logs`, in DataDog/datadog-serverless-functions at aws-dd-forwarder-5.4.11;
 *   it adds no `aws_account` tag to S3 logs). A group whose count falls to zero alerts, naming
 *   the account: a log monitor evaluates an empty window of a count query as 0
 *   (`on_missing_data`, same page). But a group Datadog has never seen does not exist, and a
 *   silent group is dropped after GROUP_RETENTION ("(no groups found)",
 *   https://docs.datadoghq.com/monitors/guide/troubleshooting-no-data/).
 * - for the bucket: the number of distinct `@recipientAccountId` over the window, below
 *   `sourceAccounts`: this covers an account that never delivered, or whose group was dropped.
 *   `rollup(rollup_method[, measure])` in the log monitor query
 *   (https://docs.datadoghq.com/service_management/workflows/actions_catalog/monitor_createmonitor/).
 *
 * The forwarder tags a CloudTrail file's records `source:cloudtrail` (steps/common.py,
 * CLOUDTRAIL_REGEX) and puts their bucket in `aws.s3.bucket`; bucket names are global. A digest
 * file a forwarder ships as text has no `recipientAccountId`, so it counts in no group.
 */
export class CloudTrailLogsMonitor extends Construct {
  /** The per-account multi-alert. */
  readonly monitor: Monitor;
  /** The bucket's count of accounts. */
  readonly accountsMonitor: Monitor;

  constructor(scope: Construct, id: string, props: CloudTrailLogsMonitorProps) {
    super(scope, id);
    const window = props.noLogsMinutes % 60 === 0 ? `${props.noLogsMinutes / 60}h` : `${props.noLogsMinutes}m`;
    const logs = `logs("source:cloudtrail @aws.s3.bucket:${props.bucketName}").index("*")`;
    const check = `Check the forwarder ${props.forwarder.name} (errors, throttles${props.forwarder.failureQueue ? `, the SQS queue ${props.forwarder.failureQueue}` : ''}), what triggers it from the bucket, and that the trail is logging.`;
    const common = { type: 'log alert', tags: ['source:cloudtrail', 'managed-by:datadog-cloudtrail'], includeTags: true, requireFullWindow: false };
    this.monitor = new Monitor(this, 'monitor', {
      ...common,
      name: `No CloudTrail logs from an account in ${props.bucketName} (${props.accountName})`,
      // logs(query).index(index).rollup("count").by(attribute).last(window): the multi-alert form
      // of the provider's own log-monitor tests (datadog/tests/resource_datadog_monitor_test.go).
      query: `${logs}.rollup("count").by("@recipientAccountId").last("${window}") < 1`,
      monitorThresholds: { critical: '1' },
      groupRetentionDuration: GROUP_RETENTION,
      message: [
        // include_tags puts the group, the account, in the title of each notification.
        `No CloudTrail log of the account in the title has reached Datadog from s3://${props.bucketName} in the last ${window}.`,
        check,
        ...(props.notify ?? []),
      ].join('\n'),
    });
    this.accountsMonitor = new Monitor(this, 'accounts-monitor', {
      ...common,
      name: `Fewer than ${props.sourceAccounts} accounts' CloudTrail logs in ${props.bucketName} (${props.accountName})`,
      query: `${logs}.rollup("cardinality", "@recipientAccountId").last("${window}") < ${props.sourceAccounts}`,
      monitorThresholds: { critical: String(props.sourceAccounts) },
      message: [
        `CloudTrail logs of fewer than ${props.sourceAccounts} AWS accounts reached Datadog from s3://${props.bucketName} in the last ${window}: an account never delivered, or stopped more than ${GROUP_RETENTION} ago.`,
        'Find it: group `source:cloudtrail @aws.s3.bucket:' + props.bucketName + '` by @recipientAccountId in the Log Explorer and compare with the accounts of the config.',
        check,
        ...(props.notify ?? []),
      ].join('\n'),
    });
  }
}
