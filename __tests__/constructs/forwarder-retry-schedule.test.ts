import { ForwarderRetrySchedule, rateExpression, RETRY_POLICY_NAME } from '../../stacks/forwarder-retry-schedule';
import { synthScope } from '../support/construct';
import { addresses, parsePolicy } from '../support/synth';

const ACCOUNT = '111111111111';

describe('ForwarderRetrySchedule', () => {
  const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:DatadogForwarder`;
  const stack = synthScope(
    (scope) =>
      new ForwarderRetrySchedule(scope, 'retry', { functionArn: FUNCTION_ARN, functionName: 'DatadogForwarder', partition: 'aws', region: 'eu-west-1', accountId: ACCOUNT, intervalHours: 1 }),
  );
  const schedule = stack.resource.aws_scheduler_schedule['retry_schedule'];

  test('invokes the forwarder with {"retry": true}, the only event on which it re-sends what it stored, every hour', () => {
    expect(schedule).toMatchObject({
      name: 'DatadogForwarder-retry',
      group_name: 'default',
      schedule_expression: 'rate(1 hour)',
      flexible_time_window: { mode: 'OFF' },
      target: { arn: FUNCTION_ARN, role_arn: '${aws_iam_role.retry_role.arn}', input: '{"retry": true}' },
    });
  });

  test('writes a rate in the singular for one, in the plural above', () => {
    expect([1, 6, 24].map(rateExpression)).toEqual(['rate(1 hour)', 'rate(6 hours)', 'rate(24 hours)']);
  });

  test("runs through a role only EventBridge Scheduler may assume, for this account's schedule group", () => {
    expect(parsePolicy(stack.resource.aws_iam_role['retry_role'].assume_role_policy).Statement).toEqual([
      {
        Sid: 'SchedulerAssumesTheRetryRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:scheduler:eu-west-1:${ACCOUNT}:schedule-group/default` } },
      },
    ]);
  });

  test('whose only right is to invoke the forwarder', () => {
    const policy = stack.resource.aws_iam_role_policy['retry_policy'];

    expect(policy.name).toBe(RETRY_POLICY_NAME);
    expect(parsePolicy(policy.policy).Statement).toEqual([
      { Sid: 'SchedulerInvokesTheForwarder', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FUNCTION_ARN },
    ]);
  });

  test('is created once that right is granted', () => {
    expect(schedule.depends_on).toEqual(['aws_iam_role_policy.retry_policy']);
  });

  test('names the role by a prefix that fits IAM\'s 64 characters for the longest function name', () => {
    const longest = synthScope(
      (scope) => new ForwarderRetrySchedule(scope, 'retry', { functionArn: FUNCTION_ARN, functionName: 'F'.repeat(59), partition: 'aws', region: 'eu-west-1', accountId: ACCOUNT, intervalHours: 1 }),
    );
    // Terraform appends 26 characters to a name_prefix.
    expect(String(longest.resource.aws_iam_role['retry_role'].name_prefix).length + 26).toBeLessThanOrEqual(64);
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(stack)).toEqual(['aws_iam_role.retry_role', 'aws_iam_role_policy.retry_policy', 'aws_scheduler_schedule.retry_schedule']);
  });
});
