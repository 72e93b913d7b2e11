/**
 * The roles the GitHub workflows use, as data: who may assume each (trust policies) and what
 * the CI account's roles may do. Nothing here is deployed by the stacks: `npm run policies --
 * --ci` prints them for the people who create the roles, from the config's `github` section.
 *
 * GitHub's OIDC token names the workflow's repository and ref in its `sub` claim, and carries
 * the audience `sts.amazonaws.com` that aws-actions/configure-aws-credentials asks for; a role
 * trusts the identity provider of its own account only, conditioned on both claims
 * (https://github.com/aws-actions/configure-aws-credentials#quick-start-oidc-recommended,
 * https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims).
 */
import { type ResolvedGitHub, GITHUB_OIDC_HOST, ORGANIZATION_ACCESS_ROLE } from '../config/github';
import { accountRootArn, bucketArn } from '../config/arns';
import type { Partition } from '../config/regions';
import type { ResolvedAccount, ResolvedBackend } from '../config/resolve';
import { type PolicyDocument, policyDocument, type PolicyStatement } from './types';

/** The audience configure-aws-credentials requests for AWS STS. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** The `sub` claim of a job on a branch (a push, a schedule, a dispatch on that branch), outside any environment. */
export function branchSubject(subjectRepository: string, branch: string): string {
  return `repo:${subjectRepository}:ref:refs/heads/${branch}`;
}

/** The `sub` claim of a job of a `pull_request` workflow. */
export function pullRequestSubject(subjectRepository: string): string {
  return `repo:${subjectRepository}:pull_request`;
}

/**
 * Trust for GitHub's OIDC provider, for exactly these subjects: StringEquals, so that no
 * character of a subject acts as a wildcard.
 */
export function gitHubTrustPolicy(oidcProviderArn: string, subjects: readonly string[]): PolicyDocument {
  return policyDocument({
    Sid: 'GitHubActionsOidc',
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : [...subjects],
      },
    },
  });
}

/** The deploy role: the roll-out's plan and apply jobs, which run on the default branch. */
export function deployTrustPolicy(github: ResolvedGitHub): PolicyDocument {
  return gitHubTrustPolicy(github.oidcProviderArn, [branchSubject(github.subjectRepository, github.defaultBranch)]);
}

/** The plan role: pull-request plans, and the drift check on the default branch. */
export function planTrustPolicy(github: ResolvedGitHub): PolicyDocument {
  return gitHubTrustPolicy(github.oidcProviderArn, [
    pullRequestSubject(github.subjectRepository),
    branchSubject(github.subjectRepository, github.defaultBranch),
  ]);
}

/** The enrollment role: enroll.yml, scheduled or dispatched, on the default branch only. */
export function enrollmentTrustPolicy(github: ResolvedGitHub): PolicyDocument {
  return gitHubTrustPolicy(github.oidcProviderArn, [branchSubject(github.subjectRepository, github.defaultBranch)]);
}

/** A role in a target account, assumed by one CI role of the CI account. */
export function assumedByTrustPolicy(ciRoleArn: string): PolicyDocument {
  return policyDocument({ Sid: 'AssumedByCiRole', Effect: 'Allow', Principal: { AWS: ciRoleArn }, Action: 'sts:AssumeRole' });
}

export interface DeployRolePolicyProps {
  partition: Partition;
  /** The roles the stacks assume (their assumeRoleArn). */
  targetRoleArns: readonly string[];
  backend?: ResolvedBackend;
}

/**
 * The deploy role may assume the stacks' roles and use the state. The roles are named with any
 * account (`arn:…:iam::*:role/<name>`): 5,000 ARNs would far exceed IAM's 10,240 characters of
 * inline policy per role (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
 * and each target role's trust policy, which names this role, is what admits it. The state:
 * Terraform's S3 backend with use_lockfile reads and writes the state object and creates and
 * deletes `<key>.tflock` (https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required);
 * with backend.s3.roleArn it assumes that role instead.
 */
export function deployRolePolicy(props: DeployRolePolicyProps): PolicyDocument {
  const byName = [...new Set(props.targetRoleArns.map((arn) => arn.replace(/^(arn:[^:]+:iam::)\d{12}(:role\/)/, '$1*$2')))].sort();
  const statements: PolicyStatement[] = [];
  const s3 = props.backend?.s3;
  const assumable = [...byName, ...(s3?.roleArn ? [s3.roleArn] : [])];
  if (assumable.length > 0) {
    statements.push({ Sid: 'AssumeStackRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: assumable.length === 1 ? assumable[0] : assumable });
  }
  if (s3 && !s3.roleArn) {
    const objects = `${bucketArn(props.partition, s3.bucket)}/${s3.keyPrefix}/`;
    statements.push(
      { Sid: 'ListStatePrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn(props.partition, s3.bucket), Condition: { StringLike: { 's3:prefix': `${s3.keyPrefix}/*` } } },
      { Sid: 'ReadWriteState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${objects}*.tfstate` },
      { Sid: 'LockState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${objects}*.tfstate.tflock` },
    );
  }
  return policyDocument(...statements);
}

/** Calls that take no resource: the organization's accounts, its roots. */
const LIST_ACCOUNTS = 'organizations:ListAccounts';
const LIST_ROOTS = 'organizations:ListRoots';
/** Calls on one root or OU: its OUs, its accounts. */
const LIST_BY_PARENT = ['organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent'];

/** The AWS Organizations read actions the enrollment calls: list-accounts, and the OU tree when its scope names OUs. */
export function enrollmentActions(listsTree: boolean): string[] {
  return listsTree ? [LIST_ACCOUNTS, LIST_ROOTS, ...LIST_BY_PARENT] : [LIST_ACCOUNTS];
}

export interface EnrollmentPolicyProps {
  partition: Partition;
  /** Narrows the tree listing to this organization's roots and OUs when known. */
  organization?: { id: string; managementAccountId: string };
  listsTree: boolean;
}

/**
 * ListAccounts and ListRoots support no resource type; ListOrganizationalUnitsForParent and
 * ListAccountsForParent take a root or an OU, whose ARNs name the management account and the
 * organization (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html).
 */
export function enrollmentPolicy(props: EnrollmentPolicyProps): PolicyDocument {
  if (!props.listsTree) return policyDocument({ Sid: 'ListAccounts', Effect: 'Allow', Action: LIST_ACCOUNTS, Resource: '*' });
  const { organization } = props;
  const arn = organization && `arn:${props.partition}:organizations::${organization.managementAccountId}`;
  return policyDocument(
    { Sid: 'ListAccounts', Effect: 'Allow', Action: [LIST_ACCOUNTS, LIST_ROOTS], Resource: '*' },
    {
      Sid: 'ListOrganizationTree',
      Effect: 'Allow',
      Action: LIST_BY_PARENT,
      Resource: arn ? [`${arn}:root/${organization.id}/r-*`, `${arn}:ou/${organization.id}/ou-*`] : '*',
    },
  );
}

/**
 * A member account calls Organizations only as far as the management account's resource-based
 * delegation policy allows; the account must still grant its role the same actions
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies_example_view_accts_orgs.html).
 */
export function organizationsDelegationPolicy(partition: Partition, delegateAccountId: string, listsTree: boolean): PolicyDocument {
  return policyDocument({
    Sid: 'DelegateEnrollmentListing',
    Effect: 'Allow',
    Principal: { AWS: accountRootArn(partition, delegateAccountId) },
    Action: enrollmentActions(listsTree),
    Resource: '*',
  });
}

/** One role (or policy) that must exist, where, and what for. */
export interface CiRole {
  /** Where it lives, for people: `account 999999999999 (github.oidcAccount)`. */
  where: string;
  /** `role datadog-cloudtrail-deploy`, or the policy's name. */
  name: string;
  /** Who uses it. */
  purpose: string;
  trustPolicy?: PolicyDocument;
  permissionsPolicy?: PolicyDocument;
  /** A policy that is neither, e.g. the Organizations delegation policy. */
  resourcePolicy?: PolicyDocument;
  note?: string;
}

export interface CiRoleSetProps {
  github: ResolvedGitHub;
  accounts: ReadonlyArray<Pick<ResolvedAccount, 'name' | 'accountId' | 'assumeRoleArn'>>;
  organization?: { id: string; managementAccountId: string };
  backend?: ResolvedBackend;
  /** The enrollment's scope names OUs, so it lists the OU tree. */
  listsTree: boolean;
}

const roleName = (arn: string): string => arn.slice(arn.indexOf(':role/') + ':role/'.length);
const names = (accounts: ReadonlyArray<{ name: string; accountId: string }>): string => {
  const shown = accounts.slice(0, 5).map((account) => `${account.name} (${account.accountId})`).join(', ');
  return accounts.length > 5 ? `${shown} and ${accounts.length - 5} more` : shown;
};

/** Every role the workflows need, in the CI account and in each account of the config. */
export function ciRoles(props: CiRoleSetProps): CiRole[] {
  const { github } = props;
  const ciAccount = `account ${github.oidcAccount} (github.oidcAccount)`;
  const management = props.organization?.managementAccountId;
  const roles: CiRole[] = [
    {
      where: ciAccount,
      name: `role ${roleName(github.deployRoleArn)}`,
      purpose: `roll-out plan and apply jobs (rollout*.yml) on ${github.defaultBranch}: repository variable AWS_DEPLOY_ROLE_ARN`,
      trustPolicy: deployTrustPolicy(github),
      permissionsPolicy: deployRolePolicy({ partition: github.partition, targetRoleArns: props.accounts.flatMap((a) => (a.assumeRoleArn ? [a.assumeRoleArn] : [])), backend: props.backend }),
    },
    {
      where: ciAccount,
      name: `role ${roleName(github.planRoleArn)}`,
      purpose: `pull-request plans (plan.yml) and the drift check (drift.yml) on ${github.defaultBranch}: repository variable AWS_PLAN_ROLE_ARN`,
      trustPolicy: planTrustPolicy(github),
      note: 'permissions: sts:AssumeRole on the read-only role of every account (below), and read access to the state',
    },
    {
      where: ciAccount,
      name: `role ${roleName(github.enrollmentRoleArn)}`,
      purpose: `the enrollment workflow (enroll.yml) on ${github.defaultBranch}: repository variable AWS_ENROLLMENT_ROLE_ARN`,
      trustPolicy: enrollmentTrustPolicy(github),
      permissionsPolicy: enrollmentPolicy({ partition: github.partition, organization: props.organization, listsTree: props.listsTree }),
    },
  ];
  if (management !== github.oidcAccount) {
    roles.push({
      where: management ? `the management account ${management}` : 'the management account',
      name: 'Organizations delegation policy',
      purpose: `the enrollment role of account ${github.oidcAccount}, listing the organization; set it with aws organizations put-resource-policy --content file://policy.json`,
      resourcePolicy: organizationsDelegationPolicy(github.partition, github.oidcAccount, props.listsTree),
      ...(management === undefined ? { note: 'not needed when github.oidcAccount is the management account (the config has no organization section to tell)' } : {}),
    });
  }

  const byRole = new Map<string, Array<{ name: string; accountId: string }>>();
  for (const account of props.accounts) {
    if (!account.assumeRoleArn) continue;
    const role = roleName(account.assumeRoleArn);
    byRole.set(role, [...(byRole.get(role) ?? []), account]);
  }
  for (const [role, accounts] of byRole) {
    const createdByOrganizations = role === ORGANIZATION_ACCESS_ROLE && management === github.oidcAccount;
    roles.push({
      where: `accounts ${names(accounts)}`,
      name: `role ${role}`,
      purpose: 'the stacks (their assumeRoleArn), assumed by the deploy role',
      ...(createdByOrganizations
        ? { note: `AWS Organizations creates it in the accounts it creates, trusting the management account ${management}, where the deploy role is: nothing to create (an invited account needs it created, https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html)` }
        : { trustPolicy: assumedByTrustPolicy(github.deployRoleArn) }),
    });
  }
  const direct = props.accounts.filter((account) => !account.assumeRoleArn);
  if (direct.length > 0) {
    roles.push({
      where: `accounts ${names(direct)}`,
      name: 'no role',
      purpose: 'the stacks of the CI account itself, which run with the deploy role',
    });
  }
  roles.push({
    where: 'every account',
    name: 'the read-only role named by the repository variable AWS_PLAN_ACCOUNT_ROLE_NAME',
    purpose: 'pull-request plans and the drift check, instead of the deploy roles above, which a pull request must not reach',
    trustPolicy: assumedByTrustPolicy(github.planRoleArn),
    note: 'permissions: the AWS managed policy ReadOnlyAccess, for example',
  });
  return roles;
}
