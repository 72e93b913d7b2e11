/**
 * Bucket policies for the trail bucket and its access-log bucket.
 * CloudTrail statements follow the AWS CloudTrail user guide
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html),
 * with `aws:SourceArn` pinned to exactly our trail so no other trail can use the bucket.
 */
import type { Partition } from '../config/regions';
import { bucketArn, objectsArn } from '../config/arns';
import { type PolicyDocument, policyDocument, type PolicyStatement } from './types';

const CLOUDTRAIL = { Service: 'cloudtrail.amazonaws.com' };

/** CIS 2.1.1 / S3.5: refuse every request that is not over TLS, from anyone. */
export function denyInsecureTransport(partition: Partition, bucketName: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn(partition, bucketName), objectsArn(partition, bucketName)],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export interface TrailBucketPolicyProps {
  partition: Partition;
  bucketName: string;
  /** The trail that writes here; every CloudTrail grant is conditioned on it. */
  trailArn: string;
  /** Prefixes under which CloudTrail writes an account's logs (`[prefix/]AWSLogs/<account>`). */
  accountLogPrefixes: string[];
  /** An organization trail's prefix (`[prefix/]AWSLogs/<o-id>`), when the trail is one. */
  organizationLogPrefix?: string;
  /** Statements granting read access to other accounts' roles, for an organization. */
  readers?: PolicyStatement[];
}

export function trailBucketPolicy(props: TrailBucketPolicyProps): PolicyDocument {
  const sourceArn = { 'aws:SourceArn': props.trailArn };
  const write = (sid: string, prefixes: string[]): PolicyStatement => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: CLOUDTRAIL,
    Action: 's3:PutObject',
    Resource: prefixes.map((prefix) => objectsArn(props.partition, props.bucketName, prefix)),
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...sourceArn } },
  });
  const statements: PolicyStatement[] = [
    denyInsecureTransport(props.partition, props.bucketName),
    {
      Sid: 'AWSCloudTrailAclCheck20150319',
      Effect: 'Allow',
      Principal: CLOUDTRAIL,
      Action: 's3:GetBucketAcl',
      Resource: bucketArn(props.partition, props.bucketName),
      Condition: { StringEquals: sourceArn },
    },
    write('AWSCloudTrailWrite20150319', props.accountLogPrefixes),
  ];
  if (props.organizationLogPrefix) statements.push(write('AWSCloudTrailOrganizationWrite20150319', [props.organizationLogPrefix]));
  return policyDocument(...statements, ...(props.readers ?? []));
}

export interface AccessLogBucketPolicyProps {
  partition: Partition;
  bucketName: string;
  /** The bucket whose access is logged here. */
  sourceBucketName: string;
  /** The account that owns the source bucket. */
  sourceAccountId: string;
}

/**
 * S3 server access logging writes as the `logging.s3.amazonaws.com` service; AWS recommends
 * a bucket policy grant (not ACLs) conditioned on the source bucket and account
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 */
export function accessLogBucketPolicy(props: AccessLogBucketPolicyProps): PolicyDocument {
  return policyDocument(denyInsecureTransport(props.partition, props.bucketName), {
    Sid: 'S3ServerAccessLogsPolicy',
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: objectsArn(props.partition, props.bucketName),
    Condition: {
      ArnLike: { 'aws:SourceArn': bucketArn(props.partition, props.sourceBucketName) },
      StringEquals: { 'aws:SourceAccount': props.sourceAccountId },
    },
  });
}
