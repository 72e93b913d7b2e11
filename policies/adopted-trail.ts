/**
 * What the owner of an adopted bucket and key must add to their policies, since the toolkit
 * never changes them: read grants for the other accounts' Datadog roles, and decrypt for the
 * forwarder. The bucket account's stack prints them as outputs, for review.
 */
import type { AccountPlan } from '../config/plan';
import { forwarderRoleName } from '../config/topology';
import { roleArn } from '../config/arns';
import { datadogBucketReaders, type DatadogReaderSettings, datadogKeyReaders } from './datadog-readers';
import { CLOUDTRAIL_CONTEXT_PRESENT } from './trail-key';
import type { PolicyStatement } from './types';

export interface AdoptedTrailGrants {
  bucket: PolicyStatement[];
  key: PolicyStatement[];
}

/** The grants for the adopted bucket whose forwarder `plan`'s account runs; none for any other plan. */
export function adoptedTrailGrants(plan: AccountPlan, settings: DatadogReaderSettings): AdoptedTrailGrants {
  const readerAccountIds = plan.forwarder?.adoptedBucketReaders;
  if (!readerAccountIds) return { bucket: [], key: [] };
  const { account, logs } = plan;
  const readers = {
    partition: account.partition,
    bucketName: logs.bucketName,
    s3KeyPrefix: logs.s3KeyPrefix,
    roleName: settings.roleName,
    organizationId: settings.organizationId,
    accountIds: readerAccountIds,
  };
  const crossAccount = settings.organizationId !== undefined || readerAccountIds.length > 0;
  const forwarder = plan.forwarder?.function;
  return {
    bucket: crossAccount ? datadogBucketReaders(readers) : [],
    key: logs.key
      ? [
          ...(crossAccount ? datadogKeyReaders(readers) : []),
          ...(forwarder
            ? [
                {
                  Sid: 'AllowDatadogForwarderToDecryptLogs',
                  Effect: 'Allow' as const,
                  Principal: { AWS: roleArn(account.partition, account.accountId, forwarderRoleName(forwarder.functionName)) },
                  Action: 'kms:Decrypt',
                  Resource: '*',
                  Condition: CLOUDTRAIL_CONTEXT_PRESENT,
                },
              ]
            : []),
        ]
      : [],
  };
}
