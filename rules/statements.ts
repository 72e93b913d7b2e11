/**
 * IAM policy documents as the rule table and the diff both read them: one parser and one
 * wildcard matcher. A statement says who (principal), may do what (action), to what
 * (resource), when (condition). Matching follows IAM's policy grammar: action names and
 * condition keys are case-insensitive, ARNs are not, `*` and `?` are wildcards
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
 * `${...}` (a Terraform reference such as `${aws_kms_key.trail-key_key.arn}`, or an IAM policy
 * variable) is opaque text: never a wildcard, never resolved.
 */
import { DuplicateKeyError, isObject, parseJson } from '../config/json';
import { escapeRegExp } from './regexp';

/** The attribute holds no literal IAM policy document: not JSON, or not a policy. */
export class PolicyDocumentError extends Error {
  override readonly name = 'PolicyDocumentError';
}

/** One principal of a Principal or NotPrincipal element: `{ type: 'AWS', id: 'arn:...' }`; `Principal: "*"` is `{ type: '*', id: '*' }`. */
export interface Principal {
  type: string;
  id: string;
}

export interface Condition {
  operator: string;
  /** As written; IAM compares condition keys case-insensitively. */
  key: string;
  values: string[];
}

export interface Statement {
  /** Position in the document, from 0. */
  index: number;
  sid?: string;
  /** `statement "Sid"`, or the statement's position: to name it in a message only. */
  label: string;
  /** What the statement does: anything but `Deny` is read as the more dangerous `Allow`. */
  effect: 'Allow' | 'Deny';
  principals: Principal[];
  notPrincipals: Principal[];
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  conditions: Condition[];
  /** `Principal: "*"` or `{ AWS: "*" }`: every principal of every account. */
  everyone: boolean;
  /** AWS principals (account roots, bare account IDs, roles, ...) other than `*`. */
  awsPrincipals: string[];
  services: string[];
  federated: string[];
  /** S3's canonical user IDs: each names an AWS account, not one of this stack's. */
  canonicalUsers: string[];
  /** The elements the statement grants by exclusion (NotPrincipal, NotAction, NotResource). */
  negated: string[];
  /** Whether one of the statement's action patterns covers `action` (e.g. `s3:*` covers `s3:GetObject`). */
  allows(action: string): boolean;
  /** The values of `key` under `operator`, if the statement tests it. */
  condition(operator: string, key: string): string[] | undefined;
  /** Every operator under which `key` is tested. */
  operatorsOf(key: string): string[];
}

export interface PolicyDocument {
  version?: string;
  Statement: Statement[];
}

/**
 * The IAM document in a policy attribute: a JSON string as Terraform holds it (its `$${` and
 * `%%{` escapes undone: https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences),
 * or an object. Throws PolicyDocumentError when it is no literal policy document: not JSON, a
 * key given twice (AWS would read one of them, JSON.parse the last), or no statement.
 */
export function parsePolicyDocument(value: unknown): PolicyDocument {
  let raw: unknown = value;
  if (typeof value === 'string') {
    try {
      raw = parseJson(value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
    } catch (error) {
      throw new PolicyDocumentError(`is not a JSON policy document: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!isObject(raw) || raw.Statement === undefined) throw new PolicyDocumentError('is not a policy document: it has no Statement');
  const statements = [raw.Statement].flat();
  if (!statements.every(isObject)) throw new PolicyDocumentError('is not a policy document: a statement is not an object');
  return { version: typeof raw.Version === 'string' ? raw.Version : undefined, Statement: statements.map(toStatement) };
}

/**
 * Whether a string attribute holds an IAM policy document: a JSON object with a Statement, or
 * one that repeats a key (a document that hides a grant is still a document, an unreadable one).
 */
export function isPolicyDocumentText(value: string): boolean {
  if (!value.trimStart().startsWith('{')) return false;
  try {
    parsePolicyDocument(value);
    return true;
  } catch (error) {
    return error instanceof PolicyDocumentError && error.cause instanceof DuplicateKeyError;
  }
}

/** An element's values as strings, each once: a single value is a list of one. */
function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  const found: string[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    const text = typeof item === 'string' ? item : JSON.stringify(item);
    if (!found.includes(text)) found.push(text);
  }
  return found;
}

function principalsOf(value: unknown): Principal[] {
  if (value === undefined) return [];
  if (!isObject(value)) return strings(value).map((id) => (id === '*' ? { type: '*', id } : { type: 'AWS', id }));
  return Object.entries(value).flatMap(([type, ids]) => strings(ids).map((id) => ({ type, id })));
}

function toStatement(raw: Record<string, unknown>, index: number): Statement {
  const principals = principalsOf(raw.Principal);
  const ofType = (type: string) => principals.filter((p) => p.type === type).map((p) => p.id);
  const actions = strings(raw.Action);
  const conditions: Condition[] = [];
  if (isObject(raw.Condition)) {
    for (const [operator, byKey] of Object.entries(raw.Condition)) {
      if (isObject(byKey)) for (const [key, values] of Object.entries(byKey)) conditions.push({ operator, key, values: strings(values) });
    }
  }
  const tested = (key: string) => conditions.filter((c) => c.key.toLowerCase() === key.toLowerCase());
  const sid = typeof raw.Sid === 'string' && raw.Sid !== '' ? raw.Sid : undefined;
  return {
    index,
    sid,
    label: sid === undefined ? `statement ${index + 1}` : `statement "${sid}"`,
    effect: raw.Effect === 'Deny' ? 'Deny' : 'Allow',
    principals,
    notPrincipals: principalsOf(raw.NotPrincipal),
    actions,
    notActions: strings(raw.NotAction),
    resources: strings(raw.Resource),
    notResources: strings(raw.NotResource),
    conditions,
    everyone: principals.some((p) => p.type === '*' || (p.type === 'AWS' && p.id === '*')),
    awsPrincipals: ofType('AWS').filter((p) => p !== '*'),
    services: ofType('Service'),
    federated: ofType('Federated'),
    canonicalUsers: ofType('CanonicalUser'),
    negated: ['NotPrincipal', 'NotAction', 'NotResource'].filter((element) => raw[element] !== undefined),
    allows: (action) => actions.some((pattern) => wildcardMatch(pattern, action, { ignoreCase: true })),
    condition: (operator, key) => tested(key).find((c) => c.operator === operator)?.values,
    operatorsOf: (key) => tested(key).map((c) => c.operator),
  };
}

/** Splits `${...}` (braces balanced) from the literal text around it. */
export function segments(value: string): Array<{ text: string; opaque: boolean }> {
  const parts: Array<{ text: string; opaque: boolean }> = [];
  let literal = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('${', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < value.length; j++) {
        if (value[j] === '{') depth++;
        else if (value[j] === '}' && --depth === 0) break;
      }
      if (j < value.length) {
        if (literal) parts.push({ text: literal, opaque: false });
        literal = '';
        parts.push({ text: value.slice(i, j + 1), opaque: true });
        i = j + 1;
        continue;
      }
    }
    literal += value[i++];
  }
  if (literal) parts.push({ text: literal, opaque: false });
  return parts;
}

/** Whether `value` holds an IAM wildcard (`*` or `?`) outside `${...}`. */
export function hasWildcard(value: string): boolean {
  return segments(value).some(({ text, opaque }) => !opaque && /[*?]/.test(text));
}

const compiled = new Map<string, RegExp>();

/**
 * IAM wildcard match: whether `pattern` (`*` any run of characters, `?` one) matches every
 * string `value` stands for. For a literal value that is plain matching; a `*` in `value`
 * itself (a pattern compared with a pattern) is matched only by a `*` of `pattern`, so that
 * `s3:Get*` covers `s3:GetObject*` but `s3:Get?` does not.
 */
export function wildcardMatch(pattern: string, value: string, { ignoreCase }: { ignoreCase: boolean }): boolean {
  const id = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = compiled.get(id);
  if (!regex) {
    const source = segments(pattern)
      .map(({ text, opaque }) => (opaque ? escapeRegExp(text) : text.split(/([*?])/).map((part) => (part === '*' ? '.*' : part === '?' ? '[^*]' : escapeRegExp(part))).join('')))
      .join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    compiled.set(id, regex);
  }
  return regex.test(value);
}

/** The 12-digit account of an IAM principal ARN (`arn:aws:iam::<account>:...`), or a bare account ID. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[a-z-]+:(?:iam|sts)::(\d{12}|\*):/.exec(principal)?.[1];
}
