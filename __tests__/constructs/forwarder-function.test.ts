import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, LocalBackend } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ResolvedForwarder } from '../../config/resolve';
import { FORWARDER_POLICY_NAME, ForwarderFunction, type ForwarderFunctionProps } from '../../stacks/forwarder-function';
import { ReadableAddressStack } from '../../stacks/readable-stack';
import { SECRET_ARN, tempDir } from '../support/configs';
import { synthScope } from '../support/construct';
import { addresses, parsePolicy, resourcesOfType, type TfJson } from '../support/synth';


const ACCOUNT = '111111111111';
const BUCKET = `acme-cloudtrail-${ACCOUNT}`;
const PLACEHOLDER = path.join(__dirname, '..', '..', 'stacks', 'assets', 'forwarder-placeholder.zip');

/** The resolved defaults of config/schema.json. */
const FORWARDER: ResolvedForwarder = {
  functionName: 'DatadogForwarder',
  layerVersion: 110,
  runtime: 'python3.14',
  storeFailedEvents: true,
  retryIntervalHours: 1,
  memorySize: 1024,
  timeout: 120,
  logRetentionDays: 90,
  logLevel: 'WARN',
  alarms: { enabled: true },
};

function functionProps(overrides: Partial<ForwarderFunctionProps> = {}): ForwarderFunctionProps {
  return {
    forwarder: FORWARDER,
    partition: 'aws',
    region: 'us-east-1',
    accountId: ACCOUNT,
    site: 'datadoghq.eu',
    apiKeySecretArn: SECRET_ARN,
    bucketName: BUCKET,
    logPrefixes: [`AWSLogs/${ACCOUNT}`],
    keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
    ...overrides,
  };
}

function synthFunction(overrides: Partial<ForwarderFunctionProps> = {}): TfJson {
  return synthScope((stack) => new ForwarderFunction(stack, 'forwarder', functionProps(overrides)));
}

const theFunction = (stack: TfJson) => stack.resource.aws_lambda_function['forwarder_function'];

/** Names of the entries of a zip archive, read from its local file headers. */
function zipEntries(zip: Buffer): string[] {
  const names: string[] = [];
  for (let offset = 0; zip.readUInt32LE(offset) === 0x04034b50; ) {
    const compressedSize = zip.readUInt32LE(offset + 18);
    const nameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    names.push(zip.toString('utf8', offset + 30, offset + 30 + nameLength));
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return names;
}

describe('ForwarderFunction', () => {
  test('runs the forwarder handler on arm64 with the configured runtime, memory and timeout', () => {
    expect(theFunction(synthFunction())).toMatchObject({
      function_name: 'DatadogForwarder',
      handler: 'lambda_function.lambda_handler',
      architectures: ['arm64'],
      runtime: 'python3.14',
      memory_size: 1024,
      timeout: 120,
    });
  });

  test('reserves no concurrency by default, which would fail in accounts with a low concurrency quota', () => {
    expect(theFunction(synthFunction())).not.toHaveProperty('reserved_concurrent_executions');
  });

  test('reserves the concurrency the config sets', () => {
    expect(theFunction(synthFunction({ forwarder: { ...FORWARDER, reservedConcurrency: 20 } })).reserved_concurrent_executions).toBe(20);
  });

  test('sends the events of failed invocations to an encrypted queue that keeps them for 14 days', () => {
    const stack = synthFunction();

    expect(stack.resource.aws_sqs_queue['forwarder_failure-queue']).toEqual({
      name: 'DatadogForwarder-failed-invocations',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    });
    expect(resourcesOfType(stack, 'aws_lambda_function_event_invoke_config')).toEqual([
      {
        function_name: '${aws_lambda_function.forwarder_function.function_name}',
        destination_config: { on_failure: { destination: '${aws_sqs_queue.forwarder_failure-queue.arn}' } },
        depends_on: ['aws_iam_role_policy.forwarder_policy'],
      },
    ]);
  });

  test('stores what it fails to send in an encrypted queue of its own, kept 14 days, each message hidden while a retry sends it', () => {
    expect(synthFunction().resource.aws_sqs_queue['forwarder_failed-event-queue']).toEqual({
      name: 'DatadogForwarder-failed-events',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
      visibility_timeout_seconds: 120,
    });
  });

  test('turns on Datadog\'s failed-event store, in that queue', () => {
    expect(theFunction(synthFunction()).environment).toMatchObject({ variables: {
      DD_STORE_FAILED_EVENTS: 'true',
      DD_SQS_QUEUE_URL: '${aws_sqs_queue.forwarder_failed-event-queue.url}',
    } });
  });

  test('retries the stored events every retryIntervalHours', () => {
    const stack = synthFunction({ forwarder: { ...FORWARDER, retryIntervalHours: 6 } });

    expect(stack.resource.aws_scheduler_schedule['forwarder_retry-schedule_schedule']).toMatchObject({
      schedule_expression: 'rate(6 hours)',
      target: { arn: '${aws_lambda_function.forwarder_function.arn}', input: '{"retry": true}' },
    });
  });

  test('stores nothing and schedules no retry with storeFailedEvents off', () => {
    const stack = synthFunction({ forwarder: { ...FORWARDER, storeFailedEvents: false } });

    expect(Object.keys(stack.resource.aws_sqs_queue)).toEqual(['forwarder_failure-queue']);
    expect(stack.resource.aws_scheduler_schedule).toBeUndefined();
    for (const variable of ['DD_STORE_FAILED_EVENTS', 'DD_SQS_QUEUE_URL']) {
      expect(theFunction(stack).environment).toEqual({ variables: expect.not.objectContaining({ [variable]: expect.anything() }) });
    }
  });

  test('sets exactly the Datadog environment variables, the API key only by its secret ARN', () => {
    expect(theFunction(synthFunction({ forwarder: { ...FORWARDER, storeFailedEvents: false } })).environment).toEqual({
      variables: {
        DD_API_KEY_SECRET_ARN: SECRET_ARN,
        DD_SITE: 'datadoghq.eu',
        DD_LOG_LEVEL: 'WARN',
        DD_FETCH_LAMBDA_TAGS: 'false',
        DD_TRACE_ENABLED: 'false',
        DD_ENHANCED_METRICS: 'false',
        EXCLUDE_AT_MATCH: '"digestPublicKeyFingerprint":',
      },
    });
  });

  test('adds DD_TAGS when tags are configured', () => {
    const stack = synthFunction({ forwarder: { ...FORWARDER, ddTags: 'env:prod,team:platform' } });

    expect(theFunction(stack).environment).toEqual({ variables: expect.objectContaining({ DD_TAGS: 'env:prod,team:platform' }) });
  });

  test("runs the code of Datadog's Datadog-Forwarder layer in the function's region", () => {
    expect(theFunction(synthFunction({ region: 'eu-west-1' })).layers).toEqual([
      'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Forwarder:110',
    ]);
  });

  test("uses the layer of Datadog's GovCloud publisher in aws-us-gov", () => {
    const stack = synthFunction({ partition: 'aws-us-gov', region: 'us-gov-west-1', forwarder: { ...FORWARDER, layerVersion: 80 } });

    expect(theFunction(stack).layers).toEqual(['arn:aws-us-gov:lambda:us-gov-west-1:002406178527:layer:Datadog-Forwarder:80']);
  });

  test('deploys the committed placeholder package by a relative path, with its content hash', () => {
    const fn = theFunction(synthFunction());

    expect(fn.filename).toMatch(/^assets\/forwarder_placeholder\/[0-9A-F]+\/forwarder-placeholder\.zip$/);
    expect(fn.source_code_hash).toBe(createHash('sha256').update(readFileSync(PLACEHOLDER)).digest('base64'));
  });

  test("keeps Python out of the placeholder package, where it would shadow the layer's handler", () => {
    expect(zipEntries(readFileSync(PLACEHOLDER))).toEqual(['placeholder.txt']);
  });

  test('deploys a release zip from S3, without layer or placeholder, when code is set', () => {
    const code = { s3Bucket: 'acme-artifacts', s3Key: 'aws-dd-forwarder-4.12.0.zip', s3ObjectVersion: 'v1' };
    const fn = theFunction(synthFunction({ forwarder: { ...FORWARDER, code } }));

    expect(fn).toMatchObject({ s3_bucket: 'acme-artifacts', s3_key: 'aws-dd-forwarder-4.12.0.zip', s3_object_version: 'v1' });
    expect(fn).not.toHaveProperty('layers');
    expect(fn).not.toHaveProperty('filename');
    expect(fn).not.toHaveProperty('source_code_hash');
  });

  test("creates the function's log group with the configured retention", () => {
    const stack = synthFunction({ forwarder: { ...FORWARDER, logRetentionDays: 30 } });

    expect(resourcesOfType(stack, 'aws_cloudwatch_log_group')).toEqual([{ name: '/aws/lambda/DatadogForwarder', retention_in_days: 30 }]);
  });

  test('runs as <function name>-role, which only Lambda may assume', () => {
    const stack = synthFunction();

    expect(theFunction(stack).role).toBe('${aws_iam_role.forwarder_role.arn}');
    expect(stack.resource.aws_iam_role['forwarder_role']).toMatchObject({ name: 'DatadogForwarder-role' });
    expect(parsePolicy(stack.resource.aws_iam_role['forwarder_role'].assume_role_policy).Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
  });

  test("scopes its inline role policy to the function's own log group and queues, the bucket's prefixes, the key and the secret", () => {
    const rolePolicy = synthFunction().resource.aws_iam_role_policy['forwarder_policy'];
    const resources = (parsePolicy(rolePolicy.policy).Statement as Array<{ Resource: string | string[] }>).flatMap((s) => [s.Resource].flat());

    expect(rolePolicy).toMatchObject({ name: FORWARDER_POLICY_NAME, role: '${aws_iam_role.forwarder_role.name}' });
    expect(resources.sort()).toEqual(
      [
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/DatadogForwarder:*`,
        `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
        `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
        SECRET_ARN,
        `arn:aws:sqs:us-east-1:${ACCOUNT}:DatadogForwarder-failed-invocations`,
        `arn:aws:sqs:us-east-1:${ACCOUNT}:DatadogForwarder-failed-events`,
      ].sort(),
    );
  });

  test('is created after its log group and role policy, so that its first run can log and read', () => {
    expect(theFunction(synthFunction()).depends_on).toEqual([
      'aws_cloudwatch_log_group.forwarder_log-group',
      'aws_iam_role_policy.forwarder_policy',
    ]);
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(synthFunction())).toEqual([
      'aws_cloudwatch_log_group.forwarder_log-group',
      'aws_iam_role.forwarder_retry-schedule_role',
      'aws_iam_role.forwarder_role',
      'aws_iam_role_policy.forwarder_policy',
      'aws_iam_role_policy.forwarder_retry-schedule_policy',
      'aws_lambda_function.forwarder_function',
      'aws_lambda_function_event_invoke_config.forwarder_failure-destination',
      'aws_scheduler_schedule.forwarder_retry-schedule_schedule',
      'aws_sqs_queue.forwarder_failed-event-queue',
      'aws_sqs_queue.forwarder_failure-queue',
    ]);
  });
});

describe('forwarder synthesis', () => {
  /** A full `cdktf synth` of the function: the stack's JSON and every file next to it. */
  function synthToDisk(): { outdir: string; files: Record<string, Buffer> } {
    const outdir = tempDir('ddct-forwarder-');
    const app = new App({ outdir });
    const stack = new ReadableAddressStack(app, 'test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    new ForwarderFunction(stack, 'forwarder', functionProps());
    app.synth();
    const stackDir = path.join(outdir, 'stacks', 'test');
    const files = readdirSync(stackDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(stackDir, path.join(entry.parentPath, entry.name)));
    return { outdir, files: Object.fromEntries(files.sort().map((file) => [file, readFileSync(path.join(stackDir, file))])) };
  }

  test('is byte-identical from one synth to the next, and free of machine paths', () => {
    const first = synthToDisk();
    const second = synthToDisk();

    expect(Object.keys(first.files)).toEqual([expect.stringMatching(/^assets\/forwarder_placeholder\/[0-9A-F]+\/forwarder-placeholder\.zip$/), 'cdk.tf.json']);
    expect(second.files).toEqual(first.files);
    const json = first.files['cdk.tf.json'].toString('utf8');
    expect(json).not.toContain(first.outdir);
    expect(json).not.toContain(process.cwd());
  });
});
