/**
 * The `github` section: which repository's workflows deploy the config, and the AWS account of
 * GitHub's OIDC identity provider and the CI roles. Resolved here into the names and ARNs the
 * CI role policies (policies/ci-roles.ts) are built from; checked here for what would keep a
 * stack from being deployed by those roles.
 */
import type { ConfigIssue } from './errors';
import { isObject } from './json';
import { partitionOf, type Partition } from './regions';
import { roleArn } from './arns';
import { withDefaults } from './schema-validation';
import type { Config } from './types';

type Json = Record<string, unknown>;

/** GitHub's OIDC issuer host: the IAM identity provider's URL and the prefix of its condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * The role AWS Organizations creates in the accounts it creates. Its trust policy names the
 * management account only
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access-cross-account-role.html).
 */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

export interface ResolvedGitHub {
  /** owner/name */
  repository: string;
  /**
   * The repository as the OIDC `sub` claim spells it: `owner/name`, or with immutable subject
   * claims `owner@<ownerId>/name@<repositoryId>`
   * (https://github.com/aws-actions/configure-aws-credentials#immutable-subject-claims).
   */
  subjectRepository: string;
  defaultBranch: string;
  oidcAccount: string;
  partition: Partition;
  oidcProviderArn: string;
  deployRoleArn: string;
  planRoleArn: string;
  enrollmentRoleArn: string;
}

/** The github section resolved, or undefined without one. The config must be valid. */
export function resolveGitHub(config: Config): ResolvedGitHub | undefined {
  if (!config.github) return undefined;
  const github = withDefaults('github', config.github) as Required<Omit<NonNullable<Config['github']>, 'ownerId' | 'repositoryId'>> &
    Pick<NonNullable<Config['github']>, 'ownerId' | 'repositoryId'>;
  const partition = partitionOf(config.accounts[0].region) ?? 'aws';
  const [owner, name] = github.repository.split('/');
  const subjectRepository = github.ownerId !== undefined && github.repositoryId !== undefined ? `${owner}@${github.ownerId}/${name}@${github.repositoryId}` : github.repository;
  return {
    repository: github.repository,
    subjectRepository,
    defaultBranch: github.defaultBranch,
    oidcAccount: github.oidcAccount,
    partition,
    oidcProviderArn: `arn:${partition}:iam::${github.oidcAccount}:oidc-provider/${GITHUB_OIDC_HOST}`,
    deployRoleArn: roleArn(partition, github.oidcAccount, github.deployRoleName),
    planRoleArn: roleArn(partition, github.oidcAccount, github.planRoleName),
    enrollmentRoleArn: roleArn(partition, github.oidcAccount, github.enrollmentRoleName),
  };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const roleNameOf = (arn: string): string => arn.slice(arn.indexOf(':role/') + ':role/'.length).split('/').pop() as string;

/** The ID of the organization's management account, when the config names one that exists. */
export function managementAccountId(document: Json, accounts: Json[]): string | undefined {
  if (!isObject(document.organization)) return undefined;
  const name = str(document.organization.managementAccount);
  return str(accounts.find((account) => account.name === name)?.accountId);
}

/**
 * Every stack's provider accepts only its own account (`allowed_account_ids`) and assumes its
 * `assumeRoleArn`, if any: from the deploy role in `github.oidcAccount`, every other account
 * needs a role to assume, and that role must trust the deploy role.
 */
export function gitHubIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  if (!isObject(document.github)) return [];
  const github = document.github;
  const issues: ConfigIssue[] = [];
  if ((github.ownerId === undefined) !== (github.repositoryId === undefined)) {
    const missing = github.ownerId === undefined ? 'ownerId' : 'repositoryId';
    issues.push({
      path: `github.${missing}`,
      problem: 'is missing: an immutable subject claim carries both numeric IDs, the owner\'s and the repository\'s',
      fix: `set github.${missing} too (a repository's IDs: gh api repos/OWNER/NAME --jq '.owner.id, .id'), or remove the other to trust the name-only subject`,
    });
  }
  const oidcAccount = str(github.oidcAccount);
  if (oidcAccount === undefined) return issues;
  const { deployRoleName } = withDefaults('github', { deployRoleName: github.deployRoleName }) as { deployRoleName: string };
  const deployRole = `the deploy role ${deployRoleName} of account ${oidcAccount} (github.oidcAccount)`;
  accounts.forEach((account, index) => {
    const accountId = str(account.accountId);
    if (accountId === undefined || accountId === oidcAccount || account.assumeRoleArn !== undefined) return;
    issues.push({
      path: `accounts[${index}].assumeRoleArn`,
      problem: `is missing: ${deployRole} cannot deploy account ${accountId}, whose stack accepts only that account's credentials (allowed_account_ids), without a role of account ${accountId} to assume`,
      fix: `create a role in account ${accountId} that trusts the deploy role (npm run policies -- --ci prints its trust policy) and set assumeRoleArn to it`,
    });
  });

  const management = managementAccountId(document, accounts);
  if (management !== undefined && management !== oidcAccount) {
    const trustsManagementOnly = accounts
      .map((account, index) => ({ index, arn: str(account.assumeRoleArn) }))
      .filter(({ arn }) => arn !== undefined && roleNameOf(arn) === ORGANIZATION_ACCESS_ROLE);
    if (trustsManagementOnly.length > 0) {
      const [first, ...others] = trustsManagementOnly;
      const more = others.length === 0 ? '' : ` (as do ${others.slice(0, 3).map(({ index }) => `accounts[${index}]`).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''})`;
      issues.push({
        path: `accounts[${first.index}].assumeRoleArn`,
        problem: `is ${ORGANIZATION_ACCESS_ROLE}, which trusts only the management account ${management}, not ${deployRole}${more}`,
        value: first.arn,
        fix: `create a deploy role trusting the deploy role in every member account (npm run policies -- --ci prints its trust policy; a service-managed StackSet also puts it in accounts created later) and point assumeRoleArn at it (npm run import-accounts --role-name, enrollment.roleName); or put the CI roles in the management account (github.oidcAccount "${management}")`,
      });
    }
    const enrollment = isObject(document.enrollment) ? document.enrollment : {};
    if (enrollment.roleName === ORGANIZATION_ACCESS_ROLE) {
      issues.push({
        path: 'enrollment.roleName',
        problem: `names ${ORGANIZATION_ACCESS_ROLE}, which trusts only the management account ${management}: ${deployRole} could not deploy the accounts enrolled with it`,
        value: enrollment.roleName,
        fix: 'name the deploy role you create in every member account, trusting the deploy role (npm run policies -- --ci prints its trust policy)',
      });
    }
  }

  const partitions = [...new Set(accounts.map((account) => partitionOf(str(account.region) ?? '')).filter(Boolean))];
  if (partitions.length > 1) {
    issues.push({
      path: 'github.oidcAccount',
      problem: `holds the CI roles of accounts in the partitions ${partitions.join(' and ')}; a role reaches accounts of its own partition only`,
      value: oidcAccount,
      fix: 'split the accounts into one config (and one CI account) per partition',
    });
  }
  return issues;
}

