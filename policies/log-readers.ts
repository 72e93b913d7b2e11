/** The two grants every reader of CloudTrail log files needs: the objects, and their key. */
import type { Partition } from '../config/regions';
import { objectsArn } from './arns';
import { CLOUDTRAIL_CONTEXT_PRESENT } from './trail-key';
import type { PolicyStatement } from './types';

/**
 * The key of the log files: by ARN, or, for the toolkit's own key, as any key of the bucket's
 * account and region that carries the trail key's alias. The alias lets roles in other
 * accounts name the key without a reference to the key's stack
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases).
 */
export type LogKey = { arn: string } | { keysArn: string; alias: string };

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
    Resource: 'arn' in key ? key.arn : key.keysArn,
    Condition: {
      ...('alias' in key ? { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': key.alias } } : {}),
      ...CLOUDTRAIL_CONTEXT_PRESENT,
    },
  };
}
