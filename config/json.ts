/**
 * The one JSON reader of the toolkit: the config loader, `npm run check`, the diff and the
 * Terraform harness read every file through it. JSON.parse keeps the last of two equal keys
 * in an object and says nothing, while Terraform reads both: HCL's JSON syntax preserves
 * "multiple definitions of the same property name" (https://github.com/hashicorp/hcl/blob/main/json/spec.md),
 * so a second `"resource"` object in a `cdk.tf.json` is planned and applied although every
 * reader built on JSON.parse sees only one of them. A config with `"kms": false` and, further
 * down, `"kms": true` means whichever came last. So a repeated key is refused, never read.
 */
import { readFileSync } from 'node:fs';
import { joinPath } from './errors';

/** A JSON object (not an array, not null): what every reader of untyped JSON tests first. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface DuplicateKey {
  /** The path of the repeated key, as segments. */
  path: Array<string | number>;
  /** 1-based line of the repetition. */
  line: number;
}

/** The text is valid JSON, but an object in it gives a key twice. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(readonly duplicates: DuplicateKey[]) {
    const [first] = duplicates;
    super(
      `${joinPath(first.path)} is given twice in one object (again at line ${first.line})` +
        (duplicates.length > 1 ? `, and ${duplicates.length - 1} more key(s) likewise` : '') +
        ': JSON.parse would keep only the last, Terraform reads both',
    );
  }
}

/**
 * JSON.parse that refuses a key given twice in one object. Throws JSON.parse's SyntaxError on
 * text that is not JSON, DuplicateKeyError on a repeated key.
 */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) throw new DuplicateKeyError(duplicates);
  return value;
}

/** parseJson of a file's UTF-8 text; readFileSync's errors as they are. */
export function readJsonFile(file: string): unknown {
  return parseJson(readFileSync(file, 'utf8'));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** Keys an object holds before its keys go into a Set: a linear search is faster up to here. */
const SMALL_OBJECT = 8;

/**
 * Every key repeated within one object of `text`, which must be valid JSON (JSON.parse
 * accepted it). One pass, no value built: strings are skipped with indexOf, and a key is
 * compared as written unless it holds an escape (`"\u0061"` and `"a"` are the same key),
 * which is decoded first. Paths and lines are only worked out for a repetition.
 */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // Per open container, innermost last: its keys so far (null for an array) and, for the
  // path of a repetition, its current key or index.
  const keys: Array<string[] | Set<string> | null> = [];
  const position: Array<string | number> = [];
  const length = text.length;
  let at = 0;
  while (at < length) {
    const char = text.charCodeAt(at);
    if (char === QUOTE) {
      const start = at;
      let end = text.indexOf('"', at + 1);
      while (isEscaped(text, end)) end = text.indexOf('"', end + 1);
      at = end + 1;
      const top = keys.length - 1;
      const seen = keys[top];
      if (seen === null || seen === undefined || !isKey(text, at)) continue;
      const raw = text.slice(start + 1, end);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
      if (Array.isArray(seen) ? seen.includes(key) : seen.has(key)) {
        found.push({ path: [...position.slice(1, top + 1), key], line: lineOf(text, start) });
      } else if (Array.isArray(seen) && seen.length >= SMALL_OBJECT) {
        keys[top] = new Set([...seen, key]);
      } else if (Array.isArray(seen)) {
        seen.push(key);
      } else {
        seen.add(key);
      }
      position[top + 1] = key;
      continue;
    }
    if (char === OPEN_OBJECT) {
      keys.push([]);
    } else if (char === OPEN_ARRAY) {
      keys.push(null);
      position[keys.length] = 0;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      keys.pop();
    } else if (char === COMMA && keys[keys.length - 1] === null) {
      (position[keys.length] as number)++;
    }
    at++;
  }
  return found;
}

/** Whether the quote at `at` is escaped: an odd number of backslashes before it. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

/** Whether the string that ended just before `at` is a key: a colon follows it. */
function isKey(text: string, at: number): boolean {
  let next = text.charCodeAt(at);
  // JSON whitespace: space, tab, line feed, carriage return.
  while (next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09) next = text.charCodeAt(++at);
  return next === COLON;
}

function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
