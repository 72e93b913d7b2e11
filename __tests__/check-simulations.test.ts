/**
 * The policy rules of the security rule table decide as IAM does: for each, a request that the
 * rule's planted violation lets through is refused on the synthesized stack (the rule holds)
 * and allowed, as simulated by @cloud-copilot/iam-simulate, once the violation is planted (the
 * rule fires).
 */
import { checkParsedStacks } from '../rules/engine';
import { ACCOUNT, BUCKET_ARN, BUCKET_POLICY, DATADOG_POLICY, DATADOG_ROLE, EVASIONS, FORWARDER_POLICY, fullStack, KEY, PLANTS, STRANGER } from './support/planted-violations';
import { type PolicyDocument, simulate, type SimulationRequest } from './support/simulate';
import { parsePolicy, type TfJson } from './support/synth';

const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b3c6c3e-1c1a-4f0e-9e55-6f1d2b7c9a10`;
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/datadog-cloudtrail`;
const DATADOG_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/DatadogIntegrationRole`;
const FORWARDER_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/DatadogForwarder-role`;
const LOG_OBJECT = `${BUCKET_ARN}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/25/${ACCOUNT}_CloudTrail_us-east-1_20261125T0000Z_abc.json.gz`;
const allowAll = (action: string): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

/** A policy of the stack, with the key's Terraform reference replaced by an ARN IAM can evaluate. */
function policy(stack: TfJson, address: string, attribute = 'policy'): PolicyDocument {
  const [type, name] = [address.slice(0, address.indexOf('.')), address.slice(address.indexOf('.') + 1)];
  return parsePolicy(String(stack.resource[type][name][attribute]).split(`\${${KEY}.arn}`).join(KEY_ARN)) as PolicyDocument;
}

const CASES: Array<{ rule: string; request: string; of: (stack: TfJson) => SimulationRequest }> = [
  {
    rule: 'bucket-tls-only',
    request: 'the Datadog role reads a log object without TLS',
    of: (s) => ({
      principal: DATADOG_ROLE_ARN, action: 's3:GetObject', resource: LOG_OBJECT, resourceAccount: ACCOUNT,
      identityPolicies: [policy(s, DATADOG_POLICY)], resourcePolicy: policy(s, BUCKET_POLICY), context: { 'aws:SecureTransport': 'false' },
    }),
  },
  {
    rule: 'bucket-policy-grants',
    request: 'a role of another account reads a log object over TLS',
    of: (s) => ({
      principal: `arn:aws:iam::${STRANGER}:role/Stranger`, action: 's3:GetObject', resource: LOG_OBJECT, resourceAccount: ACCOUNT,
      identityPolicies: [allowAll('s3:GetObject')], resourcePolicy: policy(s, BUCKET_POLICY), context: { 'aws:SecureTransport': 'true' },
    }),
  },
  {
    rule: 'cloudtrail-bucket-grants',
    request: "another account's trail writes a log file",
    of: (s) => ({
      principal: 'cloudtrail.amazonaws.com', action: 's3:PutObject', resource: LOG_OBJECT, resourceAccount: ACCOUNT, resourcePolicy: policy(s, BUCKET_POLICY),
      context: { 'aws:SecureTransport': 'true', 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${STRANGER}:trail/other` },
    }),
  },
  {
    rule: 'key-policy-principals',
    request: 'a role of another account decrypts a log file',
    of: (s) => ({
      principal: `arn:aws:iam::${STRANGER}:role/Reader`, action: 'kms:Decrypt', resource: KEY_ARN, identityPolicies: [allowAll('kms:Decrypt')],
      resourcePolicy: policy(s, KEY), context: { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL_ARN },
    }),
  },
  {
    rule: 'key-cloudtrail-grants',
    request: 'the forwarder decrypts data that is no CloudTrail log file',
    of: (s) => ({ principal: FORWARDER_ROLE_ARN, action: 'kms:Decrypt', resource: KEY_ARN, identityPolicies: [policy(s, FORWARDER_POLICY)], resourcePolicy: policy(s, KEY) }),
  },
  {
    rule: 'role-trust',
    request: 'a role of another account assumes the Datadog role with the external ID',
    of: (s) => ({
      principal: `arn:aws:iam::${STRANGER}:role/Attacker`, action: 'sts:AssumeRole', resource: DATADOG_ROLE_ARN, identityPolicies: [allowAll('sts:AssumeRole')],
      resourcePolicy: policy(s, DATADOG_ROLE, 'assume_role_policy'), context: { 'sts:ExternalId': 'acb8f6b8a844443dbb726d07dcb1a870' },
    }),
  },
  {
    rule: 'role-policy-actions',
    request: 'the forwarder passes a role',
    of: (s) => ({ principal: FORWARDER_ROLE_ARN, action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/Admin`, identityPolicies: [policy(s, FORWARDER_POLICY)] }),
  },
  {
    rule: 'role-policy-resources',
    request: 'the Datadog role reads an object of another bucket',
    of: (s) => ({ principal: DATADOG_ROLE_ARN, action: 's3:GetObject', resource: 'arn:aws:s3:::acme-payroll/2026.csv', resourceAccount: ACCOUNT, identityPolicies: [policy(s, DATADOG_POLICY)] }),
  },
];

const verdict = (stack: TfJson, rule: string, config: ReturnType<typeof fullStack>['config']) =>
  checkParsedStacks({ prod: stack }, config).rules.find((r) => r.id === rule)?.status;

describe.each(CASES)('$rule', ({ rule, request, of }) => {
  test(`holds, and IAM refuses when ${request}`, async () => {
    const { stack, config } = fullStack();
    expect(verdict(stack, rule, config)).toBe('holds');
    expect(await simulate(of(stack))).not.toBe('Allowed');
  });

  test(`fires on its planted violation, which IAM lets through when ${request}`, async () => {
    const { stack, config } = fullStack();
    PLANTS.find((p) => p.rule === rule)?.plant(stack);
    expect(verdict(stack, rule, config)).toBe('failed');
    expect(await simulate(of(stack))).toBe('Allowed');
  });
});

/** Evasions of the foreign-principal rules, and the stranger's request each lets through. */
const FOREIGN_PRINCIPALS: Array<{ violation: string; rule: string; request: (stack: TfJson) => SimulationRequest }> = [
  ...["a bucket grant to another account's root", 'a bucket grant to a bare foreign account ID', 'Principal "*" narrowed only to a foreign aws:PrincipalAccount'].map((violation) => ({
    violation,
    rule: 'bucket-policy-grants',
    request: (s: TfJson) => ({
      principal: `arn:aws:iam::${STRANGER}:role/Reader`, action: 's3:GetObject', resource: LOG_OBJECT, resourceAccount: ACCOUNT,
      identityPolicies: [allowAll('s3:GetObject')], resourcePolicy: policy(s, BUCKET_POLICY), context: { 'aws:SecureTransport': 'true' },
    }),
  })),
  {
    violation: 'Principal "*" narrowed only to a foreign aws:PrincipalOrgID',
    rule: 'bucket-policy-grants',
    request: (s) => ({
      principal: `arn:aws:iam::${STRANGER}:role/Reader`, action: 's3:GetObject', resource: LOG_OBJECT, resourceAccount: ACCOUNT,
      identityPolicies: [allowAll('s3:GetObject')], resourcePolicy: policy(s, BUCKET_POLICY), context: { 'aws:SecureTransport': 'true', 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' },
    }),
  },
  {
    violation: 'Principal "*" narrowed only to a foreign organization may decrypt log files',
    rule: 'key-policy-principals',
    request: (s) => ({
      principal: `arn:aws:iam::${STRANGER}:role/Reader`, action: 'kms:Decrypt', resource: KEY_ARN, identityPolicies: [allowAll('kms:Decrypt')],
      resourcePolicy: policy(s, KEY), context: { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL_ARN, 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' },
    }),
  },
];

describe.each(FOREIGN_PRINCIPALS)('$rule, evaded by $violation', ({ violation, rule, request }) => {
  test('IAM lets a stranger in only once the evasion is planted, and the rule fires on it', async () => {
    const { stack, config } = fullStack();
    expect(await simulate(request(stack))).not.toBe('Allowed');
    EVASIONS.find((e) => e.violation === violation)?.plant(stack);
    expect(verdict(stack, rule, config)).toBe('failed');
    expect(await simulate(request(stack))).toBe('Allowed');
  });
});
