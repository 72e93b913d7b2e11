import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { Partition } from '../config/regions';
import type { ResolvedForwarder } from '../config/resolve';
import { forwarderFailedEventQueueName, forwarderFailureQueueName, forwarderRoleName } from '../config/topology';
import { forwarderLayerArn, logGroupArn, queueArn } from '../config/arns';
import { forwarderPolicy, forwarderTrustPolicy } from '../policies/forwarder';
import { ForwarderRetrySchedule } from './forwarder-retry-schedule';
import { policyJson } from './policy-json';

/**
 * The function's own package when its code comes from Datadog's layer: one text file, no
 * Python. Lambda puts /var/task (the package) before the layer's /opt/python on the Python
 * path, so a lambda_function.py here would shadow the forwarder's
 * (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html). Committed rather than
 * zipped at synth: the hashicorp/archive provider is not available offline, and a fixed file
 * keeps filename and source_code_hash identical on every machine.
 */
const PLACEHOLDER_PACKAGE = path.join(__dirname, 'assets', 'forwarder-placeholder.zip');

/** Inline policy name of the execution role. */
export const FORWARDER_POLICY_NAME = 'DatadogForwarder';

export interface ForwarderFunctionProps {
  /** The forwarder's settings, defaults filled in (config/resolve.ts). */
  readonly forwarder: ResolvedForwarder;
  /** Partition of the function's account. */
  readonly partition: Partition;
  /** Region of the function, which must be the trail bucket's (S3 triggers cannot cross regions). */
  readonly region: string;
  /** Account of the function, which must be the trail bucket's (S3 triggers cannot cross accounts). */
  readonly accountId: string;
  /** DD_SITE: the Datadog site the forwarder sends to. */
  readonly site: string;
  /** DD_API_KEY_SECRET_ARN: the secret the forwarder reads the Datadog API key from. */
  readonly apiKeySecretArn: string;
  /**
   * The customer managed key the secret is encrypted with.
   * @default Secrets Manager's own key (aws/secretsmanager), which needs no grant
   */
  readonly apiKeySecretKmsKeyArn?: string;
  /** The trail bucket the forwarder reads. */
  readonly bucketName: string;
  /** Key prefixes (without trailing slash) of the bucket whose objects the forwarder may read. */
  readonly logPrefixes: string[];
  /**
   * ARN of the trail key the log files are encrypted with (may be a Terraform token).
   * @default no kms:Decrypt grant, for a trail without KMS
   */
  readonly keyArn?: string;
}

/**
 * Drops CloudTrail digest files, which a trigger on `AWSLogs/<o-id>/` or on an adopted bucket
 * cannot leave out (S3 prefix filters take no wildcard). The forwarder matches its CloudTrail
 * key pattern on digests too, finds no `Records`, and sends each line of the file as a log
 * (steps/handlers/s3_handler.py, `_extract_other_logs`, forwarder 5.1.1); a digest is one line
 * of JSON, and EXCLUDE_AT_MATCH is searched in that line (forwarder.py `_forward_logs`, with
 * logs/datadog_matcher.py) in https://github.com/DataDog/datadog-serverless-functions. Only
 * digests have this field (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html);
 * in a log record serialized to JSON its quotes would be escaped.
 */
const DIGEST_EXCLUSION = '"digestPublicKeyFingerprint":';

/** SQS's longest retention: two weeks to notice and replay failed invocations and failed sends. */
const FAILURE_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * The Datadog Forwarder Lambda function, as Datadog's CloudFormation template deploys it
 * (https://github.com/DataDog/datadog-serverless-functions/blob/master/aws/logs_monitoring/template.yaml):
 * the published Datadog-Forwarder layer with a placeholder package, or a release zip from S3;
 * with its own log group, a least-privilege execution role, a queue that keeps the
 * invocations it failed, and (storeFailedEvents) a queue where it keeps what Datadog's intake
 * refused, retried on a schedule.
 */
export class ForwarderFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** Where Lambda sends the S3 events of invocations that failed or throttled past their retries. */
  readonly failureQueue: SqsQueue;
  /** Where the forwarder stores the events it failed to send to Datadog (DD_SQS_QUEUE_URL), if it stores them. */
  readonly failedEventQueue?: SqsQueue;
  /** The schedule that makes it retry them. */
  readonly retrySchedule?: ForwarderRetrySchedule;

  constructor(scope: Construct, id: string, props: ForwarderFunctionProps) {
    super(scope, id);
    const { forwarder } = props;
    const logGroupName = `/aws/lambda/${forwarder.functionName}`;

    // Created here with a retention: otherwise Lambda creates it on the first invocation,
    // unmanaged and never expiring (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html).
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: logGroupName,
      retentionInDays: forwarder.logRetentionDays,
    });
    // S3 invokes the forwarder asynchronously: Lambda retries a failed or throttled event and
    // then discards it, unless an on-failure destination keeps it
    // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    this.failureQueue = new SqsQueue(this, 'failure-queue', {
      name: forwarderFailureQueueName(forwarder.functionName),
      // SSE-SQS: encrypted at rest with no key policy for Lambda to satisfy.
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: FAILURE_RETENTION_SECONDS,
    });
    // Datadog's template stores in a queue the user names (DdSqsQueueUrl) and creates none.
    this.failedEventQueue = !forwarder.storeFailedEvents
      ? undefined
      : new SqsQueue(this, 'failed-event-queue', {
        name: forwarderFailedEventQueueName(forwarder.functionName),
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: FAILURE_RETENTION_SECONDS,
        // retry/sqs_storage.py receives with the queue's visibility timeout and deletes each
        // message once sent, later in the same invocation: the message must stay hidden that
        // long, or it is received and sent twice (SQS's default is 30 s).
        visibilityTimeoutSeconds: forwarder.timeout,
      });
    this.role = new IamRole(this, 'role', {
      // Named, not generated: the trail key's policy names this role before it exists.
      name: forwarderRoleName(forwarder.functionName),
      description: `Execution role of the Datadog Forwarder ${forwarder.functionName} (datadog-cloudtrail)`,
      assumeRolePolicy: policyJson(forwarderTrustPolicy()),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      name: FORWARDER_POLICY_NAME,
      role: this.role.name,
      policy: policyJson(
        forwarderPolicy({
          partition: props.partition,
          logGroupArn: logGroupArn(props.partition, props.region, props.accountId, logGroupName),
          bucketName: props.bucketName,
          logPrefixes: props.logPrefixes,
          keyArn: props.keyArn,
          apiKeySecretArn: props.apiKeySecretArn,
          apiKeySecretKmsKeyArn: props.apiKeySecretKmsKeyArn,
          failureQueueArn: queueArn(props.partition, props.region, props.accountId, forwarderFailureQueueName(forwarder.functionName)),
          failedEventQueueArn: forwarder.storeFailedEvents
            ? queueArn(props.partition, props.region, props.accountId, forwarderFailedEventQueueName(forwarder.functionName))
            : undefined,
        }),
      ),
    });

    this.function = new LambdaFunction(this, 'function', {
      functionName: forwarder.functionName,
      description: 'Datadog Forwarder: ships CloudTrail log files to Datadog (datadog-cloudtrail)',
      role: this.role.arn,
      handler: 'lambda_function.lambda_handler',
      runtime: forwarder.runtime,
      // Datadog has not supported x86_64 for the forwarder since 4.1.0 (template.yaml above).
      architectures: ['arm64'],
      memorySize: forwarder.memorySize,
      timeout: forwarder.timeout,
      reservedConcurrentExecutions: forwarder.reservedConcurrency,
      environment: {
        variables: {
          // Never the key itself (CKV_AWS_45): the forwarder reads it from the secret.
          DD_API_KEY_SECRET_ARN: props.apiKeySecretArn,
          DD_SITE: props.site,
          DD_LOG_LEVEL: forwarder.logLevel,
          // Off, so the role needs no tag:GetResources on "*".
          DD_FETCH_LAMBDA_TAGS: 'false',
          DD_TRACE_ENABLED: 'false',
          DD_ENHANCED_METRICS: 'false',
          EXCLUDE_AT_MATCH: DIGEST_EXCLUSION,
          ...(forwarder.ddTags ? { DD_TAGS: forwarder.ddTags } : {}),
          // Keep what fails to send, in the queue (settings.py and retry/__init__.py at
          // aws-dd-forwarder-5.4.11: with DD_SQS_QUEUE_URL the store is SQS, not S3).
          ...(this.failedEventQueue ? { DD_STORE_FAILED_EVENTS: 'true', DD_SQS_QUEUE_URL: this.failedEventQueue.url } : {}),
        },
      },
      ...(forwarder.code
        ? { s3Bucket: forwarder.code.s3Bucket, s3Key: forwarder.code.s3Key, s3ObjectVersion: forwarder.code.s3ObjectVersion }
        : this.layerCode(props)),
      // Its first invocation can then log and read at once.
      dependsOn: [this.logGroup, policy],
    });
    new LambdaFunctionEventInvokeConfig(this, 'failure-destination', {
      functionName: this.function.functionName,
      destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
      // Lambda checks the role's permission on the destination when it is set.
      dependsOn: [policy],
    });
    if (this.failedEventQueue) {
      this.retrySchedule = new ForwarderRetrySchedule(this, 'retry-schedule', {
        functionArn: this.function.arn,
        functionName: forwarder.functionName,
        partition: props.partition,
        region: props.region,
        accountId: props.accountId,
        intervalHours: forwarder.retryIntervalHours,
      });
    }
  }

  private layerCode(props: ForwarderFunctionProps) {
    const placeholder = new TerraformAsset(this, 'placeholder', { path: PLACEHOLDER_PACKAGE, type: AssetType.FILE });
    return {
      layers: [forwarderLayerArn(props.partition, props.region, props.forwarder.layerVersion)],
      filename: placeholder.path,
      sourceCodeHash: createHash('sha256').update(readFileSync(PLACEHOLDER_PACKAGE)).digest('base64'),
    };
  }
}
