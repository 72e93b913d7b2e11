/**
 * Statement-level diff of two IAM policy documents, each change classified as widening,
 * narrowing or neutral for a security reviewer. Pure: no I/O, no cdktf.
 *
 * Documents are read, and IAM wildcards matched, as the security rule table does
 * (rules/statements.ts). Values are compared as sets, so reordering a statement's actions is
 * no change at all. `${...}` (Terraform interpolations such as
 * `${aws_kms_key.trail-key_key.arn}`, and IAM policy variables) are opaque text: never
 * wildcards, never resolved.
 */

import { hasWildcard as holdsWildcard, parsePolicyDocument, type Principal, type Statement as ParsedStatement, wildcardMatch } from '../../rules/statements';

export type Classification = 'widening' | 'narrowing' | 'neutral';

export type StatementField = 'Principal' | 'NotPrincipal' | 'Action' | 'NotAction' | 'Resource' | 'NotResource';

export type ChangeKind =
  | 'statement-added'
  | 'statement-removed'
  | 'values-added'
  | 'values-removed'
  | 'condition-added'
  | 'condition-removed'
  | 'sid-renamed'
  | 'reordered'
  | 'version-changed'
  | 'reformatted'
  | 'unanalysable';

/** A statement as the report shows it: every value a flat, sorted string list. */
export interface StatementSummary {
  Sid?: string;
  Effect: string;
  Principal?: string[];
  NotPrincipal?: string[];
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  /** `Operator key = value` */
  Condition?: string[];
}

export interface PolicyChange {
  classification: Classification;
  kind: ChangeKind;
  /** The statement's Sid, or `#n` (1-based, in the document that has it) without one. */
  statement?: string;
  effect?: string;
  field?: StatementField | 'Condition';
  /** For condition changes: `Operator key`, e.g. `StringEquals aws:SourceArn`. */
  condition?: string;
  values?: string[];
  /**
   * Grants through a wildcard: an added value holds `*` or `?` (outside `${...}`); for a new
   * statement, a wildcard action, or `*` as the whole principal or resource.
   */
  wildcard?: boolean;
  /** statement-added / statement-removed: the whole statement. */
  detail?: StatementSummary;
  before?: string;
  after?: string;
  note?: string;
}

const FIELDS: StatementField[] = ['Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource'];

interface Statement {
  index: number;
  sid?: string;
  effect: string;
  values: Record<StatementField, string[]>;
  /** `Operator|lowercased key` → values; keys are case-insensitive in IAM, operators are not. */
  conditions: Map<string, { label: string; values: string[] }>;
}

interface Document {
  version?: string;
  statements: Statement[];
}

/** Widening beats narrowing beats neutral: the classification a reviewer must act on. */
export function strongest(classifications: Iterable<Classification>): Classification {
  let result: Classification = 'neutral';
  for (const classification of classifications) {
    if (classification === 'widening') return 'widening';
    if (classification === 'narrowing') result = 'narrowing';
  }
  return result;
}

/**
 * Changes from `before` to `after`, each a policy attribute's value (a JSON string or an
 * object), or undefined where the document does not exist.
 */
export function diffPolicies(before: unknown, after: unknown): PolicyChange[] {
  if (before === undefined && after === undefined) return [];
  const old = before === undefined ? { version: undefined, statements: [] } : parseDocument(before);
  const now = after === undefined ? { version: undefined, statements: [] } : parseDocument(after);
  if (old === undefined || now === undefined) {
    if (text(before) === text(after)) return [];
    // Not literal JSON (a whole-document interpolation such as `${data.x.json}`): whatever
    // it grants is invisible here, so a reviewer has to look.
    return [
      {
        classification: 'widening',
        kind: 'unanalysable',
        before: before === undefined ? undefined : text(before),
        after: after === undefined ? undefined : text(after),
        note: 'not a literal IAM policy document: compare it by hand',
      },
    ];
  }
  const changes = diffDocuments(old, now);
  if (changes.length === 0 && before !== undefined && after !== undefined && text(before) !== text(after)) {
    return [{ classification: 'neutral', kind: 'reformatted', note: 'same statements, different JSON text' }];
  }
  return changes;
}

function diffDocuments(old: Document, now: Document): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (old.statements.length > 0 && now.statements.length > 0 && old.version !== now.version) {
    changes.push({ classification: 'neutral', kind: 'version-changed', before: old.version, after: now.version });
  }
  const pairs = matchStatements(old.statements, now.statements);
  const matchedOld = new Set(pairs.map(([a]) => a));
  const matchedNew = new Set(pairs.map(([, b]) => b));

  const byNewIndex = [...pairs].sort(([, a], [, b]) => a.index - b.index);
  if (byNewIndex.some(([a], i) => i > 0 && a.index < byNewIndex[i - 1][0].index)) {
    changes.push({ classification: 'neutral', kind: 'reordered', note: 'statement order has no effect in IAM' });
  }
  for (const [a, b] of byNewIndex) changes.push(...diffStatement(a, b));
  for (const statement of old.statements) {
    if (matchedOld.has(statement)) continue;
    changes.push({
      classification: statement.effect === 'Deny' ? 'widening' : 'narrowing',
      kind: 'statement-removed',
      statement: label(statement),
      effect: statement.effect,
      detail: summarize(statement),
    });
  }
  for (const statement of now.statements) {
    if (matchedNew.has(statement)) continue;
    changes.push({
      classification: statement.effect === 'Deny' ? 'narrowing' : 'widening',
      kind: 'statement-added',
      statement: label(statement),
      effect: statement.effect,
      // Only the broad wildcards: a new statement scoped to `bucket/AWSLogs/*` is the norm.
      ...(statement.effect !== 'Deny' &&
      (hasWildcard(statement.values.Action) || [...statement.values.Principal, ...statement.values.Resource].includes('*'))
        ? { wildcard: true }
        : {}),
      detail: summarize(statement),
    });
  }
  return changes;
}

/**
 * Pairs the statements that are "the same statement" in both documents: by Sid (with the
 * same Effect); then, for the rest, by Effect + Principal + Action; then by Effect with two
 * of Principal, Action and Resource, so that a statement without a Sid that gains a
 * resource or a principal reads as that change, not as one statement removed and another
 * added.
 */
function matchStatements(old: Statement[], now: Statement[]): Array<[Statement, Statement]> {
  const pairs: Array<[Statement, Statement]> = [];
  const restOld = new Set(old);
  const restNew = new Set(now);
  const pairBy = (key: (statement: Statement) => string | undefined): void => {
    for (const a of restOld) {
      const k = key(a);
      if (k === undefined) continue;
      const b = [...restNew].find((candidate) => key(candidate) === k);
      if (!b) continue;
      pairs.push([a, b]);
      restOld.delete(a);
      restNew.delete(b);
    }
  };
  pairBy((s) => (s.sid === undefined ? undefined : `${s.effect}|${s.sid}`));
  const fieldsKey = (fields: StatementField[]) => (s: Statement) =>
    [s.effect, ...fields.map((field) => keysOf(field, s.values[field]).sort().join(','))].join('|');
  pairBy(fieldsKey(['Principal', 'NotPrincipal', 'Action', 'NotAction']));
  pairBy(fieldsKey(['Principal', 'NotPrincipal', 'Resource', 'NotResource']));
  pairBy(fieldsKey(['Action', 'NotAction', 'Resource', 'NotResource']));
  return pairs;
}

function diffStatement(a: Statement, b: Statement): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const statement = label(b);
  const effect = b.effect;
  if (a.sid !== b.sid) {
    changes.push({ classification: 'neutral', kind: 'sid-renamed', statement, effect, before: a.sid ?? '(none)', after: b.sid ?? '(none)' });
  }
  for (const field of FIELDS) {
    // +1: adding a value grants more (an Allow's Action); -1: it grants less (a Deny's
    // Action, an Allow's NotAction).
    const polarity = (effect === 'Deny' ? -1 : 1) * (field.startsWith('Not') ? -1 : 1);
    const coverage = field === 'Principal' || field === 'NotPrincipal' ? principalCovers : patternCovers(field);
    changes.push(...diffValues(a.values[field], b.values[field], polarity, coverage, keyFor(field), { statement, effect, field }));
  }
  for (const [key, { label: condition, values }] of a.conditions) {
    const after = b.conditions.get(key);
    if (after) {
      // Values under one key are alternatives: more of them match more requests, unless
      // the operator is negated (StringNotEquals: more values match fewer).
      const negated = /Not/.test(key.split('|')[0]);
      const polarity = (effect === 'Deny' ? -1 : 1) * (negated ? -1 : 1);
      const like = /Like/.test(key.split('|')[0]);
      changes.push(
        ...diffValues(values, after.values, polarity, like ? globCovers(false) : () => false, (v) => v, {
          statement,
          effect,
          field: 'Condition',
          condition,
        }),
      );
    } else {
      changes.push({
        classification: effect === 'Deny' ? 'narrowing' : 'widening',
        kind: 'condition-removed',
        statement,
        effect,
        field: 'Condition',
        condition,
        values,
      });
    }
  }
  for (const [key, { label: condition, values }] of b.conditions) {
    if (a.conditions.has(key)) continue;
    changes.push({
      classification: effect === 'Deny' ? 'widening' : 'narrowing',
      kind: 'condition-added',
      statement,
      effect,
      field: 'Condition',
      condition,
      values,
    });
  }
  return changes;
}

type Covers = (pattern: string, value: string) => boolean;

function diffValues(
  before: string[],
  after: string[],
  polarity: number,
  covers: Covers,
  key: (value: string) => string,
  where: Pick<PolicyChange, 'statement' | 'effect' | 'field' | 'condition'>,
): PolicyChange[] {
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  const added = after.filter((value) => !beforeKeys.has(key(value)));
  const removed = before.filter((value) => !afterKeys.has(key(value)));
  const changes: PolicyChange[] = [];
  if (added.length > 0) {
    // A value already matched by one of the old patterns (s3:GetObject next to s3:Get*)
    // grants nothing new.
    const uncovered = added.filter((value) => !before.some((pattern) => covers(pattern, value)));
    changes.push({
      classification: uncovered.length === 0 ? 'neutral' : polarity > 0 ? 'widening' : 'narrowing',
      kind: 'values-added',
      ...where,
      values: added,
      ...(polarity > 0 && hasWildcard(uncovered) ? { wildcard: true } : {}),
      ...(uncovered.length < added.length ? { note: `already covered: ${added.filter((v) => !uncovered.includes(v)).join(', ')}` } : {}),
    });
  }
  if (removed.length > 0) {
    const uncovered = removed.filter((value) => !after.some((pattern) => covers(pattern, value)));
    changes.push({
      classification: uncovered.length === 0 ? 'neutral' : polarity > 0 ? 'narrowing' : 'widening',
      kind: 'values-removed',
      ...where,
      values: removed,
      ...(uncovered.length < removed.length ? { note: `still covered: ${removed.filter((v) => !uncovered.includes(v)).join(', ')}` } : {}),
    });
  }
  return changes;
}

function keyFor(field: StatementField): (value: string) => string {
  // IAM action names are case-insensitive; ARNs and principals are not.
  return field === 'Action' || field === 'NotAction' ? (value) => value.toLowerCase() : (value) => value;
}

function keysOf(field: StatementField, values: string[]): string[] {
  return values.map(keyFor(field));
}

function patternCovers(field: StatementField): Covers {
  return globCovers(field === 'Action' || field === 'NotAction');
}

/** Principals take no wildcards but `*` itself. */
function principalCovers(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value;
}

/** Whether every string `value` can match is matched by `pattern` (IAM `*` and `?`). */
function globCovers(ignoreCase: boolean): Covers {
  return (pattern, value) => wildcardMatch(pattern, value, { ignoreCase });
}

function hasWildcard(values: string[]): boolean {
  return values.some(holdsWildcard);
}

function label(statement: Statement): string {
  return statement.sid ?? `#${statement.index + 1}`;
}

function summarize(statement: Statement): StatementSummary {
  const summary: StatementSummary = { ...(statement.sid === undefined ? {} : { Sid: statement.sid }), Effect: statement.effect };
  for (const field of FIELDS) if (statement.values[field].length > 0) summary[field] = [...statement.values[field]].sort();
  const conditions = [...statement.conditions.values()].flatMap(({ label: condition, values }) =>
    values.map((value) => `${condition} = ${value}`),
  );
  if (conditions.length > 0) summary.Condition = conditions.sort();
  return summary;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The document in a policy attribute, or undefined when it is not literal policy JSON. */
function parseDocument(value: unknown): Document | undefined {
  try {
    const document = parsePolicyDocument(value);
    return { version: document.version, statements: document.Statement.map(toStatement) };
  } catch {
    return undefined;
  }
}

/** A parsed statement as the diff compares it: each element a set of strings, conditions by `Operator|key`. */
function toStatement(parsed: ParsedStatement): Statement {
  const conditions = new Map<string, { label: string; values: string[] }>();
  for (const { operator, key, values } of parsed.conditions) conditions.set(`${operator}|${key.toLowerCase()}`, { label: `${operator} ${key}`, values });
  return {
    index: parsed.index,
    ...(parsed.sid === undefined ? {} : { sid: parsed.sid }),
    effect: parsed.effect,
    values: {
      Principal: principals(parsed.principals),
      NotPrincipal: principals(parsed.notPrincipals),
      Action: parsed.actions,
      NotAction: parsed.notActions,
      Resource: parsed.resources,
      NotResource: parsed.notResources,
    },
    conditions,
  };
}

/** `"*"` and `{"AWS": "*"}` are the same principal: anyone. */
function principals(parsed: Principal[]): string[] {
  return [...new Set(parsed.map(({ type, id }) => (type === '*' || (type === 'AWS' && id === '*') ? '*' : `${type}:${id}`)))];
}
