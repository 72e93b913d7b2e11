/**
 * IAM policy statements as the rules reason on them: who (principal), may do what (action), to
 * what (resource), when (condition). Matching follows IAM's policy grammar: action names and
 * condition keys are case-insensitive, `*` and `?` are wildcards in actions
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 */
import { CheckInputError } from './errors';
import { escapeRegExp } from './regexp';

export interface Statement {
  /** `Sid "X"`, or the statement's position: to name it in a message only. */
  label: string;
  effect: 'Allow' | 'Deny';
  /** `Principal: "*"` or `{ AWS: "*" }`: every principal of every account. */
  everyone: boolean;
  /** AWS principals (account roots, roles, ...) other than `*`. */
  awsPrincipals: string[];
  services: string[];
  federated: string[];
  /** The statement uses NotPrincipal, NotAction or NotResource, which grant by exclusion. */
  negated: string[];
  actions: string[];
  resources: string[];
  /** Operator → condition key (lower case) → values. */
  conditions: Record<string, Record<string, string[]>>;
  /** Whether one of the statement's action patterns covers `action` (e.g. `s3:*` covers `s3:GetObject`). */
  allows(action: string): boolean;
  /** The values of `key` under `operator`, if the statement tests it. */
  condition(operator: string, key: string): string[] | undefined;
  /** Every operator under which `key` is tested. */
  operatorsOf(key: string): string[];
}

export interface PolicyDocument {
  Statement: Statement[];
}

const list = (value: unknown): string[] => (value === undefined ? [] : [value].flat().map(String));

/** IAM wildcard match: `*` any run of characters, `?` one; case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern.split(/([*?])/).map((part) => (part === '*' ? '.*' : part === '?' ? '.' : escapeRegExp(part))).join('');
  return new RegExp(`^${source}$`, 'i').test(value);
}

export function toStatements(document: unknown, where: string): Statement[] {
  const raw = (document as { Statement?: unknown } | null)?.Statement;
  if (raw === undefined) throw new CheckInputError(`${where}: the policy has no Statement`);
  return [raw].flat().map((statement, index) => toStatement(statement as Record<string, unknown>, index));
}

function toStatement(raw: Record<string, unknown>, index: number): Statement {
  const principal = raw.Principal as unknown;
  const byKind = (kind: string) => (typeof principal === 'object' && principal !== null ? list((principal as Record<string, unknown>)[kind]) : []);
  const aws = byKind('AWS');
  const actions = list(raw.Action);
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const [operator, byKey] of Object.entries((raw.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    conditions[operator] = Object.fromEntries(Object.entries(byKey).map(([key, value]) => [key.toLowerCase(), list(value)]));
  }
  return {
    label: typeof raw.Sid === 'string' ? `statement "${raw.Sid}"` : `statement ${index + 1}`,
    effect: raw.Effect === 'Deny' ? 'Deny' : 'Allow',
    everyone: principal === '*' || aws.includes('*'),
    awsPrincipals: aws.filter((p) => p !== '*'),
    services: byKind('Service'),
    federated: byKind('Federated'),
    negated: ['NotPrincipal', 'NotAction', 'NotResource'].filter((element) => raw[element] !== undefined),
    actions,
    resources: list(raw.Resource),
    conditions,
    allows: (action) => actions.some((pattern) => wildcardMatch(pattern, action)),
    condition: (operator, key) => conditions[operator]?.[key.toLowerCase()],
    operatorsOf: (key) => Object.keys(conditions).filter((operator) => conditions[operator][key.toLowerCase()] !== undefined),
  };
}

/** The 12-digit account of an IAM principal ARN (`arn:aws:iam::<account>:...`), or a bare account ID. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[a-z-]+:(?:iam|sts)::(\d{12}|\*):/.exec(principal)?.[1];
}

/**
 * Conditions that narrow `Principal: "*"` to principals the owner knows: its organization,
 * named accounts, or named principal ARNs (all values exact, or ARN patterns with a fixed
 * account). A condition on the transport, the source IP or a tag does not say who calls.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 */
export function narrowsToKnownPrincipals(statement: Statement): boolean {
  const exact = (key: string, valid: RegExp) => {
    const values = statement.condition('StringEquals', key);
    return values !== undefined && values.length > 0 && values.every((v) => valid.test(v));
  };
  if (exact('aws:PrincipalOrgID', /^o-[a-z0-9]{10,32}$/)) return true;
  if (exact('aws:PrincipalAccount', /^\d{12}$/)) return true;
  return ['ArnEquals', 'ArnLike', 'StringEquals', 'StringLike'].some((operator) => {
    const arns = statement.condition(operator, 'aws:PrincipalArn');
    return arns !== undefined && arns.length > 0 && arns.every((arn) => /^\d{12}$/.test(principalAccount(arn) ?? ''));
  });
}
