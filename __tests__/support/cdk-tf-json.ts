/**
 * cdk.tf.json as cdktf writes it, reduced to what each behaviour of `npm run diff` needs: a
 * Datadog-like account stack and the IAM policy documents in it. For diff.test.ts (the comparison
 * and its report, in process) and processes/diff.test.ts (the command end to end).
 */
import type { TerraformJson } from '../../commands/diff/compare';

/** An IAM policy statement, as written in a policy document. */
export type Statement = Record<string, unknown>;

/** A policy document of `statements`, as the JSON text Terraform is given. */
export const policy = (...statements: Statement[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** An Allow of `actions` on the account's CloudTrail logs, with `extra` fields over it. */
export const readLogs = (actions: string[], extra: Statement = {}): Statement => ({
  Sid: 'ReadLogs',
  Effect: 'Allow',
  Action: actions,
  Resource: 'arn:aws:s3:::acme-logs/AWSLogs/111111111111/*',
  ...extra,
});

/** The bucket policy statement that denies requests without TLS. */
export const denyInsecure: Statement = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: 'arn:aws:s3:::acme-logs/*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

/** What differs between two versions of the account stack. */
export interface StackOptions {
  actions?: string[];
  bucketId?: string;
  bucketName?: string;
  roleId?: string;
  roleName?: string;
  externalId?: string;
}

/** A Datadog-like account stack: a bucket with a policy, a role with an inline policy. */
export function accountStack({
  actions = ['s3:GetObject'],
  bucketId = 'trail-bucket_logs_bucket',
  bucketName = 'acme-logs',
  roleId = 'datadog-role_role',
  roleName = 'DatadogIntegrationRole',
  externalId,
}: StackOptions = {}): TerraformJson {
  const meta = (id: string) => ({ '//': { metadata: { path: `prod/${id}`, uniqueId: id } } });
  return {
    '//': { metadata: { backend: 'local', stackName: 'prod', version: '0.21.0' } },
    provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }] },
    resource: {
      aws_s3_bucket: { [bucketId]: { ...meta(bucketId), bucket: bucketName, lifecycle: { prevent_destroy: true } } },
      aws_s3_bucket_policy: {
        'trail-bucket_logs_policy': { bucket: `\${aws_s3_bucket.${bucketId}.id}`, policy: policy(denyInsecure) },
      },
      aws_iam_role: {
        [roleId]: {
          ...meta(roleId),
          name: roleName,
          assume_role_policy: policy({
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::464622532012:root' },
            Action: 'sts:AssumeRole',
            ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
          }),
        },
      },
      aws_iam_role_policy: {
        'datadog-role_cloudtrail-policy': { name: 'cloudtrail', role: `\${aws_iam_role.${roleId}.name}`, policy: policy(readLogs(actions)) },
      },
    },
  };
}
