/**
 * What the owner of an adopted bucket and key must add to their policies, since the toolkit
 * never changes them: read grants for the other accounts' Datadog roles, and decrypt for the
 * forwarder. The bucket account's stack prints them as outputs, for review.
 */
import type { ResolvedConfig } from '../config/resolve';
import { forwarderRoleName } from '../config/topology';
import { roleArn } from '../config/arns';
import { datadogBucketReaders, datadogKeyReaders } from './datadog-readers';
import { CLOUDTRAIL_CONTEXT_PRESENT } from './trail-key';
import type { PolicyStatement } from './types';

export interface AdoptedTrailGrants {
  bucket: PolicyStatement[];
  key: PolicyStatement[];
}

export function adoptedTrailGrants(config: ResolvedConfig): AdoptedTrailGrants {
  const adopted = config.adoptedTrail;
  if (!adopted) return { bucket: [], key: [] };
  const { bucketAccount } = adopted;
  const others = config.accounts.filter((account) => account !== bucketAccount).map((account) => account.accountId);
  const readers = {
    partition: bucketAccount.partition,
    bucketName: adopted.bucketName,
    s3KeyPrefix: adopted.s3KeyPrefix,
    roleName: config.datadog.roleName,
    organizationId: config.organization?.id,
    accountIds: others,
  };
  const crossAccount = config.organization !== undefined || others.length > 0;
  const forwarder = bucketAccount.forwarder;
  return {
    bucket: crossAccount ? datadogBucketReaders(readers) : [],
    key: adopted.keyArn
      ? [
          ...(crossAccount ? datadogKeyReaders(readers) : []),
          ...(forwarder.existingArn
            ? []
            : [
                {
                  Sid: 'AllowDatadogForwarderToDecryptLogs',
                  Effect: 'Allow' as const,
                  Principal: { AWS: roleArn(bucketAccount.partition, bucketAccount.accountId, forwarderRoleName(forwarder.functionName)) },
                  Action: 'kms:Decrypt',
                  Resource: '*',
                  Condition: CLOUDTRAIL_CONTEXT_PRESENT,
                },
              ]),
        ]
      : [],
  };
}
