/**
 * The Datadog Forwarder's execution role: Datadog's template
 * (https://github.com/DataDog/datadog-serverless-functions/blob/master/aws/logs_monitoring/template.yaml)
 * grants `s3:GetObject` and `kms:Decrypt` on "*"; here each grant names the trail's bucket
 * prefixes, key and secret, and nothing else.
 */
import type { Partition } from '../config/regions';
import { decryptLogFiles, readLogObjects } from './log-readers';
import { type PolicyDocument, policyDocument, type PolicyStatement } from './types';

export function forwarderTrustPolicy(): PolicyDocument {
  return policyDocument({
    Sid: 'LambdaAssumesTheForwarderRole',
    Effect: 'Allow',
    Principal: { Service: 'lambda.amazonaws.com' },
    Action: 'sts:AssumeRole',
  });
}

export interface ForwarderPolicyProps {
  partition: Partition;
  /** ARN of the forwarder's own log group, `/aws/lambda/<function name>`. */
  logGroupArn: string;
  /** The trail bucket the forwarder reads. */
  bucketName: string;
  /** Key prefixes (without trailing slash) whose objects the forwarder may read. */
  logPrefixes: string[];
  /** ARN of the trail key (may be a Terraform token); absent when the trail does not use KMS. */
  keyArn?: string;
  /** ARN of the Secrets Manager secret holding the Datadog API key. */
  apiKeySecretArn: string;
  /** ARN of the customer managed key the secret is encrypted with; absent for Secrets Manager's default key. */
  apiKeySecretKmsKeyArn?: string;
  /** ARN of the SQS queue Lambda sends failed invocations to. */
  failureQueueArn: string;
  /** ARN of the SQS queue the forwarder stores failed sends in (DD_SQS_QUEUE_URL); absent when it stores none. */
  failedEventQueueArn?: string;
}

export function forwarderPolicy(props: ForwarderPolicyProps): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      // Instead of AWSLambdaBasicExecutionRole, whose logs:CreateLogGroup on "*" is not needed:
      // the stack creates the log group
      // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
      Sid: 'ForwarderWritesItsOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${props.logGroupArn}:*`,
    },
    readLogObjects('ForwarderReadsTrailLogs', props.partition, props.bucketName, props.logPrefixes),
  ];
  if (props.keyArn) statements.push(decryptLogFiles('ForwarderDecryptsTrailLogs', { arn: props.keyArn }));
  statements.push({
    Sid: 'ForwarderReadsTheDatadogApiKey',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: props.apiKeySecretArn,
  });
  if (props.apiKeySecretKmsKeyArn) statements.push(decryptApiKeySecret(props.apiKeySecretArn, props.apiKeySecretKmsKeyArn));
  statements.push({
    // Lambda sends an on-failure record with the function's execution role
    // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    Sid: 'ForwarderKeepsFailedInvocations',
    Effect: 'Allow',
    Action: 'sqs:SendMessage',
    Resource: props.failureQueueArn,
  });
  if (props.failedEventQueueArn) {
    statements.push({
      // Exactly the grants Datadog's template gives the forwarder on the queue it names in
      // DD_SQS_QUEUE_URL (template.yaml at aws-dd-forwarder-5.4.11, ForwarderRolePolicy0 under
      // SetDdSqsQueueUrl): retry/sqs_storage.py sends what failed, receives it on a retry,
      // deletes it once sent, and hands back (visibility 0) what another forwarder stored.
      // The queue uses SSE-SQS, so no KMS grant goes with them.
      Sid: 'ForwarderStoresAndRetriesFailedEvents',
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
      Resource: props.failedEventQueueArn,
    });
  }
  return policyDocument(...statements);
}

/**
 * GetSecretValue on a secret under a customer managed key needs kms:Decrypt on that key as
 * well (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz);
 * the conditions allow it only through Secrets Manager in the secret's region, for this one
 * secret, whose ARN Secrets Manager puts in the encryption context
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context).
 */
function decryptApiKeySecret(secretArn: string, keyArn: string): PolicyStatement {
  const [, , , region] = secretArn.split(':');
  return {
    Sid: 'ForwarderDecryptsTheDatadogApiKey',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: keyArn,
    Condition: {
      StringEquals: {
        'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
        'kms:EncryptionContext:SecretARN': secretArn,
      },
    },
  };
}
