import { CloudTrailLogsMonitor, type CloudTrailLogsMonitorProps } from '../../stacks/cloudtrail-logs-monitor';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, type TfJson } from '../support/synth';

const PROPS: CloudTrailLogsMonitorProps = {
  accountName: 'prod',
  bucketName: 'acme-cloudtrail-logs-111111111111',
  forwarder: { name: 'DatadogForwarder', failureQueue: 'DatadogForwarder-failed-invocations' },
  noLogsMinutes: 90,
};
const ADDRESS = 'datadog_monitor.cloudtrail-logs-monitor_monitor';

const synthMonitor = (props: Partial<CloudTrailLogsMonitorProps> = {}): TfJson =>
  synthScope((scope) => new CloudTrailLogsMonitor(scope, 'cloudtrail-logs-monitor', { ...PROPS, ...props }));
const monitor = (props: Partial<CloudTrailLogsMonitorProps> = {}) => resourceAt(synthMonitor(props), ADDRESS) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('CloudTrailLogsMonitor', () => {
  test("alerts when the count of CloudTrail logs from the bucket falls below one over the window", () => {
    expect(monitor()).toMatchObject({
      type: 'log alert',
      query: 'logs("source:cloudtrail @aws.s3.bucket:acme-cloudtrail-logs-111111111111").index("*").rollup("count").last("90m") < 1',
      monitor_thresholds: { critical: '1' },
    });
  });

  test('writes a window of whole hours in hours', () => {
    expect(monitor({ noLogsMinutes: 120 }).query).toContain('.last("2h") < 1');
  });

  test('is named for the bucket and the account', () => {
    expect(monitor().name).toBe('No CloudTrail logs from acme-cloudtrail-logs-111111111111 (prod)');
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
  });

  test('notifies no one by default', () => {
    expect(monitor().message).not.toContain('@');
  });

  test('is tagged as managed by the toolkit', () => {
    expect(monitor().tags).toEqual(['source:cloudtrail', 'managed-by:datadog-cloudtrail']);
  });

  test('keeps its Terraform address', () => {
    expect(addresses(synthMonitor())).toEqual([ADDRESS]);
  });
});
