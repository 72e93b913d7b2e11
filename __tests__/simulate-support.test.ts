/**
 * Specifies the test-only simulate() wrapper (support/simulate.ts) on hand-written policies,
 * one IAM situation the toolkit's policies depend on per describe block.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument as ProjectPolicyDocument } from '../policies/types';
import {
  type PolicyDocument,
  type Statement,
  simulate,
  simulateDetailed,
  simulateWebIdentity,
  SimulationInputError,
} from './support/simulate';

const LOG_ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const MEMBER_ACCOUNT = '333333333333';
const DATADOG_ACCOUNT = '464622532012';
const ORG_ID = 'o-a1b2c3d4e5';

const BUCKET = 'cloudtrail-logs';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${LOG_ACCOUNT}:trail/management-events`;
const INTEGRATION_ROLE_ARN = `arn:aws:iam::${LOG_ACCOUNT}:role/DatadogIntegrationRole`;
const KEY_ARN = `arn:aws:kms:us-east-1:${LOG_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function policy(...statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function allowIdentity(action: string, resource: string): PolicyDocument {
  return policy({ Effect: 'Allow', Action: action, Resource: resource });
}

describe('(a) an identity policy alone, same account', () => {
  const readLogs = allowIdentity('s3:GetObject', `arn:aws:s3:::${BUCKET}/AWSLogs/*`);

  it('allows a role the object its identity policy grants, without any bucket policy', async () => {
    await expect(
      simulate({
        principal: INTEGRATION_ROLE_ARN,
        action: 's3:GetObject',
        resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${LOG_ACCOUNT}/CloudTrail/log.json.gz`,
        resourceAccount: LOG_ACCOUNT,
        identityPolicies: [readLogs],
      }),
    ).resolves.toBe('Allowed');
  });

  it('implicitly denies an object outside the granted prefix', async () => {
    await expect(
      simulate({
        principal: INTEGRATION_ROLE_ARN,
        action: 's3:GetObject',
        resource: `arn:aws:s3:::${BUCKET}/other/object`,
        resourceAccount: LOG_ACCOUNT,
        identityPolicies: [readLogs],
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies an action the identity policy does not grant', async () => {
    await expect(
      simulate({
        principal: INTEGRATION_ROLE_ARN,
        action: 's3:DeleteObject',
        resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${LOG_ACCOUNT}/CloudTrail/log.json.gz`,
        resourceAccount: LOG_ACCOUNT,
        identityPolicies: [readLogs],
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });
});

describe('(b) a bucket policy granting the CloudTrail service principal', () => {
  const bucketPolicy = policy(
    {
      Sid: 'AWSCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${BUCKET}`,
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
    },
    {
      Sid: 'AWSCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${LOG_ACCOUNT}/*`,
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN },
      },
    },
  );
  const putLog = {
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${LOG_ACCOUNT}/CloudTrail/us-east-1/log.json.gz`,
    resourceAccount: LOG_ACCOUNT,
    resourcePolicy: bucketPolicy,
  };

  it('allows the trail to write a log with the bucket-owner-full-control ACL', async () => {
    await expect(
      simulate({
        ...putLog,
        context: { 'aws:SourceArn': TRAIL_ARN, 's3:x-amz-acl': 'bucket-owner-full-control' },
      }),
    ).resolves.toBe('Allowed');
  });

  it('implicitly denies a write on behalf of another trail (aws:SourceArn)', async () => {
    await expect(
      simulate({
        ...putLog,
        context: {
          'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${OTHER_ACCOUNT}:trail/foreign`,
          's3:x-amz-acl': 'bucket-owner-full-control',
        },
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies a write without the bucket-owner-full-control ACL', async () => {
    await expect(simulate({ ...putLog, context: { 'aws:SourceArn': TRAIL_ARN } })).resolves.toBe(
      'ImplicitlyDenied',
    );
  });

  it('implicitly denies a service principal the bucket policy does not name', async () => {
    await expect(
      simulate({
        ...putLog,
        principal: 'config.amazonaws.com',
        context: { 'aws:SourceArn': TRAIL_ARN, 's3:x-amz-acl': 'bucket-owner-full-control' },
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('allows the ACL check, dropping s3:x-amz-acl, which s3:GetBucketAcl requests never carry', async () => {
    const outcome = await simulateDetailed({
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:GetBucketAcl',
      resource: `arn:aws:s3:::${BUCKET}`,
      resourceAccount: LOG_ACCOUNT,
      resourcePolicy: bucketPolicy,
      context: { 'aws:SourceArn': TRAIL_ARN, 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
    expect(outcome).toMatchObject({ decision: 'Allowed', droppedContextKeys: ['s3:x-amz-acl'] });
  });

  it('refuses identity policies for a service principal', async () => {
    await expect(
      simulate({ ...putLog, identityPolicies: [allowIdentity('s3:PutObject', '*')] }),
    ).rejects.toThrow(SimulationInputError);
  });
});

describe('(c) a bucket policy denying requests without TLS', () => {
  const bucketPolicy = policy(
    {
      Sid: 'AllowIntegrationRoleRead',
      Effect: 'Allow',
      Principal: { AWS: INTEGRATION_ROLE_ARN },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  );
  const read = {
    principal: INTEGRATION_ROLE_ARN,
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${LOG_ACCOUNT}/log.json.gz`,
    resourceAccount: LOG_ACCOUNT,
    resourcePolicy: bucketPolicy,
  };

  it('allows a granted read over TLS', async () => {
    await expect(simulate({ ...read, context: { 'aws:SecureTransport': 'true' } })).resolves.toBe('Allowed');
  });

  it('explicitly denies the same read over plain HTTP', async () => {
    await expect(simulate({ ...read, context: { 'aws:SecureTransport': 'false' } })).resolves.toBe(
      'ExplicitlyDenied',
    );
  });

  it('explicitly denies plain HTTP even when the identity policy allows too', async () => {
    await expect(
      simulate({
        ...read,
        identityPolicies: [allowIdentity('s3:*', '*')],
        context: { 'aws:SecureTransport': 'false' },
      }),
    ).resolves.toBe('ExplicitlyDenied');
  });
});

describe('(d) a role trust policy trusting the Datadog account with an external ID', () => {
  const EXTERNAL_ID = '0123456789abcdef0123456789abcdef';
  // Typed as the toolkit's own PolicyDocument: the wrapper accepts what policies/ builds.
  const trustPolicy: ProjectPolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DATADOG_ACCOUNT}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
      },
    ],
  };
  // Stands for Datadog's side, which we do not control: a role of Datadog's account allowed
  // to assume roles (an account root ARN is not a realistic caller, see the last test).
  const datadogCaller = {
    principal: `arn:aws:iam::${DATADOG_ACCOUNT}:role/DatadogCaller`,
    identityPolicies: [allowIdentity('sts:AssumeRole', '*')],
  };
  const assume = { action: 'sts:AssumeRole', resource: INTEGRATION_ROLE_ARN, resourcePolicy: trustPolicy };

  it('allows a Datadog-account principal presenting the external ID', async () => {
    await expect(
      simulate({ ...assume, ...datadogCaller, context: { 'sts:ExternalId': EXTERNAL_ID } }),
    ).resolves.toBe('Allowed');
  });

  it('implicitly denies a wrong external ID', async () => {
    await expect(
      simulate({ ...assume, ...datadogCaller, context: { 'sts:ExternalId': 'another-customers-id' } }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies a request without an external ID', async () => {
    await expect(simulate({ ...assume, ...datadogCaller })).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies a principal of another account presenting the external ID', async () => {
    await expect(
      simulate({
        ...assume,
        principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/Impostor`,
        identityPolicies: [allowIdentity('sts:AssumeRole', '*')],
        context: { 'sts:ExternalId': EXTERNAL_ID },
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies a Datadog-account principal whose own policies do not allow sts:AssumeRole', async () => {
    await expect(
      simulate({
        ...assume,
        principal: datadogCaller.principal,
        context: { 'sts:ExternalId': EXTERNAL_ID },
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('known library gap: evaluates the account root ARN as a caller like any principal of its account', async () => {
    // Real AWS refuses sts:AssumeRole with root-user credentials; the library does not know.
    await expect(
      simulate({
        ...assume,
        principal: `arn:aws:iam::${DATADOG_ACCOUNT}:root`,
        identityPolicies: [allowIdentity('sts:AssumeRole', '*')],
        context: { 'sts:ExternalId': EXTERNAL_ID },
      }),
    ).resolves.toBe('Allowed');
  });
});

describe('(e) a role of one account reading a bucket of another', () => {
  const readerRole = `arn:aws:iam::${LOG_ACCOUNT}:role/Reader`;
  const object = `arn:aws:s3:::${BUCKET}/AWSLogs/${LOG_ACCOUNT}/log.json.gz`;
  const readerIdentity = allowIdentity('s3:GetObject', `arn:aws:s3:::${BUCKET}/*`);
  const bucketPolicyFor = (principal: string): PolicyDocument =>
    policy({
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    });
  const read = { principal: readerRole, action: 's3:GetObject', resource: object, resourceAccount: OTHER_ACCOUNT };

  it('allows the read when both its identity policy and the bucket policy grant it', async () => {
    await expect(
      simulate({ ...read, identityPolicies: [readerIdentity], resourcePolicy: bucketPolicyFor(readerRole) }),
    ).resolves.toBe('Allowed');
  });

  it('allows the read when the bucket policy trusts its whole account and its identity policy grants it', async () => {
    await expect(
      simulate({
        ...read,
        identityPolicies: [readerIdentity],
        resourcePolicy: bucketPolicyFor(`arn:aws:iam::${LOG_ACCOUNT}:root`),
      }),
    ).resolves.toBe('Allowed');
  });

  it('implicitly denies the read granted by its identity policy alone', async () => {
    await expect(simulate({ ...read, identityPolicies: [readerIdentity] })).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies the read granted by the bucket policy alone', async () => {
    await expect(simulate({ ...read, resourcePolicy: bucketPolicyFor(readerRole) })).resolves.toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('(f) a KMS key policy requiring the CloudTrail encryption context', () => {
  const CONTEXT_KEY = 'kms:EncryptionContext:aws:cloudtrail:arn';
  const keyPolicy = policy(
    {
      Sid: 'AllowCloudTrailEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': TRAIL_ARN },
        StringLike: { [CONTEXT_KEY]: `arn:aws:cloudtrail:*:${LOG_ACCOUNT}:trail/*` },
      },
    },
    {
      Sid: 'AllowIntegrationRoleDecryptLogs',
      Effect: 'Allow',
      Principal: { AWS: INTEGRATION_ROLE_ARN },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { Null: { [CONTEXT_KEY]: 'false' } },
    },
  );
  const decrypt = { principal: INTEGRATION_ROLE_ARN, action: 'kms:Decrypt', resource: KEY_ARN, resourcePolicy: keyPolicy };

  it('allows the named role to decrypt a CloudTrail log (encryption context present)', async () => {
    await expect(simulate({ ...decrypt, context: { [CONTEXT_KEY]: TRAIL_ARN } })).resolves.toBe('Allowed');
  });

  it('implicitly denies the named role decrypting anything without the CloudTrail encryption context', async () => {
    await expect(simulate(decrypt)).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies a role of the key account the key policy does not name, whatever its identity policy', async () => {
    await expect(
      simulate({
        ...decrypt,
        principal: `arn:aws:iam::${LOG_ACCOUNT}:role/Other`,
        identityPolicies: [allowIdentity('kms:Decrypt', '*')],
        context: { [CONTEXT_KEY]: TRAIL_ARN },
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('allows CloudTrail to generate a data key for a trail of the key account', async () => {
    await expect(
      simulate({
        principal: 'cloudtrail.amazonaws.com',
        action: 'kms:GenerateDataKey',
        resource: KEY_ARN,
        resourcePolicy: keyPolicy,
        context: { 'aws:SourceArn': TRAIL_ARN, [CONTEXT_KEY]: TRAIL_ARN },
      }),
    ).resolves.toBe('Allowed');
  });

  it('implicitly denies CloudTrail a data key for a trail of another account', async () => {
    const foreignTrail = `arn:aws:cloudtrail:us-east-1:${OTHER_ACCOUNT}:trail/foreign`;
    await expect(
      simulate({
        principal: 'cloudtrail.amazonaws.com',
        action: 'kms:GenerateDataKey',
        resource: KEY_ARN,
        resourcePolicy: keyPolicy,
        context: { 'aws:SourceArn': TRAIL_ARN, [CONTEXT_KEY]: foreignTrail },
      }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('known library gap: runSimulation drops kms:EncryptionContext:<key>, so the wrapper re-evaluates with runUnsafeSimulation', async () => {
    const direct = await runSimulation(
      {
        request: {
          principal: INTEGRATION_ROLE_ARN,
          action: 'kms:Decrypt',
          resource: { resource: KEY_ARN, accountId: LOG_ACCOUNT },
          contextVariables: { [CONTEXT_KEY]: TRAIL_ARN },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: keyPolicy,
      },
      {},
    );
    expect(direct).toMatchObject({
      resultType: 'single',
      overallResult: 'ImplicitlyDenied',
      result: { ignoredContextKeys: [CONTEXT_KEY] },
    });
    // When this fails, the library has fixed the gap: drop the runUnsafeSimulation fallback.
    await expect(simulateDetailed({ ...decrypt, context: { [CONTEXT_KEY]: TRAIL_ARN } })).resolves.toMatchObject({
      decision: 'Allowed',
      evaluatedBy: 'runUnsafeSimulation',
      droppedContextKeys: [],
    });
  });
});

describe('(g) a bucket policy scoped by ${aws:PrincipalAccount} and aws:PrincipalOrgID', () => {
  const bucketPolicy = policy({
    Sid: 'OrgMembersReadTheirOwnLogs',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG_ID}/\${aws:PrincipalAccount}/*`,
    Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
  });
  const memberRole = `arn:aws:iam::${MEMBER_ACCOUNT}:role/LogReader`;
  const logOf = (account: string) => `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG_ID}/${account}/CloudTrail/log.json.gz`;
  const read = {
    principal: memberRole,
    action: 's3:GetObject',
    resourceAccount: LOG_ACCOUNT,
    identityPolicies: [allowIdentity('s3:GetObject', '*')],
    resourcePolicy: bucketPolicy,
  };

  it("allows an organization member to read its own account's logs", async () => {
    await expect(
      simulate({ ...read, resource: logOf(MEMBER_ACCOUNT), context: { 'aws:PrincipalOrgID': ORG_ID } }),
    ).resolves.toBe('Allowed');
  });

  it("implicitly denies an organization member another account's logs", async () => {
    await expect(
      simulate({ ...read, resource: logOf(OTHER_ACCOUNT), context: { 'aws:PrincipalOrgID': ORG_ID } }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies a principal of another organization', async () => {
    await expect(
      simulate({ ...read, resource: logOf(MEMBER_ACCOUNT), context: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } }),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it('implicitly denies a principal outside any organization', async () => {
    await expect(simulate({ ...read, resource: logOf(MEMBER_ACCOUNT) })).resolves.toBe('ImplicitlyDenied');
  });

  it('fills aws:PrincipalAccount and aws:PrincipalArn in from the principal ARN', async () => {
    const outcome = await simulateDetailed({
      ...read,
      resource: logOf(MEMBER_ACCOUNT),
      context: { 'aws:PrincipalOrgID': ORG_ID },
    });
    expect(outcome.context).toMatchObject({ 'aws:PrincipalAccount': MEMBER_ACCOUNT, 'aws:PrincipalArn': memberRole });
  });
});

describe('(h) a role trust policy trusting an OIDC identity provider on its aud and sub claims', () => {
  const provider = `arn:aws:iam::${LOG_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const role = `arn:aws:iam::${LOG_ACCOUNT}:role/ci`;
  const trustPolicy = policy({
    Effect: 'Allow',
    Principal: { Federated: provider },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' } },
  });
  const claims = { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' };

  it('allows a token whose claims match', async () => {
    expect(await simulateWebIdentity({ provider, role, claims, trustPolicy })).toBe('Allowed');
  });

  it('denies a token with another subject', async () => {
    const other = { ...claims, 'token.actions.githubusercontent.com:sub': 'repo:acme/app:pull_request' };
    expect(await simulateWebIdentity({ provider, role, claims: other, trustPolicy })).toBe('ImplicitlyDenied');
  });

  it('denies a token through another provider', async () => {
    const elsewhere = `arn:aws:iam::${LOG_ACCOUNT}:oidc-provider/gitlab.com`;
    expect(await simulateWebIdentity({ provider: elsewhere, role, claims: { 'gitlab.com:sub': 'x' }, trustPolicy })).toBe('ImplicitlyDenied');
  });

  it('refuses a role of another account than the provider', async () => {
    await expect(simulateWebIdentity({ provider, role: `arn:aws:iam::${OTHER_ACCOUNT}:role/ci`, claims, trustPolicy })).rejects.toThrow(/of its own account only/);
  });

  it("refuses a claim that is not the provider's", async () => {
    await expect(simulateWebIdentity({ provider, role, claims: { 'aws:SourceArn': TRAIL_ARN }, trustPolicy })).rejects.toThrow(SimulationInputError);
  });
});

describe('input the wrapper refuses rather than decide on', () => {
  const base = {
    principal: INTEGRATION_ROLE_ARN,
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${BUCKET}/object`,
    resourceAccount: LOG_ACCOUNT,
  };

  it('rejects a policy the library finds invalid', async () => {
    const withPrincipal = policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' });
    await expect(simulate({ ...base, identityPolicies: [withPrincipal] })).rejects.toThrow(SimulationInputError);
  });

  it('rejects an action that does not exist', async () => {
    await expect(simulate({ ...base, action: 's3:GetObjekt' })).rejects.toThrow(SimulationInputError);
  });

  it('rejects a context key that does not exist', async () => {
    await expect(simulate({ ...base, context: { 'aws:SourceArm': TRAIL_ARN } })).rejects.toThrow(
      SimulationInputError,
    );
  });

  it('requires resourceAccount for an S3 ARN, which names no account', async () => {
    const { resourceAccount: _omitted, ...withoutAccount } = base;
    await expect(simulate(withoutAccount)).rejects.toThrow(/resourceAccount is required/);
  });

  it('rejects a principal that is neither an ARN nor a service principal', async () => {
    await expect(simulate({ ...base, principal: DATADOG_ACCOUNT })).rejects.toThrow(SimulationInputError);
  });
});
