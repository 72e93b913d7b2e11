/** Errors for people: every problem names the JSON path, the value found and the fix. */

export interface ConfigIssue {
  /** Where the problem is, as `accounts[0].accountId`; `(top level)` for the document itself. */
  path: string;
  /** What is wrong, in a sentence. */
  problem: string;
  /** The offending value, when there is one. Key-shaped strings are redacted when printed. */
  value?: unknown;
  /** What to do about it. */
  fix: string;
  /** The name of the account the path is in, when it is in one: printed before the path, `[prod] accounts[0].region`. */
  account?: string;
}

/**
 * Input that cannot be used, each problem with its path, value and fix: a config, or another
 * file a command reads (`kind` names it: "list-accounts output", "shard report", ...).
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
    readonly kind: string = 'config',
  ) {
    super(formatIssues(file, issues, undefined, kind));
    this.name = 'ConfigError';
  }
}

/** A 32-hex run is shaped like a Datadog API key, a 40-hex run like an application key. */
export const KEY_SHAPED = /(?<![0-9a-f])([0-9a-f]{40}|[0-9a-f]{32})(?![0-9a-f])/i;

/**
 * The issues of `file`, one each with its path, the value found and the fix; `outcome` (what
 * the command did not do: "No Terraform was written.") closes the first line.
 */
export function formatIssues(file: string, issues: ConfigIssue[], outcome?: string, kind = 'config'): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => {
    const got = issue.value === undefined ? '' : ` (found ${displayValue(issue.value)})`;
    const account = issue.account === undefined ? '' : `[${issue.account}] `;
    return `  ✗ ${account}${issue.path}: ${issue.problem}${got}\n      fix: ${issue.fix}`;
  });
  return [`Invalid ${kind} ${file}: ${count}.${outcome ? ` ${outcome}` : ''}`, ...lines].join('\n');
}

/**
 * Issues whose path is inside an account, each with that account's name: in a config of 40
 * accounts, `accounts[20]` alone sends the reader counting.
 */
export function withAccountNames(issues: ConfigIssue[], document: unknown): ConfigIssue[] {
  const accounts = (document as { accounts?: unknown } | null)?.accounts;
  if (!Array.isArray(accounts)) return issues;
  return issues.map((issue) => {
    const index = /^accounts\[(\d+)\]/.exec(issue.path)?.[1];
    const name = index === undefined ? undefined : (accounts[Number(index)] as { name?: unknown } | null)?.name;
    return typeof name === 'string' && name !== '' ? { ...issue, account: name } : issue;
  });
}

function displayValue(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' && KEY_SHAPED.test(v) ? v.replace(new RegExp(KEY_SHAPED, 'gi'), '<redacted>') : v,
  );
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `/accounts/0/accountId` → `accounts[0].accountId`. */
export function pathFromPointer(pointer: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return joinPath(segments);
}

export function joinPath(segments: ReadonlyArray<string | number>): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path || '(top level)';
}

/** The closest candidate within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
