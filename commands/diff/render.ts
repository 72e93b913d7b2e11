/**
 * The diff as a pull-request comment (Markdown) and as JSON. Pure. The JSON shape is a
 * contract (docs/REVIEWING.md): add fields freely, but bump `version` before renaming or
 * removing one.
 */
import { exitCodeFor, REVIEW_TOPICS, stackReviewReasons, type AttributeChange, type DocumentDiff, type ResourceChange, type ReviewReason, type StackCounts, type StackDiff, type TreeDiff } from './compare';
import { escapeRegExp } from '../../rules/regexp';
import type { Classification, PolicyChange, StatementSummary } from './policy-diff';

/** The hidden line the plan workflow finds its own comment by. */
export const COMMENT_MARKER = '<!-- datadog-cloudtrail-diff -->';

export interface RevisionInfo {
  /** The git ref as given (`origin/main`), or null for the working tree. */
  ref: string | null;
  /** The commit synthesized; for the working tree, HEAD (uncommitted changes included). */
  commit: string;
  workingTree: boolean;
}

export interface DiffReport extends TreeDiff {
  base: RevisionInfo;
  head: RevisionInfo;
  /** The config synthesized in both revisions, relative to the repository. */
  config: string;
  /** Caveats about how the revisions were synthesized. */
  notes: string[];
}

export interface JsonReport {
  version: 1;
  base: RevisionInfo;
  head: RevisionInfo;
  config: string;
  exitCode: 0 | 2;
  needsReview: boolean;
  reviewReasons: string[];
  changedStacks: string[];
  notes: string[];
  summary: StackCounts & { stacksAdded: number; stacksRemoved: number; stacksChanged: number; stacksUnchanged: number };
  stacks: StackDiff[];
}

export function toJson(report: DiffReport): JsonReport {
  const exitCode = exitCodeFor(report);
  const summary = {
    stacksAdded: report.stacks.filter((s) => s.status === 'added').length,
    stacksRemoved: report.stacks.filter((s) => s.status === 'removed').length,
    stacksChanged: report.stacks.filter((s) => s.status === 'changed').length,
    stacksUnchanged: report.stacks.filter((s) => s.status === 'unchanged').length,
    ...total(report.stacks.map((s) => s.counts)),
  };
  return {
    version: 1,
    base: report.base,
    head: report.head,
    config: report.config,
    exitCode,
    needsReview: exitCode === 2,
    reviewReasons: report.reviewReasons,
    changedStacks: report.changedStacks,
    notes: report.notes,
    summary,
    stacks: report.stacks,
  };
}

function total(counts: StackCounts[]): StackCounts {
  const sum: StackCounts = { create: 0, update: 0, delete: 0, replace: 0, move: 0, widening: 0, narrowing: 0, neutral: 0 };
  for (const c of counts) for (const key of Object.keys(sum) as Array<keyof StackCounts>) sum[key] += c[key];
  return sum;
}

const CLASS_MARK: Record<Classification, string> = { widening: '🔺 widening', narrowing: '🔻 narrowing', neutral: '⚪ neutral' };

/**
 * GitHub's API refuses a comment body over 65,536 characters ("Body is too long (maximum is
 * 65536 characters)") and a step summary over 1 MiB is not shown
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#step-isolation-and-limits):
 * the comment stays under this, with room for the workflow's own lines.
 */
const COMMENT_LIMIT = 60_000;

export interface MarkdownOptions {
  /**
   * The most characters the Markdown may have: sections that do not fit are left out, with a
   * line that says how many and where the full report is. @default COMMENT_LIMIT
   */
  limit?: number;
  /** Where the full report is, named in that line. @default "the full report (`npm run diff -- --markdown-file`)" */
  fullReport?: string;
}

/** Stacks whose change is the same, once each stack's own values are set aside (ownValues). */
interface ChangeGroup {
  stacks: StackDiff[];
  reasons: ReviewReason[];
}

/** Names at most shown for a group of stacks. */
const NAMES_SHOWN = 10;

/**
 * What makes one account's stack differ from another's that changes the same way: its account
 * ID, the external ID Datadog issued for it, and its name (the stack's, its state file's, and
 * any name derived from these). Each stands for itself as a placeholder, longest first, so
 * that an external ID's digits are never read as an account ID.
 */
function ownValues(stack: StackDiff): Array<{ value: string; placeholder: string; pattern: RegExp }> {
  const values = [
    { value: stack.externalId, placeholder: '<external-id>', edge: '[A-Za-z0-9]' },
    { value: stack.accountId, placeholder: '<account>', edge: '\\d' },
    { value: stack.name, placeholder: '<stack>', edge: '[A-Za-z0-9_]' },
  ];
  return values
    .filter((v): v is typeof v & { value: string } => v.value !== undefined && v.value !== '')
    .map(({ value, placeholder, edge }) => ({ value, placeholder, pattern: new RegExp(`(?<!${edge})${escapeRegExp(value)}(?!${edge})`, 'g') }));
}

function withoutOwnValues(text: string, stack: StackDiff): string {
  return ownValues(stack).reduce((result, { pattern, placeholder }) => result.replace(pattern, placeholder), text);
}

/**
 * The diff as a pull-request comment. Stacks that change the same way (an organization's
 * members, say) are one group, shown once: at 5,000 members a one-line policy change is one
 * section, not 5,000. Sections that do not fit `limit` are left out, saying so.
 */
export function toMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const fullReport = options.fullReport ?? 'the full report (`npm run diff -- --markdown-file`)';
  const out = new BoundedLines(limit);
  out.push(COMMENT_MARKER, '### datadog-cloudtrail: synthesized Terraform diff', '');
  out.push(`${revision(report.base)} → ${revision(report.head)} · config \`${report.config}\``, '');
  const changed = report.stacks.filter((s) => s.status !== 'unchanged');
  const groups = changeGroups(changed);
  if (report.reviewReasons.length > 0) {
    // A reason of no changed stack (an expression the toolkit never writes, run.ts) is a note below.
    out.push('> [!WARNING]', `> **Needs security review** (exit code 2): ${headline(groups) || 'see the notes below'}.`, '');
  } else if (changed.length === 0) {
    out.push('No changes: both revisions synthesize the same Terraform.', '');
  } else {
    out.push('✅ **No security review needed**: no policy widens, nothing is destroyed or replaced, and no log protection weakens.', '');
  }
  for (const note of report.notes) out.push('> [!NOTE]', `> ${oneLine(note)}`, '');
  if (changed.length === 0) return out.lines.join('\n');

  if (groups.some((group) => group.stacks.length > 1)) {
    out.push(
      `${changed.length} stacks change, in ${groups.length} different way(s). In a section of several stacks, \`<account>\`, ` +
        "`<external-id>` and `<stack>` stand for each stack's own account ID, external ID and name.",
      '',
    );
  }
  out.push('| stack | resources +/~/- | replaced | policy widening | narrowing |', '|---|---|---|---|---|');
  for (const group of groups) {
    const c = group.stacks[0].counts;
    out.pushIfRoom(`| ${stackCell(group.stacks)} | +${c.create} / ~${c.update + c.move} / -${c.delete} | ${warn(c.replace)} | ${warn(c.widening)} | ${c.narrowing} |`);
  }
  const unchanged = report.stacks.filter((s) => s.status === 'unchanged');
  if (unchanged.length > 0) {
    out.push('', `Unchanged: ${unchanged.length > NAMES_SHOWN ? `${unchanged.length} stacks (${names(unchanged)})` : unchanged.map((s) => `\`${s.name}\``).join(', ')}.`);
  }
  if (report.reviewReasons.length > 0) {
    out.push('', '**Why it needs review**', '');
    for (const group of groups) for (const reason of group.reasons) out.pushIfRoom(`- ${oneLine(`${stackNames(group.stacks)}: ${reason.text}`)}`);
  }
  for (const group of groups) out.pushIfRoom('', ...groupDetails(group));
  if (out.omitted > 0) out.push('', '> [!IMPORTANT]', `> ${out.omitted} line(s) or section(s) did not fit this comment: see ${fullReport}.`);
  return `${out.lines.join('\n')}\n`;
}

/** Lines of Markdown up to a length; what does not fit is counted, and room is kept to say so. */
class BoundedLines {
  readonly lines: string[] = [];
  omitted = 0;
  private length = 0;
  /** Kept free for the closing line that says what was left out. */
  private static readonly RESERVE = 400;

  constructor(private readonly limit: number) {}

  push(...lines: string[]): void {
    this.lines.push(...lines);
    this.length += lines.reduce((sum, line) => sum + line.length + 1, 0);
  }

  /** Adds the lines together if they fit, else counts them as one left-out section. */
  pushIfRoom(...lines: string[]): void {
    const length = lines.reduce((sum, line) => sum + line.length + 1, 0);
    if (this.length + length + BoundedLines.RESERVE > this.limit) this.omitted++;
    else this.push(...lines);
  }
}

/** Groups stacks by what changes in them, with their own values set aside; first seen first. */
function changeGroups(stacks: StackDiff[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const stack of stacks) {
    const { name: _name, accountId: _accountId, externalId: _externalId, ...change } = stack;
    const reasons = stackReviewReasons(stack).map((reason) => ({ ...reason, text: withoutOwnValues(reason.text, stack) }));
    const key = withoutOwnValues(JSON.stringify(change), stack);
    const group = groups.get(key);
    if (group) group.stacks.push(stack);
    else groups.set(key, { stacks: [stack], reasons });
  }
  return [...groups.values()];
}

/**
 * Why the change needs review, in a few words: each kind of reason once, with the stacks it
 * concerns (`shorter log retention (1 stack)`), the most serious first.
 */
function headline(groups: ChangeGroup[]): string {
  const stacksBy = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const reason of group.reasons) {
      const stacks = stacksBy.get(reason.topic) ?? new Set<string>();
      for (const stack of group.stacks) stacks.add(stack.name);
      stacksBy.set(reason.topic, stacks);
    }
  }
  const first: string[] = [REVIEW_TOPICS.stackRemoved, REVIEW_TOPICS.destroyed, REVIEW_TOPICS.replaced];
  // Then what weakens log protection, then widening: read in that order.
  const rank = (topic: string): number => (first.includes(topic) ? first.indexOf(topic) : topic === REVIEW_TOPICS.widens ? first.length + 1 : first.length);
  return [...stacksBy]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([topic, stacks]) => `${topic} (${stacks.size === 1 ? [...stacks][0] : `${stacks.size} stacks`})`)
    .join('; ');
}

/** `a`, `b` and 4,998 more. */
function names(stacks: StackDiff[]): string {
  const shown = stacks.slice(0, NAMES_SHOWN).map((s) => `\`${s.name}\``).join(', ');
  return stacks.length > NAMES_SHOWN ? `${shown} and ${stacks.length - NAMES_SHOWN} more` : shown;
}

function stackNames(stacks: StackDiff[]): string {
  return stacks.length === 1 ? stacks[0].name : `${stacks.length} stacks (${names(stacks).replace(/`/g, '')})`;
}

function stackCell(stacks: StackDiff[]): string {
  const [stack] = stacks;
  const status = stack.status === 'added' ? ' (new)' : stack.status === 'removed' ? ' (**removed**)' : '';
  return stacks.length === 1 ? `\`${stack.name}\`${status}` : `${stacks.length} stacks${status}: ${names(stacks)}`;
}

function groupDetails(group: ChangeGroup): string[] {
  const [stack] = group.stacks;
  if (group.stacks.length === 1) return stackDetails(stack);
  const title = `${group.stacks.length} stacks${stack.status === 'removed' ? ' (removed)' : stack.status === 'added' ? ' (new)' : ''}, the same change`;
  const details = stackDetails(stack, title).map((line) => withoutOwnValues(line, stack));
  return [details[0], '', `In ${names(group.stacks)}.`, ...details.slice(1)];
}

function revision(info: RevisionInfo): string {
  const commit = info.commit.slice(0, 12);
  return info.workingTree ? `working tree (on \`${commit}\`)` : `\`${info.ref}\` (\`${commit}\`)`;
}

function warn(n: number): string {
  return n > 0 ? `⚠️ ${n}` : '0';
}

function stackDetails(stack: StackDiff, heading?: string): string[] {
  const c = stack.counts;
  const summary = [`+${c.create} ~${c.update + c.move} -${c.delete}`];
  if (c.replace) summary.push(`${c.replace} replaced`);
  if (c.widening) summary.push(`${c.widening} widening`);
  if (c.narrowing) summary.push(`${c.narrowing} narrowing`);
  const title = heading ?? (stack.status === 'removed' ? `${stack.name} (removed)` : stack.status === 'added' ? `${stack.name} (new)` : stack.name);
  const lines = [`<details><summary><b>${escapeHtml(title)}</b>: ${summary.join(' · ')}</summary>`, ''];
  if (stack.status === 'removed') {
    lines.push(
      '⚠️ **Stack removed.** Terraform no longer runs for this account: its resources stay in AWS, unmanaged, until someone ' +
        'runs `terraform destroy` in its directory (with the base revision) or imports them elsewhere.',
      '',
    );
  }
  if (stack.resources.length > 0) {
    lines.push('**Resources**', '');
    for (const resource of stack.resources) {
      lines.push(stack.status === 'removed' ? `- ➖ no longer managed \`${resource.address}\`` : `- ${describeResource(resource)}`);
    }
    lines.push('');
  }
  if (stack.settings.length > 0) {
    lines.push('**Stack settings** (provider, backend, data sources, outputs)', '');
    for (const setting of stack.settings) lines.push(`- ${describeAttribute(setting)}`);
    lines.push('');
  }
  if (stack.policies.length > 0) {
    lines.push('**IAM policies**, statement by statement', '');
    for (const policy of stack.policies) lines.push(...describeDocument(policy), '');
  }
  lines.push('</details>');
  return lines;
}

function describeResource(resource: ResourceChange): string {
  const address = `\`${resource.address}\``;
  const attributes = resource.attributes.length > 0 ? `: ${resource.attributes.map(describeAttribute).join('; ')}` : '';
  const refuses = resource.preventDestroy ? ' It has `lifecycle.prevent_destroy`: `terraform apply` will stop with an error.' : '';
  switch (resource.action) {
    case 'create':
      return `➕ created ${address}`;
    case 'update':
      return `✏️ updated ${address}${attributes}`;
    case 'move':
      return `↪️ moved ${address} (was \`${resource.previousAddress}\`, kept by a \`moved\` block)${attributes}`;
    case 'delete':
      return `⚠️ **destroyed** ${address}.${refuses}`;
    case 'replace':
      if (resource.replacedWith) {
        return `⚠️ **replaced (destroy + create)** ${address} with ${resource.replacedWith.map((a) => `\`${a}\``).join(', ')}: ` +
          `${resource.forcedBy!.map((a) => `\`${a}\``).join(', ')} refers to a value of it that changes, and cannot change in place.` +
          `${refuses}${attributes ? ` Also changed${attributes}` : ''}`;
      }
      return resource.previousAddress !== undefined
        ? `⚠️ **replaced (destroy + create)** ${address}, was \`${resource.previousAddress}\`: the address changed, most ` +
            'likely a renamed construct id. Keep the id, or move the state (cdktf `moveFromId`/`moveTo`, which write a ' +
            `\`moved\` block).${refuses}${attributes ? ` Also changed${attributes}` : ''}`
        : `⚠️ **replaced (destroy + create)** ${address}: ${resource.forcedBy!.map((a) => `\`${a}\``).join(', ')} ` +
            `cannot change in place.${refuses} Changed${attributes}`;
  }
}

function describeAttribute(change: AttributeChange): string {
  if (change.document) return `\`${change.path}\` (IAM document, below)`;
  return `\`${change.path}\`: ${value(change.before)} → ${value(change.after)}`;
}

function value(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return code(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

function describeDocument(policy: DocumentDiff): string[] {
  const was = policy.previousAddress ? `, was \`${policy.previousAddress}\`` : '';
  const status = policy.status === 'changed' ? '' : ` (${policy.status})`;
  return [
    `\`${policy.document}\`${status}${was}: ${CLASS_MARK[policy.classification]}`,
    '',
    '| | statement | change |',
    '|---|---|---|',
    ...policy.changes.map(
      (change) => `| ${CLASS_MARK[change.classification]} | ${statementCell(change)} | ${cell(describeChange(change))} |`,
    ),
  ];
}

function statementCell(change: PolicyChange): string {
  if (change.statement === undefined) return '(document)';
  return `${code(change.statement)}${change.effect ? ` (${change.effect})` : ''}`;
}

function describeChange(change: PolicyChange): string {
  const values = (change.values ?? []).map(code).join(', ');
  const wildcard = change.wildcard ? ' ⚠️ wildcard' : '';
  const note = change.note ? ` (${change.note})` : '';
  switch (change.kind) {
    case 'statement-added':
      return `new statement: ${statement(change.detail)}${wildcard}`;
    case 'statement-removed':
      return `statement removed: ${statement(change.detail)}`;
    case 'values-added':
      return `${field(change)} added: ${values}${wildcard}${note}`;
    case 'values-removed':
      return `${field(change)} removed: ${values}${note}`;
    case 'condition-added':
      return `condition added: ${code(change.condition ?? '')} = ${values}`;
    case 'condition-removed':
      return `condition removed: ${code(change.condition ?? '')} = ${values}`;
    case 'sid-renamed':
      return `Sid renamed: ${code(change.before ?? '')} → ${code(change.after ?? '')}`;
    case 'version-changed':
      return `Version ${code(change.before ?? '(none)')} → ${code(change.after ?? '(none)')}`;
    case 'reordered':
    case 'reformatted':
      return change.note ?? change.kind;
    case 'unanalysable':
      return `${change.note}: ${value(change.before)} → ${value(change.after)}`;
  }
}

function field(change: PolicyChange): string {
  return change.field === 'Condition' ? `condition ${code(change.condition ?? '')} values` : (change.field ?? '');
}

function statement(summary: StatementSummary | undefined): string {
  if (!summary) return '';
  const parts: string[] = [];
  for (const [key, values] of Object.entries(summary)) {
    if (key === 'Sid' || key === 'Effect') continue;
    parts.push(`${key} ${(values as string[]).map(code).join(', ')}`);
  }
  return `${summary.Effect} ${parts.join('; ')}`;
}

/** Inline code that survives any content, including backticks. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.includes('`') ? ` ${text} ` : text}${fence}`;
}

/** A table cell: a `|` would end it, a newline would end the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function oneLine(text: string): string {
  return text.replace(/\n/g, ' ');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
