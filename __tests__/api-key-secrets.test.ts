/**
 * Each forwarder reads the Datadog API key from a secret it can reach: in its own region (no
 * Datadog Forwarder release reads another), and from another account only through the
 * secret's resource policy and its customer managed key, whose statements the stack prints.
 * Replayed on the multi-account example: sandbox owns the shared secret, staging (another
 * account, same region) reads it across accounts, prod (another region) has its own.
 */
import * as path from 'node:path';
import { type PolicyDocument, simulate } from './support/simulate';
import { parsePolicy, synthFile, type TfJson } from './support/synth';

const { stacks } = synthFile(path.join(__dirname, '..', 'examples', 'multi-account.json'));
const SHARED_SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:datadog-api-key-AbCdEf';
const SHARED_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/2a6f3c1e-7b9d-4e8a-9c0f-5d1b3e7a9c2f';
const STAGING_FORWARDER_ROLE = 'arn:aws:iam::222222222222:role/DatadogForwarder-role';

type Outputs = Record<string, { value: string; description: string }>;
const outputs = (stack: TfJson): Outputs => (stack as TfJson & { output?: Outputs }).output ?? {};
const secretOf = (stack: TfJson) =>
  (Object.values(stack.resource.aws_lambda_function)[0] as { environment: { variables: Record<string, string> } }).environment.variables.DD_API_KEY_SECRET_ARN;
const statements = (value: string): PolicyDocument => ({ Version: '2012-10-17', Statement: JSON.parse(value) });
const forwarderPolicy = parsePolicy(stacks.staging.resource.aws_iam_role_policy.forwarder_policy.policy) as PolicyDocument;

describe('API key secrets of the multi-account example', () => {
  test("gives every forwarder a secret in its own region, prod's its own", () => {
    expect(Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, secretOf(stack).split(':')[3]]))).toEqual({ sandbox: 'eu-west-1', staging: 'eu-west-1', prod: 'us-east-1' });
    expect(secretOf(stacks.prod)).toBe('arn:aws:secretsmanager:us-east-1:333333333333:secret:datadog-api-key-GhIjKl');
  });

  test('prints the statements the owner of a secret of another account adds, in that stack only', () => {
    const printing = Object.entries(stacks).filter(([, stack]) => 'api-key-secret-policy-statements-to-add' in outputs(stack)).map(([name]) => name);
    expect(printing).toEqual(['staging']);
    expect(outputs(stacks.staging)['api-key-secret-key-policy-statements-to-add'].description).toContain(SHARED_KEY);
  });

  describe('staging reading the sandbox secret across accounts', () => {
    const secretPolicy = statements(outputs(stacks.staging)['api-key-secret-policy-statements-to-add'].value);
    const keyStatements = statements(outputs(stacks.staging)['api-key-secret-key-policy-statements-to-add'].value);
    // The key policy of the secret's owner: its default statement plus what the stack printed.
    const keyPolicy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }, ...keyStatements.Statement],
    };
    const getSecret = (resourcePolicy?: PolicyDocument) =>
      simulate({ principal: STAGING_FORWARDER_ROLE, action: 'secretsmanager:GetSecretValue', resource: SHARED_SECRET, identityPolicies: [forwarderPolicy], resourcePolicy });
    const decrypt = (context: Record<string, string>) =>
      simulate({ principal: STAGING_FORWARDER_ROLE, action: 'kms:Decrypt', resource: SHARED_KEY, identityPolicies: [forwarderPolicy], resourcePolicy: keyPolicy, context });

    test('may read the secret once its owner adds the printed statement', async () => {
      expect(await getSecret(secretPolicy)).toBe('Allowed');
    });

    test('may not read it without that statement', async () => {
      expect(await getSecret()).not.toBe('Allowed');
    });

    test('may decrypt it through Secrets Manager once the key policy has the printed statement', async () => {
      expect(await decrypt({ 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': SHARED_SECRET })).toBe('Allowed');
    });

    test('may not decrypt with the key outside Secrets Manager or for another secret', async () => {
      expect(await decrypt({ 'kms:EncryptionContext:SecretARN': SHARED_SECRET })).not.toBe('Allowed');
      expect(await decrypt({ 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': `${SHARED_SECRET}x` })).not.toBe('Allowed');
    });
  });
});
