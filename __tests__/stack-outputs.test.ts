/**
 * Every stack states its interface as Terraform outputs (stacks/stack-outputs.ts): the outputs
 * of the roles it plays, each a reference to the resource it names, or the ARN the config
 * gives for what the stack adopts. That real Terraform plans them is in
 * __tests__/processes/stack-outputs.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STACK_OUTPUTS } from '../stacks/stack-outputs';
import { synthExample } from './support/examples';
import { type Synthesized, type TfJson } from './support/synth';

const ROOT = path.join(__dirname, '..');
const EXAMPLES = ['single-account', 'multi-account', 'organization', 'existing-trail', 'control-tower'] as const;
const synthesized = new Map<string, Synthesized>(EXAMPLES.map((name) => [name, synthExample(`${name}.json`)]));
const stackOf = (example: (typeof EXAMPLES)[number], stack: string) => (synthesized.get(example) as Synthesized).stacks[stack];

/** The stack's interface outputs (not the printed grants, `...-statements-to-add`), name to value. */
function interfaceOutputs(stack: TfJson): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(stack.output ?? {})
      .filter(([name]) => name in STACK_OUTPUTS)
      .map(([name, output]) => [name, output.value]),
  );
}

const CREATED_ROLE = {
  datadog_role_arn: '${aws_iam_role.datadog-role_role.arn}',
  datadog_role_name: '${aws_iam_role.datadog-role_role.name}',
};
const CREATED_FORWARDER = {
  forwarder_function_arn: '${aws_lambda_function.forwarder_function.arn}',
  forwarder_function_name: '${aws_lambda_function.forwarder_function.function_name}',
  forwarder_role_arn: '${aws_iam_role.forwarder_role.arn}',
  forwarder_failure_queue_arn: '${aws_sqs_queue.forwarder_failure-queue.arn}',
  forwarder_failed_event_queue_arn: '${aws_sqs_queue.forwarder_failed-event-queue.arn}',
};
const CREATED_ARCHIVE = {
  trail_bucket_name: '${aws_s3_bucket.trail-bucket_logs_bucket.bucket}',
  trail_bucket_arn: '${aws_s3_bucket.trail-bucket_logs_bucket.arn}',
  trail_key_arn: '${aws_kms_key.trail-key_key.arn}',
  access_log_bucket_name: '${aws_s3_bucket.trail-bucket_access-logs_bucket.bucket}',
};
const TRAIL = { trail_arn: '${aws_cloudtrail.trail_trail.arn}' };
const TRAIL_LOG_GROUP = {
  trail_log_group_name: '${aws_cloudwatch_log_group.trail_log-group.name}',
  trail_log_group_arn: '${aws_cloudwatch_log_group.trail_log-group.arn}',
};

describe('a single account', () => {
  test("outputs its Datadog role, forwarder, trail, bucket and key, each a reference to the resource's attribute", () => {
    expect(interfaceOutputs(stackOf('single-account', 'prod'))).toEqual({ ...CREATED_ROLE, ...CREATED_FORWARDER, ...TRAIL, ...CREATED_ARCHIVE });
  });

  test("outputs its trail's CloudWatch Logs log group when the trail delivers to one", () => {
    expect(interfaceOutputs(stackOf('multi-account', 'prod'))).toEqual({ ...CREATED_ROLE, ...CREATED_FORWARDER, ...TRAIL, ...TRAIL_LOG_GROUP, ...CREATED_ARCHIVE });
  });
});

describe('an organization', () => {
  test('outputs the log archive (bucket, key) and the forwarder in the log-archive account, which has no trail', () => {
    expect(interfaceOutputs(stackOf('organization', 'log-archive'))).toEqual({ ...CREATED_ROLE, ...CREATED_FORWARDER, ...CREATED_ARCHIVE });
  });

  test("outputs the organization trail and its log group in the management account, and not the log-archive account's bucket", () => {
    expect(interfaceOutputs(stackOf('organization', 'management'))).toEqual({ ...CREATED_ROLE, ...TRAIL, ...TRAIL_LOG_GROUP });
  });

  test('outputs only the Datadog role in a member account', () => {
    expect(interfaceOutputs(stackOf('organization', 'staging'))).toEqual(CREATED_ROLE);
  });
});

describe('an adopted trail', () => {
  const ADOPTED_ROLE = { datadog_role_arn: 'arn:aws:iam::111111111111:role/DatadogIntegrationRole', datadog_role_name: 'DatadogIntegrationRole' };

  test("outputs the existing role and forwarder by the ARNs the config gives, in the bucket's account, and no trail, bucket or key", () => {
    expect(interfaceOutputs(stackOf('existing-trail', 'security'))).toEqual({
      ...ADOPTED_ROLE,
      forwarder_function_arn: 'arn:aws:lambda:us-east-1:111111111111:function:DatadogForwarder',
      forwarder_function_name: 'DatadogForwarder',
    });
  });

  test('says in the description that an output names what the stack adopts and does not create', () => {
    const outputs = stackOf('existing-trail', 'security').output ?? {};
    for (const name of ['datadog_role_arn', 'forwarder_function_arn']) expect(outputs[name].description).toMatch(/Adopted: the config names it and this stack does not create it\.$/);
    expect(stackOf('single-account', 'prod').output?.datadog_role_arn.description).not.toMatch(/Adopted/);
  });

  test("outputs the existing role of each other account, in that account's ARN", () => {
    expect(interfaceOutputs(stackOf('existing-trail', 'prod'))).toEqual({ ...ADOPTED_ROLE, datadog_role_arn: 'arn:aws:iam::222222222222:role/DatadogIntegrationRole' });
  });
});

describe('Control Tower', () => {
  test("outputs the forwarder it deploys in the log-archive account, and none of Control Tower's trail, bucket or key", () => {
    expect(interfaceOutputs(stackOf('control-tower', 'log-archive'))).toEqual({ ...CREATED_ROLE, ...CREATED_FORWARDER });
  });

  test('outputs only the Datadog role in the audit account', () => {
    expect(interfaceOutputs(stackOf('control-tower', 'audit'))).toEqual(CREATED_ROLE);
  });
});

describe('every output of every example stack', () => {
  const outputs = [...synthesized.values()].flatMap(({ stacks }) => Object.values(stacks).flatMap((stack) => Object.entries(stack.output ?? {})));

  test('has a description and is not sensitive: none of them is a secret', () => {
    expect(outputs.filter(([, output]) => !output.description || output.sensitive !== undefined).map(([name]) => name)).toEqual([]);
  });

  test('of the interface is named in snake_case', () => {
    expect(Object.keys(STACK_OUTPUTS).filter((name) => !/^[a-z][a-z0-9_]*$/.test(name))).toEqual([]);
  });

  test('of the interface appears in some example, so each is specified above', () => {
    const seen = new Set(outputs.map(([name]) => name));
    expect(Object.keys(STACK_OUTPUTS).filter((name) => !seen.has(name))).toEqual([]);
  });
});

test('docs/DEPLOYING.md lists every output of the interface, and no other, under "Stack outputs"', () => {
  const docs = readFileSync(path.join(ROOT, 'docs', 'DEPLOYING.md'), 'utf8');
  const section = docs.slice(docs.indexOf('\n## Stack outputs\n'), docs.indexOf('\n## ', docs.indexOf('\n## Stack outputs\n') + 1));
  const listed = [...section.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((match) => match[1]);
  expect(listed.sort()).toEqual(Object.keys(STACK_OUTPUTS).sort());
});
