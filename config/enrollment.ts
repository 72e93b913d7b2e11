/**
 * The `enrollment` section: what new accounts get (wave, region, deploy role) and which
 * accounts of the organization are in scope, the way a StackSet targets OUs: accounts under an
 * included OU (nested OUs count), minus excluded OUs and accounts.
 */
import { closest, type ConfigIssue } from './errors';
import { isObject } from './json';
import { allRegions, partitionOf } from './regions';
import { withDefaults } from './schema-validation';
import type { Config } from './types';

type Json = Record<string, unknown>;

/** The waves the accounts use, in order (an account without one is in wave 1). */
export function usedWaves(accounts: ReadonlyArray<{ wave?: unknown }>): number[] {
  const waves = accounts.map((account) => withDefaults('account', { wave: account.wave }).wave);
  return [...new Set(waves.filter((wave): wave is number => typeof wave === 'number'))].sort((a, b) => a - b);
}

export interface EnrollmentDefaults {
  /** `enrollment.wave`, else the highest wave in use: never a new wave number. */
  wave: number;
  /** `enrollment.region`, else the management account's region, else the first account's. */
  region: string;
  roleName: string;
}

/** What a new account gets. The config must be valid. */
export function enrollmentDefaults(config: Config): EnrollmentDefaults {
  const enrollment = withDefaults('enrollment', config.enrollment ?? {}) as NonNullable<Config['enrollment']> & { roleName: string };
  const management = config.accounts.find((account) => account.name === config.organization?.managementAccount);
  return {
    wave: enrollment.wave ?? Math.max(...usedWaves(config.accounts)),
    region: enrollment.region ?? (management ?? config.accounts[0]).region,
    roleName: enrollment.roleName,
  };
}

export function enrollmentIssues(document: Json, accounts: Json[]): ConfigIssue[] {
  if (!isObject(document.enrollment)) return [];
  const enrollment = document.enrollment;
  const issues: ConfigIssue[] = [];
  const waves = usedWaves(accounts);
  if (typeof enrollment.wave === 'number' && Number.isInteger(enrollment.wave) && waves.length > 0 && !waves.includes(enrollment.wave)) {
    issues.push({
      path: 'enrollment.wave',
      problem: `is a wave no account uses: new accounts would deploy in a new GitHub environment, wave-${enrollment.wave}, which nobody has protected with required reviewers`,
      value: enrollment.wave,
      fix: `use a wave in use (${waves.join(', ')}), or remove it for the highest (${waves[waves.length - 1]})`,
    });
  }
  if (typeof enrollment.region === 'string' && partitionOf(enrollment.region) === undefined) {
    const suggestion = closest(enrollment.region, allRegions());
    issues.push({
      path: 'enrollment.region',
      problem: 'is not a known AWS region',
      value: enrollment.region,
      fix: suggestion ? `did you mean "${suggestion}"?` : 'use the region of new accounts\' stacks, e.g. us-east-1',
    });
  }
  const included = Array.isArray(enrollment.organizationalUnits) ? enrollment.organizationalUnits : [];
  (Array.isArray(enrollment.excludeOrganizationalUnits) ? enrollment.excludeOrganizationalUnits : []).forEach((unit, index) => {
    if (included.includes(unit)) {
      issues.push({
        path: `enrollment.excludeOrganizationalUnits[${index}]`,
        problem: 'is also in enrollment.organizationalUnits: its accounts would be both enrolled and excluded',
        value: unit,
        fix: 'keep it in one of the two lists',
      });
    }
  });
  return issues;
}

/** The organization's tree: roots, OUs and the parent of each account, by ID. */
export interface OrganizationTree {
  roots: ReadonlyMap<string, string>;
  units: ReadonlyMap<string, { name: string; parentId: string }>;
  accountParents: ReadonlyMap<string, string>;
}

export interface EnrollmentScope {
  /** Undefined: the whole organization. */
  include?: readonly string[];
  excludeUnits: readonly string[];
  excludeAccounts: readonly string[];
}

export function enrollmentScope(config: Config): EnrollmentScope {
  const enrollment = config.enrollment ?? {};
  return {
    include: enrollment.organizationalUnits,
    excludeUnits: enrollment.excludeOrganizationalUnits ?? [],
    excludeAccounts: enrollment.excludeAccounts ?? [],
  };
}

/** Whether the scope names OUs, so that deciding it takes the organization's tree. */
export function scopeNeedsTree(scope: EnrollmentScope): boolean {
  return scope.include !== undefined || scope.excludeUnits.length > 0;
}

/** The account's parents, nearest first, up to its root. */
function ancestors(accountId: string, tree: OrganizationTree): string[] {
  const chain: string[] = [];
  let parent = tree.accountParents.get(accountId);
  while (parent !== undefined && !chain.includes(parent)) {
    chain.push(parent);
    parent = tree.units.get(parent)?.parentId;
  }
  return chain;
}

/** `Root/Workloads/Prod`: where a root or OU sits, by name. */
export function unitPath(id: string, tree: OrganizationTree): string {
  const names: string[] = [];
  let at: string | undefined = id;
  while (at !== undefined && names.length < 64) {
    const unit = tree.units.get(at);
    names.unshift(unit?.name ?? tree.roots.get(at) ?? at);
    at = unit?.parentId;
  }
  return names.join('/');
}

/** Why the account is outside the scope, or undefined when it is inside. */
export function outOfScope(accountId: string, scope: EnrollmentScope, tree?: OrganizationTree): string | undefined {
  if (scope.excludeAccounts.includes(accountId)) return 'excluded by enrollment.excludeAccounts';
  if (!scopeNeedsTree(scope) || tree === undefined) return undefined;
  const chain = ancestors(accountId, tree);
  const where = chain.length > 0 ? `${unitPath(chain[0], tree)} (${chain[0]})` : 'no OU the organization lists';
  const excluded = chain.find((id) => scope.excludeUnits.includes(id));
  if (excluded !== undefined) return `in ${where}, under ${unitPath(excluded, tree)} (${excluded}) of enrollment.excludeOrganizationalUnits`;
  if (scope.include !== undefined && !chain.some((id) => scope.include?.includes(id))) return `in ${where}, outside enrollment.organizationalUnits`;
  return undefined;
}

/**
 * The scope's OUs and accounts that the organization does not have: a typo would silently
 * enroll nothing, or everything.
 */
export function scopeIssues(scope: EnrollmentScope, tree: OrganizationTree | undefined, listedAccountIds: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (tree !== undefined) {
    const known = [...tree.roots.keys(), ...tree.units.keys()];
    const name = (id: string) => ` (${unitPath(id, tree)})`;
    const check = (field: string, ids: readonly string[]) =>
      ids.forEach((id, index) => {
        if (tree.units.has(id) || tree.roots.has(id)) return;
        const suggestion = closest(id, known);
        issues.push({
          path: `enrollment.${field}[${index}]`,
          problem: 'names no OU or root of the organization',
          value: id,
          fix: suggestion ? `did you mean "${suggestion}"${name(suggestion)}?` : `use the ID of one of: ${known.slice(0, 10).map((k) => `${k}${name(k)}`).join(', ')}`,
        });
      });
    check('organizationalUnits', scope.include ?? []);
    check('excludeOrganizationalUnits', scope.excludeUnits);
  }
  scope.excludeAccounts.forEach((id, index) => {
    if (listedAccountIds.includes(id)) return;
    const suggestion = closest(id, listedAccountIds);
    issues.push({
      path: `enrollment.excludeAccounts[${index}]`,
      problem: 'is no account of the organization',
      value: id,
      fix: suggestion ? `did you mean "${suggestion}"?` : 'remove it: the organization lists no account with this ID',
    });
  });
  return issues;
}
