import { ForwarderMonitors, type ForwarderMonitorsProps } from '../../stacks/forwarder-monitors';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, type TfJson } from '../support/synth';

const PROPS: ForwarderMonitorsProps = {
  accountName: 'prod',
  accountId: '111111111111',
  functionName: 'DatadogForwarder',
  queues: [{ id: 'failure-queue', name: 'DatadogForwarder-failed-invocations', holds: 'failed invocations' }],
};
const at = (suffix: string) => `datadog_monitor.forwarder-monitors_${suffix}`;
const synthMonitors = (props: Partial<ForwarderMonitorsProps> = {}): TfJson => synthScope((scope) => new ForwarderMonitors(scope, 'forwarder-monitors', { ...PROPS, ...props }));
const monitor = (suffix: string, props: Partial<ForwarderMonitorsProps> = {}) => resourceAt(synthMonitors(props), at(suffix)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

describe('ForwarderMonitors', () => {
  test("alerts on any error or throttle of the account's forwarder, by the tags Datadog gives Lambda metrics (lower case)", () => {
    expect(monitor('errors').query).toBe('sum(last_15m):sum:aws.lambda.errors{aws_account:111111111111,functionname:datadogforwarder}.as_count() > 0');
    expect(monitor('throttles').query).toBe('sum(last_15m):sum:aws.lambda.throttles{aws_account:111111111111,functionname:datadogforwarder}.as_count() > 0');
  });

  test('alerts when a failure queue holds a message', () => {
    expect(monitor('failure-queue').query).toBe(
      'max(last_15m):max:aws.sqs.approximate_number_of_messages_visible{aws_account:111111111111,queuename:datadogforwarder-failed-invocations} > 0',
    );
  });

  test('waits the 15 minutes Datadog recommends for crawled AWS metrics', () => {
    for (const suffix of ['errors', 'throttles', 'failure-queue']) expect(monitor(suffix)).toMatchObject({ type: 'query alert', evaluation_delay: 900, monitor_thresholds: { critical: '0' } });
  });

  test('watches only the function of a forwarder whose queues it does not know', () => {
    expect(addresses(synthMonitors({ queues: undefined }))).toEqual([at('errors'), at('throttles')]);
  });

  test('notifies the handles it is given', () => {
    expect(monitor('errors', { notify: ['@slack-secops'] }).message.split('\n').slice(-1)).toEqual(['@slack-secops']);
  });
});
