/**
 * The roles the GitHub workflows assume (policies/ci-roles.ts): who may assume each, simulated
 * with GitHub's OIDC claims and with the CI roles as callers; what each may do; and which must
 * exist in which account, for the CI roles in a tooling account and in the management account.
 * How `npm run policies -- --ci` prints them is in processes/ci-roles.test.ts.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load';
import type { ResolvedGitHub } from '../config/github';
import type { Config } from '../config/types';
import {
  assumedByTrustPolicy,
  ciRoles,
  deployRolePolicy,
  deployTrustPolicy,
  enrollmentPolicy,
  enrollmentTrustPolicy,
  organizationsDelegationPolicy,
  planTrustPolicy,
} from '../policies/ci-roles';
import type { PolicyDocument } from '../policies/types';
import { simulate, simulateWebIdentity } from './support/simulate';
import { CI, example, github, MANAGED, MANAGEMENT } from './support/ci-roles';
import { validConfig, writeConfig } from './support/configs';

const MEMBER = '333333333333';
const ORG = 'o-a1b2c3d4e5';

describe('the CI roles of the github section', () => {
  test('live in github.oidcAccount, trusting its OIDC provider', () => {
    expect(github).toMatchObject({
      oidcProviderArn: `arn:aws:iam::${CI}:oidc-provider/token.actions.githubusercontent.com`,
      deployRoleArn: `arn:aws:iam::${CI}:role/datadog-cloudtrail-deploy`,
      planRoleArn: `arn:aws:iam::${CI}:role/datadog-cloudtrail-plan`,
      enrollmentRoleArn: `arn:aws:iam::${CI}:role/datadog-cloudtrail-enrollment`,
    });
  });
});

/** The claims of a GitHub Actions job's token, as aws-actions/configure-aws-credentials requests it. */
const token = (sub: string, aud = 'sts.amazonaws.com') => ({ 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:aud': aud });
const assume = (role: string, trustPolicy: PolicyDocument, sub: string, aud?: string) =>
  simulateWebIdentity({ provider: github.oidcProviderArn, role, trustPolicy, claims: token(sub, aud) });

describe.each([
  ['deploy', github.deployRoleArn, deployTrustPolicy(github)],
  ['enrollment', github.enrollmentRoleArn, enrollmentTrustPolicy(github)],
] as const)('the %s role', (_name, role, trust) => {
  test("admits the repository's workflows on the default branch (a push, a schedule, a dispatch there)", async () => {
    expect(await assume(role, trust, 'repo:acme/datadog-cloudtrail:ref:refs/heads/main')).toBe('Allowed');
  });

  test.each([
    ['a pull request, whose workflow file the pull request controls', 'repo:acme/datadog-cloudtrail:pull_request'],
    ['a workflow dispatched on another branch', 'repo:acme/datadog-cloudtrail:ref:refs/heads/enroll-test'],
    ['a job in an environment', 'repo:acme/datadog-cloudtrail:environment:wave-1'],
    ['another repository of the owner', 'repo:acme/other:ref:refs/heads/main'],
    ['a repository whose name only starts alike', 'repo:acme/datadog-cloudtrail-fork:ref:refs/heads/main'],
  ])('refuses %s', async (_what, sub) => {
    expect(await assume(role, trust, sub)).toBe('ImplicitlyDenied');
  });

  test('refuses a token for another audience', async () => {
    expect(await assume(role, trust, 'repo:acme/datadog-cloudtrail:ref:refs/heads/main', 'https://github.com/acme')).toBe('ImplicitlyDenied');
  });
});

describe('the plan role', () => {
  const trust = planTrustPolicy(github);

  test.each([
    ['pull-request plans', 'repo:acme/datadog-cloudtrail:pull_request'],
    ['the drift check on the default branch', 'repo:acme/datadog-cloudtrail:ref:refs/heads/main'],
  ])('admits %s', async (_what, sub) => {
    expect(await assume(github.planRoleArn, trust, sub)).toBe('Allowed');
  });

  test('refuses another branch', async () => {
    expect(await assume(github.planRoleArn, trust, 'repo:acme/datadog-cloudtrail:ref:refs/heads/feature')).toBe('ImplicitlyDenied');
  });
});

describe('a repository with immutable subject claims (github.ownerId and repositoryId)', () => {
  const config = validConfig();
  config.accounts[0].assumeRoleArn = `arn:aws:iam::${MANAGEMENT}:role/Deploy`;
  config.github = { repository: 'acme/datadog-cloudtrail', ownerId: 123456, repositoryId: 789012, oidcAccount: CI };
  const immutable = loadConfig(writeConfig(config)).github as ResolvedGitHub;

  test('is trusted by its immutable subject', async () => {
    const sub = 'repo:acme@123456/datadog-cloudtrail@789012:ref:refs/heads/main';
    expect(await simulateWebIdentity({ provider: immutable.oidcProviderArn, role: immutable.deployRoleArn, trustPolicy: deployTrustPolicy(immutable), claims: token(sub) })).toBe('Allowed');
  });

  test('and no longer by the name alone, which a recycled name could claim', async () => {
    const sub = 'repo:acme/datadog-cloudtrail:ref:refs/heads/main';
    expect(await simulateWebIdentity({ provider: immutable.oidcProviderArn, role: immutable.deployRoleArn, trustPolicy: deployTrustPolicy(immutable), claims: token(sub) })).toBe('ImplicitlyDenied');
  });
});

describe("a stack's role in its account", () => {
  const target = `arn:aws:iam::${MEMBER}:role/DatadogCloudTrailDeploy`;
  const deployPermissions = deployRolePolicy({ partition: 'aws', targetRoleArns: [target] });
  const trust = assumedByTrustPolicy(github.deployRoleArn);

  test('may be assumed by the deploy role', async () => {
    expect(await simulate({ principal: github.deployRoleArn, action: 'sts:AssumeRole', resource: target, identityPolicies: [deployPermissions], resourcePolicy: trust })).toBe('Allowed');
  });

  test.each([
    ['the plan role, which pull requests reach', github.planRoleArn],
    ['the enrollment role', github.enrollmentRoleArn],
  ])('may not be assumed by %s', async (_what, caller) => {
    const anything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
    expect(await simulate({ principal: caller, action: 'sts:AssumeRole', resource: target, identityPolicies: [anything], resourcePolicy: trust })).toBe('ImplicitlyDenied');
  });
});

describe("the deploy role's permissions", () => {
  const permissions = deployRolePolicy({
    partition: 'aws',
    targetRoleArns: [`arn:aws:iam::${MEMBER}:role/DatadogCloudTrailDeploy`, `arn:aws:iam::${MANAGEMENT}:role/DatadogCloudTrailDeploy`],
    backend: { s3: { bucket: 'acme-terraform-state', region: 'us-east-1', keyPrefix: 'datadog-cloudtrail' } },
  });
  const call = (action: string, resource: string, resourcePolicy?: PolicyDocument) =>
    simulate({ principal: github.deployRoleArn, action, resource, resourceAccount: resource.startsWith('arn:aws:s3') ? CI : undefined, identityPolicies: [permissions], resourcePolicy });
  const trustingDeploy = assumedByTrustPolicy(github.deployRoleArn);

  test('name each stack role once, by its name in any account: 5,000 ARNs would not fit in a role policy', () => {
    expect(permissions.Statement[0].Resource).toBe('arn:aws:iam::*:role/DatadogCloudTrailDeploy');
  });

  test('let it assume the stacks\' roles, and no other role', async () => {
    expect(await call('sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/DatadogCloudTrailDeploy`, trustingDeploy)).toBe('Allowed');
    expect(await call('sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, trustingDeploy)).toBe('ImplicitlyDenied');
  });

  test('let Terraform read and write the state and take and release its lock file', async () => {
    const state = 'arn:aws:s3:::acme-terraform-state/datadog-cloudtrail/prod.tfstate';
    expect(await call('s3:GetObject', state)).toBe('Allowed');
    expect(await call('s3:PutObject', state)).toBe('Allowed');
    expect(await call('s3:DeleteObject', `${state}.tflock`)).toBe('Allowed');
  });

  test('never let it delete a state, nor write outside the prefix', async () => {
    expect(await call('s3:DeleteObject', 'arn:aws:s3:::acme-terraform-state/datadog-cloudtrail/prod.tfstate')).toBe('ImplicitlyDenied');
    expect(await call('s3:PutObject', 'arn:aws:s3:::acme-terraform-state/other/prod.tfstate')).toBe('ImplicitlyDenied');
  });

  test('assume the state role instead when backend.s3.roleArn names one', () => {
    const withRole = deployRolePolicy({ partition: 'aws', targetRoleArns: [], backend: { s3: { bucket: 'b', region: 'us-east-1', keyPrefix: 'p', roleArn: `arn:aws:iam::${CI}:role/TerraformState` } } });
    expect(withRole.Statement).toEqual([{ Sid: 'AssumeStackRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${CI}:role/TerraformState` }]);
  });
});

describe("the enrollment role's permissions", () => {
  const organization = { id: ORG, managementAccountId: MANAGEMENT };
  // In a tooling account, through the management account's delegation policy.
  const call = (permissions: PolicyDocument, action: string, resource: string) =>
    simulate({
      principal: github.enrollmentRoleArn,
      action,
      resource,
      resourceAccount: resource === '*' ? MANAGEMENT : undefined,
      identityPolicies: [permissions],
      resourcePolicy: organizationsDelegationPolicy('aws', CI, true),
    });
  const withTree = enrollmentPolicy({ partition: 'aws', organization, listsTree: true });
  const accountsOnly = enrollmentPolicy({ partition: 'aws', organization, listsTree: false });

  test('without a scope of OUs, grant list-accounts alone', () => {
    expect(accountsOnly.Statement).toEqual([{ Sid: 'ListAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' }]);
  });

  test("with a scope of OUs, let it list the organization's roots, OUs and their accounts", async () => {
    expect(await call(withTree, 'organizations:ListRoots', '*')).toBe('Allowed');
    expect(await call(withTree, 'organizations:ListOrganizationalUnitsForParent', `arn:aws:organizations::${MANAGEMENT}:root/${ORG}/r-ab12`)).toBe('Allowed');
    expect(await call(withTree, 'organizations:ListAccountsForParent', `arn:aws:organizations::${MANAGEMENT}:ou/${ORG}/ou-ab12-34cd56ef`)).toBe('Allowed');
  });

  test("refuse another organization's OUs", async () => {
    expect(await call(withTree, 'organizations:ListAccountsForParent', `arn:aws:organizations::${MANAGEMENT}:ou/o-zzzzzzzzzz/ou-zz12-34cd56ef`)).toBe('ImplicitlyDenied');
  });

  test('in the management account itself, need no delegation policy', async () => {
    const role = `arn:aws:iam::${MANAGEMENT}:role/datadog-cloudtrail-enrollment`;
    expect(await simulate({ principal: role, action: 'organizations:ListAccounts', resource: '*', resourceAccount: MANAGEMENT, identityPolicies: [accountsOnly] })).toBe('Allowed');
  });

  test.each([
    ['organizations:DescribeAccount', `arn:aws:organizations::${MANAGEMENT}:account/${ORG}/${MEMBER}`],
    ['organizations:MoveAccount', `arn:aws:organizations::${MANAGEMENT}:account/${ORG}/${MEMBER}`],
    ['organizations:CreateAccount', '*'],
    ['organizations:ListChildren', `arn:aws:organizations::${MANAGEMENT}:ou/${ORG}/ou-ab12-34cd56ef`],
  ])('refuse %s, which the enrollment never calls', async (action, resource) => {
    expect(await call(withTree, action, resource)).toBe('ImplicitlyDenied');
  });

  test('with the delegation policy, let a role of a member account list the organization', async () => {
    const delegation = organizationsDelegationPolicy('aws', CI, false);
    const request = { action: 'organizations:ListAccounts', resource: '*', resourceAccount: MANAGEMENT, resourcePolicy: delegation };
    expect(await simulate({ ...request, principal: github.enrollmentRoleArn, identityPolicies: [accountsOnly] })).toBe('Allowed');
    expect(await simulate({ ...request, principal: `arn:aws:iam::222222222222:role/other`, identityPolicies: [accountsOnly] })).toBe('ImplicitlyDenied');
  });
});

describe('the roles to create, and where', () => {
  const wheres = (roles: ReturnType<typeof ciRoles>) => roles.map((role) => `${role.where}: ${role.name}`);

  test('with the CI roles in a tooling account: the three CI roles there, a delegation policy in the management account, and a role trusting the deploy role in every account, the management account included', () => {
    const roles = ciRoles({ github, accounts: example.accounts, organization: { id: ORG, managementAccountId: MANAGEMENT }, listsTree: true });

    expect(wheres(roles)).toEqual([
      `account ${CI} (github.oidcAccount): role datadog-cloudtrail-deploy`,
      `account ${CI} (github.oidcAccount): role datadog-cloudtrail-plan`,
      `account ${CI} (github.oidcAccount): role datadog-cloudtrail-enrollment`,
      `the management account ${MANAGEMENT}: Organizations delegation policy`,
      'accounts log-archive (222222222222), management (111111111111), sandbox (333333333333), prod (555555555555): role DatadogCloudTrailDeploy',
      'every account: the read-only role named by the repository variable AWS_PLAN_ACCOUNT_ROLE_NAME',
    ]);
    expect(roles[4].trustPolicy).toEqual(assumedByTrustPolicy(github.deployRoleArn));
  });

  test('with the CI roles in the management account: no delegation, and OrganizationAccountAccessRole as AWS created it', () => {
    const config = JSON.parse(readFileSync(MANAGED, 'utf8')) as Config;
    config.github = { repository: 'acme/datadog-cloudtrail', oidcAccount: MANAGEMENT };
    delete config.enrollment;
    for (const account of config.accounts) account.assumeRoleArn = account.name === 'management' ? undefined : `arn:aws:iam::${account.accountId}:role/OrganizationAccountAccessRole`;
    const inManagement = loadConfig(writeConfig(config));

    const roles = ciRoles({ github: inManagement.github as ResolvedGitHub, accounts: inManagement.accounts, organization: { id: ORG, managementAccountId: MANAGEMENT }, listsTree: false });

    expect(wheres(roles).filter((where) => !where.startsWith(`account ${MANAGEMENT} (github.oidcAccount)`))).toEqual([
      'accounts log-archive (222222222222), sandbox (333333333333), prod (555555555555): role OrganizationAccountAccessRole',
      'accounts management (111111111111): no role',
      'every account: the read-only role named by the repository variable AWS_PLAN_ACCOUNT_ROLE_NAME',
    ]);
    const created = roles.find((role) => role.name === 'role OrganizationAccountAccessRole');
    expect(created?.trustPolicy).toBeUndefined();
    expect(created?.note).toContain('nothing to create');
  });

  test("of the example organization-managed.json stay as reviewed", () => {
    expect(ciRoles({ github, accounts: example.accounts, organization: { id: ORG, managementAccountId: MANAGEMENT }, backend: example.backend, listsTree: true })).toMatchSnapshot();
  });
});
