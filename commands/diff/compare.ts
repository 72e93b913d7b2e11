/**
 * Compares two synthesized trees (stack name → parsed `cdk.tf.json`) the way Terraform would
 * act on them: resources by address (`type.name`), renamed addresses as destroy + create,
 * and every IAM document statement by statement (policy-diff.ts). Pure: no I/O.
 */
import { isObject } from '../../config/json';
import { lambdaPermissionDocument } from '../../policies/lambda-permission';
import { escapeRegExp } from '../../rules/regexp';
import { isPolicyDocumentText, parsePolicyDocument } from '../../rules/statements';
import forcesReplacementData from './forces-replacement.json';
import { diffPolicies, strongest, type Classification, type PolicyChange } from './policy-diff';
import { POLICY_ATTRIBUTES } from '../../stacks/policy-json';

export type TerraformJson = Record<string, unknown>;
export type StackTree = Record<string, TerraformJson>;

export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'move';

export interface AttributeChange {
  /** `bucket`, `rule[0].expiration[0].days`, `provider.aws[0].region`. */
  path: string;
  /** Absent when the attribute did not exist before. */
  before?: unknown;
  /** Absent when the attribute no longer exists. */
  after?: unknown;
  /** An IAM document attribute: its change is in the stack's `policies`, statement by statement. */
  document?: true;
}

export interface ResourceChange {
  address: string;
  action: ResourceAction;
  /** replace (address changed) and move: the address in the base revision. */
  previousAddress?: string;
  /** replace: the attributes that force it when the address is unchanged. */
  forcedBy?: string[];
  /**
   * replace, when nothing of its own forces it: `forcedBy` refers to a value of these resources
   * (`aws_iam_role.datadog-role_role.name`) that their own replacement or update changes, and a
   * changed value of a replace-forcing argument replaces the resource. Terraform plans both.
   */
  replacedWith?: string[];
  /** update, replace and move: what differs (empty for create and delete). */
  attributes: AttributeChange[];
  /** delete and replace: the base resource has `lifecycle.prevent_destroy`, so apply will fail. */
  preventDestroy?: true;
}

export interface DocumentDiff {
  /** `address.attribute`, or `address (permission)` for a Lambda permission's pseudo-statement. */
  document: string;
  address: string;
  /** The base revision's address when the resource was renamed or moved. */
  previousAddress?: string;
  status: 'added' | 'removed' | 'changed';
  classification: Classification;
  changes: PolicyChange[];
}

export interface StackCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  move: number;
  widening: number;
  narrowing: number;
  neutral: number;
}

export interface StackDiff {
  name: string;
  /** The stack's AWS account (its provider's allowed_account_ids), when it names one. */
  accountId?: string;
  /** The external ID its IAM roles' trust policies require (`sts:ExternalId`), when they name exactly one. */
  externalId?: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  counts: StackCounts;
  resources: ResourceChange[];
  /** Changes outside `resource`: provider, backend, data sources, outputs. */
  settings: AttributeChange[];
  policies: DocumentDiff[];
}

export interface TreeDiff {
  stacks: StackDiff[];
  /** Stacks whose synthesized Terraform differs (added or changed): the ones to plan. */
  changedStacks: string[];
  /** Why a security review is needed; empty when none is. */
  reviewReasons: string[];
}

/**
 * Attributes whose change makes Terraform destroy and re-create the resource, for the types
 * the stacks use: as the AWS provider the stacks pin answers it in offline plans
 * (forces-replacement.ts, which regenerates the file).
 */
const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = forcesReplacementData.forcesReplacement;

/**
 * Attributes that are unknown until the resource exists (`arn`, `id`, ...), as the same
 * provider plans a new resource (`after_unknown`): a replaced resource has new values there.
 */
const UNKNOWN_ON_CREATE: Readonly<Record<string, readonly string[]>> = forcesReplacementData.unknownOnCreate;

const COMMENT_KEY = '//';
/** The pseudo-attribute of a Lambda permission's statement. */
const PERMISSION = '(permission)';

type Json = Record<string, unknown>;

export function compareTrees(base: StackTree, head: StackTree): TreeDiff {
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  const stacks = names.map((name) => compareStack(name, base[name], head[name]));
  return {
    stacks,
    changedStacks: stacks.filter((s) => s.status === 'added' || s.status === 'changed').map((s) => s.name),
    reviewReasons: stacks.flatMap(reviewReasons),
  };
}

/** 0: nothing for a security reviewer; 2: something widens, is destroyed or is replaced. */
export function exitCodeFor(diff: TreeDiff): 0 | 2 {
  return diff.reviewReasons.length > 0 ? 2 : 0;
}

function compareStack(name: string, base: TerraformJson | undefined, head: TerraformJson | undefined): StackDiff {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const { resources, before: moved, renames } = compareResources(before, after, movesOf(head));
  const settings: AttributeChange[] = [];
  if (base && head) changedPaths(withoutResources(base), withoutResources(head), '', settings);
  // A removed stack's documents are not revoked by anything: Terraform no longer runs there.
  const policies = head ? comparePolicies(moved, after, renames) : [];
  const status = !base ? 'added' : !head ? 'removed' : resources.length + settings.length > 0 ? 'changed' : 'unchanged';
  const externalId = externalIdOf(head ?? base);
  return {
    name,
    accountId: accountOf(head ?? base),
    ...(externalId === undefined ? {} : { externalId }),
    status,
    counts: count(resources, policies),
    resources,
    settings,
    policies,
  };
}

function accountOf(stack: TerraformJson | undefined): string | undefined {
  const provider = (stack?.provider as { aws?: Array<{ allowed_account_ids?: string[] }> } | undefined)?.aws;
  return [provider].flat()[0]?.allowed_account_ids?.[0];
}

/** The one `sts:ExternalId` value of the stack's role trust policies, if they name exactly one. */
function externalIdOf(stack: TerraformJson | undefined): string | undefined {
  const ids = new Set<string>();
  for (const [address, resource] of Object.entries(resourcesOf(stack))) {
    if (typeOf(address) !== 'aws_iam_role' || typeof resource.assume_role_policy !== 'string') continue;
    try {
      for (const statement of parsePolicyDocument(resource.assume_role_policy).Statement) {
        for (const id of statement.condition('StringEquals', 'sts:ExternalId') ?? []) ids.add(id);
      }
    } catch {
      // not a literal policy document (an interpolation): no literal ID to read
    }
  }
  return ids.size === 1 ? [...ids][0] : undefined;
}

function count(resources: ResourceChange[], policies: DocumentDiff[]): StackCounts {
  const counts: StackCounts = { create: 0, update: 0, delete: 0, replace: 0, move: 0, widening: 0, narrowing: 0, neutral: 0 };
  for (const resource of resources) counts[resource.action]++;
  for (const change of policies.flatMap((p) => p.changes)) counts[change.classification]++;
  return counts;
}

function reviewReasons(stack: StackDiff): string[] {
  return stackReviewReasons(stack).map((reason) => `${stack.name}: ${reason.text}`);
}

/** One reason for a security review. */
export interface ReviewReason {
  /** What kind of change, in words for a headline: `IAM permissions widen`, `shorter log retention`. */
  topic: string;
  /** The change itself, without the stack's name: `aws_s3_bucket.logs_bucket is replaced (destroy + create)`. */
  text: string;
}

/** Headline topics, most serious first. */
export const REVIEW_TOPICS = {
  stackRemoved: 'stack removed from the config',
  destroyed: 'resource destroyed',
  replaced: 'resource replaced (destroy + create)',
  widens: 'IAM permissions widen',
} as const;

/** Why one stack's change needs a security review. */
export function stackReviewReasons(stack: StackDiff): ReviewReason[] {
  if (stack.status === 'removed') {
    return [{ topic: REVIEW_TOPICS.stackRemoved, text: `stack removed; its ${stack.counts.delete} resource(s) are no longer managed by this code` }];
  }
  const reasons: ReviewReason[] = [];
  for (const resource of stack.resources) {
    if (resource.action === 'delete') reasons.push({ topic: REVIEW_TOPICS.destroyed, text: `${resource.address} is destroyed` });
    if (resource.action === 'replace') {
      const along = resource.replacedWith ? ` with ${resource.replacedWith.join(', ')}` : '';
      reasons.push({ topic: REVIEW_TOPICS.replaced, text: `${resource.address} is replaced (destroy + create)${along}` });
    }
  }
  for (const policy of stack.policies) {
    const widening = policy.changes.filter((c) => c.classification === 'widening').length;
    if (widening > 0) reasons.push({ topic: REVIEW_TOPICS.widens, text: `${policy.document} widens (${widening} change(s))` });
  }
  for (const resource of stack.resources) {
    if (resource.action !== 'update' && resource.action !== 'replace') continue;
    const type = resource.address.split('.')[0];
    for (const change of resource.attributes) {
      const weakening = DATA_PROTECTION.find((rule) => rule.type === type && rule.path.test(change.path) && rule.weakens(change.before, change.after));
      if (weakening) {
        reasons.push({
          topic: weakening.topic,
          text: `${resource.address} ${weakening.what} (${change.path}: ${show(change.before)} → ${show(change.after)})`,
        });
      }
    }
  }
  return reasons;
}

const show = (value: unknown): string => (value === undefined ? '(unset)' : JSON.stringify(value));
const days = (value: unknown): number => (typeof value === 'number' ? value : Number.POSITIVE_INFINITY);
const isTrue = (value: unknown): boolean => value === true || value === 'true';

/**
 * Changes that weaken how the audit logs are kept, a review reason like a widening policy:
 * a trail that records less, logs kept for less time or less protected.
 */
const DATA_PROTECTION: Array<{ type: string; path: RegExp; what: string; topic: string; weakens: (before: unknown, after: unknown) => boolean }> = [
  // A missing expiration keeps objects forever; CloudWatch's 0 means never expire.
  { type: 'aws_s3_bucket_lifecycle_configuration', path: /(^|\.)(days|noncurrent_days)$/, what: 'keeps logs for less time', topic: 'shorter log retention', weakens: (b, a) => days(a) < days(b) },
  { type: 'aws_cloudwatch_log_group', path: /^retention_in_days$/, what: 'keeps logs for less time', topic: 'shorter log retention', weakens: (b, a) => days(a || undefined) < days(b || undefined) },
  { type: 'aws_s3_bucket_versioning', path: /versioning_configuration\[0\]\.status$/, what: 'turns versioning off', topic: 'bucket versioning off', weakens: (b, a) => b === 'Enabled' && a !== 'Enabled' },
  { type: 'aws_s3_bucket_logging', path: /^target_bucket$/, what: 'turns access logging off', topic: 'access logging off', weakens: (b, a) => b !== undefined && a === undefined },
  { type: 'aws_cloudtrail', path: /^enable_log_file_validation$/, what: 'turns log file validation off', topic: 'log file validation off', weakens: (b, a) => isTrue(b) && !isTrue(a) },
  { type: 'aws_cloudtrail', path: /^is_multi_region_trail$/, what: 'stops logging other regions', topic: 'other regions no longer logged', weakens: (b, a) => isTrue(b) && !isTrue(a) },
  { type: 'aws_cloudtrail', path: /^include_global_service_events$/, what: 'stops logging global service events', topic: 'global service events no longer logged', weakens: (b, a) => isTrue(b) && !isTrue(a) },
  { type: 'aws_cloudtrail', path: /^enable_logging$/, what: 'stops logging', topic: 'trail logging stopped', weakens: (b, a) => b !== false && a === false },
  { type: 'aws_cloudtrail', path: /^kms_key_id$/, what: 'stops encrypting logs with KMS', topic: 'trail logs no longer encrypted with KMS', weakens: (b, a) => b !== undefined && a === undefined },
  { type: 'aws_cloudtrail', path: /^(advanced_)?event_selector\b/, what: 'changes which events it records (it may record fewer)', topic: 'trail event selectors changed', weakens: (b) => b !== undefined },
  {
    type: 'aws_s3_bucket_server_side_encryption_configuration',
    path: /(sse_algorithm|kms_master_key_id)$/,
    what: 'stops encrypting with KMS', topic: 'bucket no longer encrypted with KMS',
    weakens: (b, a) => (typeof b === 'string' && b.startsWith('aws:kms') && a !== b && !(typeof a === 'string' && a.startsWith('aws:kms'))) || (b !== undefined && a === undefined),
  },
];

type Resources = Record<string, Json>;

function resourcesOf(stack: TerraformJson | undefined): Resources {
  const resources: Resources = {};
  const byType = isObject(stack?.resource) ? stack.resource : {};
  for (const [type, byName] of Object.entries(byType)) {
    if (!isObject(byName)) continue;
    for (const [name, resource] of Object.entries(byName)) if (isObject(resource)) resources[`${type}.${name}`] = resource;
  }
  return resources;
}

/** `moved` blocks (cdktf `moveTo`/`moveFromId`): from → to. */
function movesOf(stack: TerraformJson | undefined): Map<string, string> {
  const moves = new Map<string, string>();
  const blocks = Array.isArray(stack?.moved) ? stack.moved : [];
  for (const block of blocks) {
    if (isObject(block) && typeof block.from === 'string' && typeof block.to === 'string') moves.set(block.from, block.to);
  }
  return moves;
}

/** Everything but the resources and their moves, which are compared address by address. */
function withoutResources(stack: TerraformJson): Json {
  return Object.fromEntries(Object.entries(stack).filter(([key]) => key !== 'resource' && key !== 'moved'));
}

/**
 * Resources by address. `renames` maps the base address of each replaced-by-rename resource
 * to its head address; `before` is the base with the `moved` blocks already applied.
 */
function compareResources(
  base: Resources,
  after: Resources,
  moves: Map<string, string>,
): { resources: ResourceChange[]; before: Resources; renames: Map<string, string> } {
  const moved = new Map([...moves].filter(([from, to]) => from in base && !(from in after) && to in after && !(to in base)));
  const before = applyMoves(base, moved);
  const movedFrom = new Map([...moved].map(([from, to]) => [to, from]));
  const removed = Object.keys(before).filter((address) => !(address in after));
  const added = new Set(Object.keys(after).filter((address) => !(address in before)));
  const changes: ResourceChange[] = [];
  const renames = new Map<string, string>();

  // A removed address and an added one of the same type are most likely a renamed
  // construct id: Terraform destroys the old resource and creates the new one.
  const candidates = removed.flatMap((from) =>
    [...added].filter((to) => typeOf(to) === typeOf(from)).map((to) => ({ from, to, score: similarity(before[from], after[to]) })),
  );
  candidates.sort((a, b) => b.score - a.score || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  for (const { from, to } of candidates) {
    if (renames.has(from) || !added.has(to)) continue;
    added.delete(to);
    renames.set(from, to);
    changes.push({
      address: to,
      action: 'replace',
      previousAddress: from,
      attributes: attributeChanges(typeOf(to), before[from], after[to]),
      ...preventDestroy(before[from]),
    });
  }
  for (const from of removed) {
    if (!renames.has(from)) changes.push({ address: from, action: 'delete', attributes: [], ...preventDestroy(before[from]) });
  }
  for (const to of added) changes.push({ address: to, action: 'create', attributes: [] });

  for (const address of Object.keys(before)) {
    if (!(address in after)) continue;
    const previous = movedFrom.has(address) ? { previousAddress: movedFrom.get(address)! } : {};
    if (canonical(before[address]) === canonical(after[address])) {
      if (previous.previousAddress !== undefined) changes.push({ address, action: 'move', ...previous, attributes: [] });
      continue;
    }
    const type = typeOf(address);
    const attributes = attributeChanges(type, before[address], after[address]);
    const forcing = forcesReplacement(type);
    const forcedBy = [...new Set(attributes.map((a) => a.path.split(/[.[]/)[0]))].filter((a) => forcing.includes(a));
    changes.push(
      forcedBy.length > 0
        ? { address, action: 'replace', ...previous, forcedBy, attributes, ...preventDestroy(before[address]) }
        : { address, action: previous.previousAddress === undefined ? 'update' : 'move', ...previous, attributes },
    );
  }
  replaceDependents(changes, before, after);
  changes.sort((a, b) => a.address.localeCompare(b.address));
  return { resources: changes, before, renames };
}

/** `${aws_iam_role.datadog-role_role.name}`: the address and attribute a reference reads. */
const REFERENCE = /\$\{([a-z][a-z0-9_]*\.[\w-]+)\.(\w+)/g;

/**
 * Marks as replaced what Terraform replaces along with another change: a resource whose
 * replace-forcing argument refers to a value that changes (`aws_iam_role_policy.role` =
 * `${aws_iam_role.x.name}`, when the role's name changes). The values that change: every
 * attribute whose configuration changed, and, for a replaced resource, those it does not set
 * that are unknown until it exists again (its `arn`, `id`, ...). Repeated until nothing more
 * is dragged along, since a dragged resource is replaced too.
 */
function replaceDependents(changes: ResourceChange[], before: Resources, after: Resources): void {
  const byAddress = new Map(changes.map((change) => [change.address, change]));
  const changedValues = (change: ResourceChange): Set<string> => {
    const values = new Set(change.attributes.map((a) => a.path.split(/[.[]/)[0]));
    if (change.forcedBy) for (const attribute of change.forcedBy) values.add(attribute);
    if (change.action === 'replace') {
      for (const attribute of UNKNOWN_ON_CREATE[typeOf(change.address)] ?? []) if (!(attribute in after[change.address])) values.add(attribute);
    }
    return values;
  };
  for (let dragged = true; dragged; ) {
    dragged = false;
    const changing = new Map(changes.filter((c) => c.action === 'update' || c.action === 'replace' || c.action === 'move').map((c) => [c.address, changedValues(c)]));
    for (const address of Object.keys(after)) {
      const current = byAddress.get(address);
      if (!(address in before) || (current && current.action !== 'update' && current.action !== 'move')) continue;
      const forcedBy: string[] = [];
      const along = new Set<string>();
      for (const argument of forcesReplacement(typeOf(address))) {
        for (const [, target, attribute] of JSON.stringify(after[address][argument] ?? null).matchAll(REFERENCE)) {
          if (target === address || !changing.get(target)?.has(attribute)) continue;
          if (!forcedBy.includes(argument)) forcedBy.push(argument);
          along.add(target);
        }
      }
      if (forcedBy.length === 0) continue;
      const replaced: ResourceChange = {
        ...(current ?? { address, attributes: [] }),
        action: 'replace',
        forcedBy: [...new Set([...(current?.forcedBy ?? []), ...forcedBy])],
        replacedWith: [...along].sort(),
        ...preventDestroy(before[address]),
      };
      if (current) changes.splice(changes.indexOf(current), 1, replaced);
      else changes.push(replaced);
      byAddress.set(address, replaced);
      dragged = true;
    }
  }
}

/**
 * The base as if its `moved` blocks had been applied: moved resources under their new
 * address, and references to them (`${aws_s3_bucket.old.id}`) rewritten, since Terraform
 * resolves both to the same object.
 */
function applyMoves(resources: Resources, moves: Map<string, string>): Resources {
  if (moves.size === 0) return resources;
  const address = new RegExp(`(?<![\\w.-])(${[...moves.keys()].map(escapeRegExp).join('|')})(?![\\w-])`, 'g');
  return JSON.parse(JSON.stringify(resources).replace(address, (from) => moves.get(from)!)) as Resources;
}

function forcesReplacement(type: string): readonly string[] {
  return FORCES_REPLACEMENT[type] ?? [];
}

function preventDestroy(resource: Json): { preventDestroy?: true } {
  return isObject(resource.lifecycle) && resource.lifecycle.prevent_destroy === true ? { preventDestroy: true } : {};
}

function similarity(a: Json, b: Json): number {
  return Object.keys(a).filter((key) => key !== COMMENT_KEY && key in b && canonical(a[key]) === canonical(b[key])).length;
}

function attributeChanges(type: string, before: Json, after: Json): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== COMMENT_KEY).sort();
  for (const key of keys) {
    if (canonical(before[key]) === canonical(after[key])) continue;
    if (isDocumentAttribute(type, key, before[key]) || isDocumentAttribute(type, key, after[key])) changes.push({ path: key, document: true });
    else changedPaths(before[key], after[key], key, changes);
  }
  return changes;
}

function changedPaths(before: unknown, after: unknown, path: string, out: AttributeChange[]): void {
  if (canonical(before) === canonical(after)) return;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== COMMENT_KEY).sort();
    for (const key of keys) changedPaths(before[key], after[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((value, i) => changedPaths(value, after[i], `${path}[${i}]`, out));
    return;
  }
  out.push({ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
}

interface ExtractedDocument {
  address: string;
  attribute: string;
  value: unknown;
}

function isDocumentAttribute(type: string, attribute: string, value: unknown): boolean {
  return POLICY_ATTRIBUTES[type] === attribute || (typeof value === 'string' && isPolicyDocumentText(value));
}

/** Every IAM document of a stack's resources, by document name. */
function documentsOf(resources: Resources): Map<string, ExtractedDocument> {
  const documents = new Map<string, ExtractedDocument>();
  for (const [address, resource] of Object.entries(resources)) {
    const type = typeOf(address);
    if (type === 'aws_lambda_permission') {
      documents.set(documentName(address, PERMISSION), { address, attribute: PERMISSION, value: lambdaPermissionDocument(resource) });
      continue;
    }
    for (const [attribute, value] of Object.entries(resource)) {
      if (value !== undefined && isDocumentAttribute(type, attribute, value)) {
        documents.set(documentName(address, attribute), { address, attribute, value });
      }
    }
  }
  return documents;
}

function comparePolicies(before: Resources, after: Resources, renames: Map<string, string>): DocumentDiff[] {
  const old = new Map<string, ExtractedDocument & { previousAddress?: string }>();
  for (const document of documentsOf(before).values()) {
    const address = renames.get(document.address);
    if (address === undefined) old.set(documentName(document.address, document.attribute), document);
    else old.set(documentName(address, document.attribute), { ...document, address, previousAddress: document.address });
  }
  const now = documentsOf(after);
  const diffs: DocumentDiff[] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(key);
    const b = now.get(key);
    if (a && b && canonical(a.value) === canonical(b.value)) continue;
    const changes = diffPolicies(a?.value, b?.value);
    if (changes.length === 0) continue;
    diffs.push({
      document: key,
      address: (b ?? a)!.address,
      ...(a?.previousAddress === undefined ? {} : { previousAddress: a.previousAddress }),
      status: !a ? 'added' : !b ? 'removed' : 'changed',
      classification: strongest(changes.map((c) => c.classification)),
      changes,
    });
  }
  return diffs;
}

function documentName(address: string, attribute: string): string {
  return attribute === PERMISSION ? `${address} ${PERMISSION}` : `${address}.${attribute}`;
}

function typeOf(address: string): string {
  return address.slice(0, address.indexOf('.'));
}

/** JSON with sorted keys and without `//` comments (cdktf's construct metadata). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .filter((k) => k !== COMMENT_KEY)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  ) ?? 'undefined';
}
