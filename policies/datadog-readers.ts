/**
 * Resource-policy grants that let the Datadog roles of other accounts read their own logs in
 * a shared trail bucket and decrypt them: the log-archive bucket and key of an organization,
 * or the statements a user adds to a bucket and key the toolkit adopts but does not own.
 */
import type { Partition } from '../config/regions';
import { bucketArn, logPrefix, objectsArn, roleArn } from '../config/arns';
import { CLOUDTRAIL_CONTEXT_PRESENT } from './trail-key';
import type { Conditions, PolicyStatement } from './types';

export interface DatadogReadersProps {
  partition: Partition;
  bucketName: string;
  s3KeyPrefix?: string;
  /** Name of the Datadog role in every reading account. */
  roleName: string;
  /** Readers: every account of this organization; the logs are under `AWSLogs/<o-id>/<account>/`. */
  organizationId?: string;
  /** Readers without an organization: these accounts; the logs are under `AWSLogs/<account>/`. */
  accountIds?: string[];
}

/** The settings a shared bucket's grants need beside the account's plan: the role's name, and the organization. */
export type DatadogReaderSettings = Pick<DatadogReadersProps, 'roleName' | 'organizationId'>;

/**
 * With an organization the grant is constant in size whatever the number of accounts:
 * `aws:PrincipalOrgID` admits only the organization and the `aws:PrincipalArn` pattern only
 * the Datadog role. (A bucket policy is limited to 20 KB; one principal per account would not
 * fit a large organization.) Without one, the roles are listed.
 */
function readerCondition(props: DatadogReadersProps): Conditions {
  if (props.organizationId) {
    return {
      StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
      ArnLike: { 'aws:PrincipalArn': roleArn(props.partition, '*', props.roleName) },
    };
  }
  return { ArnEquals: { 'aws:PrincipalArn': (props.accountIds ?? []).map((id) => roleArn(props.partition, id, props.roleName)) } };
}

/** Bucket policy statements: list the bucket, and read only the caller's own prefix (`${aws:PrincipalAccount}`). */
export function datadogBucketReaders(props: DatadogReadersProps): PolicyStatement[] {
  const condition = readerCondition(props);
  const ownPrefix = (...path: string[]) => objectsArn(props.partition, props.bucketName, logPrefix(props.s3KeyPrefix, ...path));
  return [
    {
      Sid: 'AWSDatadogPermissionsForCloudtrail',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetBucketLocation', 's3:ListBucket'],
      Resource: bucketArn(props.partition, props.bucketName),
      Condition: condition,
    },
    {
      Sid: 'AWSDatadogReadOwnAccountLogs',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: props.organizationId
        ? // The management account's own account-level prefix is read through the second ARN.
          [ownPrefix(props.organizationId, '${aws:PrincipalAccount}'), ownPrefix('${aws:PrincipalAccount}')]
        : [ownPrefix('${aws:PrincipalAccount}')],
      Condition: condition,
    },
  ];
}

/** Key policy statement: the same roles decrypt CloudTrail log files only. */
export function datadogKeyReaders(props: DatadogReadersProps): PolicyStatement[] {
  return [
    {
      Sid: 'AllowDatadogRolesToDecryptLogs',
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ...readerCondition(props), ...CLOUDTRAIL_CONTEXT_PRESENT },
    },
  ];
}
