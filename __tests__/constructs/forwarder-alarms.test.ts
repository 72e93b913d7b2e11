import { ForwarderAlarms, type ForwarderAlarmsProps } from '../../stacks/forwarder-alarms';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, type TfJson } from '../support/synth';

const PROPS: ForwarderAlarmsProps = {
  functionName: 'DatadogForwarder',
  queues: [{ id: 'failure-queue', name: 'DatadogForwarder-failed-invocations', holds: 'failed invocations' }],
};
const QUEUE = 'aws_cloudwatch_metric_alarm.forwarder-alarms_failure-queue';
const ERRORS = 'aws_cloudwatch_metric_alarm.forwarder-alarms_errors';
const THROTTLES = 'aws_cloudwatch_metric_alarm.forwarder-alarms_throttles';

const synthAlarms = (props: Partial<ForwarderAlarmsProps> = {}): TfJson => synthScope((scope) => new ForwarderAlarms(scope, 'forwarder-alarms', { ...PROPS, ...props }));
const alarm = (address: string, props: Partial<ForwarderAlarmsProps> = {}) => resourceAt(synthAlarms(props), address) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

describe('ForwarderAlarms', () => {
  test('alarms as soon as a failure queue holds a message', () => {
    expect(alarm(QUEUE)).toMatchObject({
      alarm_name: 'DatadogForwarder-failed-invocations-not-empty',
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'DatadogForwarder-failed-invocations' },
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      period: 300,
      evaluation_periods: 1,
    });
  });

  test.each([
    [ERRORS, 'Errors'],
    [THROTTLES, 'Throttles'],
  ])('%s alarms on any %s of the function in five minutes', (address, metric) => {
    expect(alarm(address)).toMatchObject({ namespace: 'AWS/Lambda', metric_name: metric, dimensions: { FunctionName: 'DatadogForwarder' }, statistic: 'Sum', threshold: 0 });
  });

  test('counts a metric that is not reported as no failure: an idle queue or function reports none', () => {
    for (const address of [QUEUE, ERRORS, THROTTLES]) expect(alarm(address).treat_missing_data).toBe('notBreaching');
  });

  test('notifies the topic it is given when an alarm fires and when it recovers', () => {
    const topic = 'arn:aws:sns:us-east-1:111111111111:alerts';
    expect(alarm(ERRORS, { topicArn: topic })).toMatchObject({ alarm_actions: [topic], ok_actions: [topic] });
  });

  test('notifies nothing without a topic', () => {
    expect(alarm(ERRORS)).not.toHaveProperty('alarm_actions');
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(synthAlarms())).toEqual([ERRORS, QUEUE, THROTTLES]);
  });
});
