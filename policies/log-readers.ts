/** The two grants every reader of CloudTrail log files needs: the objects, and their key. */
import type { Partition } from '../config/regions';
import type { LogKey } from '../config/topology';
import { objectsArn } from '../config/arns';
import { CLOUDTRAIL_CONTEXT_PRESENT } from './trail-key';
import type { PolicyStatement } from './types';


export function readLogObjects(sid: string, partition: Partition, bucketName: string, prefixes: string[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: prefixes.map((prefix) => objectsArn(partition, bucketName, prefix)),
  };
}

/**
 * S3 decrypts SSE-KMS objects with the reader's own permission; the condition limits it to
 * CloudTrail log files
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
 */
export function decryptLogFiles(sid: string, key: LogKey): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: key.alias ? key.alias.keysArn : key.arn,
    Condition: {
      ...(key.alias ? { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': key.alias.name } } : {}),
      ...CLOUDTRAIL_CONTEXT_PRESENT,
    },
  };
}
