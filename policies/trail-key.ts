/**
 * The KMS key policy of the trail key, after the AWS CloudTrail user guide
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
 */
import type { Partition } from '../config/regions';
import { accountRootArn } from '../config/arns';
import { type PolicyDocument, policyDocument, type PolicyStatement } from './types';

/** Condition that a decrypt is for a CloudTrail log file (its encryption context names a trail). */
export const CLOUDTRAIL_CONTEXT_PRESENT = { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } };

export interface TrailKeyPolicyProps {
  partition: Partition;
  /** The account that owns the key. */
  accountId: string;
  /** The trail that encrypts with the key. */
  trailArn: string;
  /** The account of that trail (the management account for an organization trail). */
  trailAccountId: string;
  /** Roles that may decrypt log files: the forwarder's and the Datadog role. */
  readerRoleArns: string[];
  /** A CloudWatch Logs log group encrypted with the key, when the trail delivers there. */
  logGroup?: { arn: string; region: string };
  /** Statements for readers in other accounts, for an organization. */
  readers?: PolicyStatement[];
}

export function trailKeyPolicy(props: TrailKeyPolicyProps): PolicyDocument {
  const sourceArn = { 'aws:SourceArn': props.trailArn };
  const statements: PolicyStatement[] = [
    enableIamPolicies(props.partition, props.accountId),
    {
      Sid: 'AllowCloudTrailToEncryptLogs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${props.partition}:cloudtrail:*:${props.trailAccountId}:trail/*`,
        },
        StringEquals: sourceArn,
      },
    },
    {
      Sid: 'AllowCloudTrailToDescribeKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: sourceArn },
    },
  ];
  if (props.readerRoleArns.length > 0) {
    statements.push({
      Sid: 'AllowLogReadersToDecrypt',
      Effect: 'Allow',
      Principal: { AWS: props.readerRoleArns },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: CLOUDTRAIL_CONTEXT_PRESENT,
    });
  }
  if (props.logGroup) statements.push(cloudWatchLogsUse(props.logGroup));
  return policyDocument(...statements, ...(props.readers ?? []));
}

export interface LogGroupKeyPolicyProps {
  partition: Partition;
  /** The account that owns the key and the log group. */
  accountId: string;
  /** The trail's log group, the key's only use. */
  logGroup: { arn: string; region: string };
}

/** The key of a trail's log group that cannot share the trail key (config/plan.ts, `ownKeyAlias`). */
export function logGroupKeyPolicy(props: LogGroupKeyPolicyProps): PolicyDocument {
  return policyDocument(enableIamPolicies(props.partition, props.accountId), cloudWatchLogsUse(props.logGroup));
}

/**
 * The default key policy: without it IAM policies cannot grant use of the key and the account
 * could lock itself out of it (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
function enableIamPolicies(partition: Partition, accountId: string): PolicyStatement {
  return { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: accountRootArn(partition, accountId) }, Action: 'kms:*', Resource: '*' };
}

/** CloudWatch Logs encrypts and decrypts one log group with the key (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). */
function cloudWatchLogsUse(logGroup: { arn: string; region: string }): PolicyStatement {
  return {
    Sid: 'AllowCloudWatchLogsForTheTrailLogGroup',
    Effect: 'Allow',
    Principal: { Service: `logs.${logGroup.region}.amazonaws.com` },
    Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    Resource: '*',
    Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroup.arn } },
  };
}
