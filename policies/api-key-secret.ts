/**
 * The Datadog API key secret, read by a forwarder: the decrypt condition its role and a key
 * policy share, and what the owner of a secret in another account adds, since the toolkit
 * never changes it (the stack prints the statements).
 */
import type { Partition } from '../config/regions';
import type { ApiKeySecret } from '../config/resolve';
import { roleArn } from '../config/arns';
import type { Conditions, PolicyStatement } from './types';

/**
 * Decrypt only through Secrets Manager in the secret's region, for this one secret, whose ARN
 * Secrets Manager puts in the encryption context
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context).
 */
export function apiKeySecretDecryptCondition(secretArn: string): Conditions {
  const [, , , region] = secretArn.split(':');
  return { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn } };
}

export interface ApiKeySecretGrants {
  /** For the secret's resource policy. */
  secret: PolicyStatement[];
  /** For the key policy of the secret's customer managed key. */
  key: PolicyStatement[];
}

/**
 * Cross-account access to a secret needs both a resource policy on the secret and the key's
 * policy to allow the reader, besides the reader's own IAM policy
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html);
 * the forwarder's role needs kms:Decrypt only (GetSecretValue decrypts). None for a secret of
 * the forwarder's own account.
 */
export function apiKeySecretGrants(partition: Partition, forwarderAccountId: string, forwarderRoleName: string, secret: ApiKeySecret): ApiKeySecretGrants {
  const [, , , , secretAccountId] = secret.arn.split(':');
  if (secretAccountId === forwarderAccountId) return { secret: [], key: [] };
  const reader = { AWS: roleArn(partition, forwarderAccountId, forwarderRoleName) };
  return {
    secret: [{ Sid: 'AllowDatadogForwarderToReadTheApiKey', Effect: 'Allow', Principal: reader, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    key: secret.kmsKeyArn
      ? [{ Sid: 'AllowDatadogForwarderToDecryptTheApiKey', Effect: 'Allow', Principal: reader, Action: 'kms:Decrypt', Resource: '*', Condition: apiKeySecretDecryptCondition(secret.arn) }]
      : [],
  };
}
