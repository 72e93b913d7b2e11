import { CloudTrailLogsMonitor, type CloudTrailLogsMonitorProps } from '../../stacks/cloudtrail-logs-monitor';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, type TfJson } from '../support/synth';

const PROPS: CloudTrailLogsMonitorProps = {
  accountName: 'prod',
  bucketName: 'acme-cloudtrail-logs-111111111111',
  sourceAccounts: 5,
  forwarder: { name: 'DatadogForwarder', failureQueue: 'DatadogForwarder-failed-invocations' },
  noLogsMinutes: 90,
};
const ADDRESS = 'datadog_monitor.cloudtrail-logs-monitor_monitor';
const ACCOUNTS = 'datadog_monitor.cloudtrail-logs-monitor_accounts-monitor';

const synthMonitor = (props: Partial<CloudTrailLogsMonitorProps> = {}): TfJson =>
  synthScope((scope) => new CloudTrailLogsMonitor(scope, 'cloudtrail-logs-monitor', { ...PROPS, ...props }));
const monitor = (props: Partial<CloudTrailLogsMonitorProps> = {}, address = ADDRESS) => resourceAt(synthMonitor(props), address) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

describe('CloudTrailLogsMonitor', () => {
  test('alerts for each account whose count of CloudTrail logs from the bucket falls below one over the window', () => {
    expect(monitor()).toMatchObject({
      type: 'log alert',
      query: 'logs("source:cloudtrail @aws.s3.bucket:acme-cloudtrail-logs-111111111111").index("*").rollup("count").by("@recipientAccountId").last("90m") < 1',
      monitor_thresholds: { critical: '1' },
      include_tags: true,
    });
  });

  test('keeps the group of a silent account as long as Datadog allows, 72 hours', () => {
    expect(monitor().group_retention_duration).toBe('72h');
  });

  test('alerts when fewer accounts than write to the bucket delivered over the window, which covers an account that never did', () => {
    expect(monitor({}, ACCOUNTS)).toMatchObject({
      type: 'log alert',
      query: 'logs("source:cloudtrail @aws.s3.bucket:acme-cloudtrail-logs-111111111111").index("*").rollup("cardinality", "@recipientAccountId").last("90m") < 5',
      monitor_thresholds: { critical: '5' },
    });
    expect(monitor({}, ACCOUNTS).message).toContain('never delivered, or stopped more than 72h ago');
  });

  test('writes a window of whole hours in hours', () => {
    expect(monitor({ noLogsMinutes: 120 }).query).toContain('.last("2h") < 1');
  });

  test('is named for the bucket and the account that runs the forwarder', () => {
    expect(monitor().name).toBe('No CloudTrail logs from an account in acme-cloudtrail-logs-111111111111 (prod)');
    expect(monitor({}, ACCOUNTS).name).toBe("Fewer than 5 accounts' CloudTrail logs in acme-cloudtrail-logs-111111111111 (prod)");
  });

  test("names the forwarder and its failure queue in the message", () => {
    expect(monitor().message).toContain('Check the forwarder DatadogForwarder (errors, throttles, the SQS queue DatadogForwarder-failed-invocations)');
  });

  test('names no queue for a forwarder without one', () => {
    expect(monitor({ forwarder: { name: 'arn:aws:lambda:us-east-1:111111111111:function:MyForwarder' } }).message).toContain(
      'Check the forwarder arn:aws:lambda:us-east-1:111111111111:function:MyForwarder (errors, throttles),',
    );
  });

  test('notifies the handles it is given, each on a line of its own', () => {
    expect(monitor({ notify: ['@slack-secops', '@pagerduty-cloud'] }).message.split('\n').slice(-2)).toEqual(['@slack-secops', '@pagerduty-cloud']);
    expect(monitor({ notify: ['@slack-secops'] }, ACCOUNTS).message.split('\n').slice(-1)).toEqual(['@slack-secops']);
  });

  test('notifies no one by default', () => {
    expect(monitor().message).not.toContain('@');
  });

  test('is tagged as managed by the toolkit', () => {
    expect(monitor().tags).toEqual(['source:cloudtrail', 'managed-by:datadog-cloudtrail']);
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(synthMonitor())).toEqual([ACCOUNTS, ADDRESS]);
  });
});
