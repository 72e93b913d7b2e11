/**
 * The Terraform expressions in a synthesized `cdk.tf.json`. In Terraform's JSON syntax every
 * string is a template (https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping):
 * `${...}` is evaluated and `%{...}` is a directive; `$${` and `%%{` are literal text
 * (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences).
 * The toolkit writes only references to what the stack declares, and `contains()` of them;
 * every config string reaches the stack escaped (config/terraform-literal.ts). Anything else
 * (`${file("/proc/self/environ")}`, `${var.x}`, a directive) came from somewhere else, and
 * Terraform would evaluate it at plan time, with the runner's files and environment.
 */
import { isObject } from '../config/json';

/** An expression the toolkit never writes, where it is in the stack. */
export interface ForeignExpression {
  /** The JSON path of the string (or object key) holding it: `resource.aws_s3_bucket.logs.tags.Team`. */
  path: string;
  /** The sequence as written: `${file("/proc/self/environ")}`, `%{ if ... }`. */
  expression: string;
}

/**
 * Pure functions the stacks may call. None reads a file, the environment or the network:
 * `file`, `templatefile`, `fileset` and their kin are what an injected expression would use.
 * https://developer.hashicorp.com/terraform/language/functions
 */
const PURE_FUNCTIONS = new Set(['contains']);

/** JSON keys Terraform does not evaluate: `//` holds cdktf's comments (HCL JSON syntax ignores it). */
const COMMENT_KEY = '//';

/**
 * Every `${...}` and `%{...}` in `stack` (a parsed `cdk.tf.json`) that is not a reference to a
 * resource or data source the stack declares (or a PURE_FUNCTIONS call on such references and
 * literals).
 */
export function foreignExpressions(stack: Record<string, unknown>): ForeignExpression[] {
  const declared = declaredObjects(stack);
  // A stack repeats its references (`${aws_s3_bucket.logs.id}` in a dozen places): each is judged once.
  const judged = new Map<string, boolean>();
  const own = (expression: string) => {
    let verdict = judged.get(expression);
    if (verdict === undefined) judged.set(expression, (verdict = isOwnExpression(expression, declared)));
    return verdict;
  };
  const found: ForeignExpression[] = [];
  // The path of the value being visited, joined only for what is found.
  const path: Array<string | number> = [];
  const report = (text: string, keyed: boolean) => {
    for (const expression of templateSequences(text)) {
      if (keyed || !own(expression)) found.push({ path: joinPath(path), expression });
    }
  };
  // Every node of every stack is visited: plain loops, no entry arrays.
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.includes('{')) report(value, false);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i]);
        path.pop();
      }
    } else if (isObject(value)) {
      for (const key in value) {
        if (key === COMMENT_KEY) continue;
        path.push(key);
        if (key.includes('{')) report(key, true);
        visit(value[key]);
        path.pop();
      }
    }
  };
  visit(stack);
  return found;
}

const joinPath = (path: Array<string | number>) => path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');

/** `type.name` of every resource, and `data.type.name` of every data source (also those scoped to a check block). */
function declaredObjects(stack: Record<string, unknown>): Set<string> {
  const declared = new Set<string>();
  const add = (blocks: unknown, prefix: string) => {
    if (!isObject(blocks)) return;
    for (const [type, byName] of Object.entries(blocks)) if (isObject(byName)) for (const name of Object.keys(byName)) declared.add(`${prefix}${type}.${name}`);
  };
  add(stack.resource, '');
  add(stack.data, 'data.');
  if (isObject(stack.check)) for (const check of Object.values(stack.check)) if (isObject(check)) add(check.data, 'data.');
  return declared;
}

/**
 * The template sequences of a string as Terraform's template scanner finds them: `$${` and
 * `%%{` are escapes; `${` and `%{` open a sequence that ends at its matching `}` (quoted
 * strings inside it skipped). An unterminated sequence runs to the end.
 */
export function templateSequences(text: string): string[] {
  const sequences: string[] = [];
  const opening = /[$%]\{/g;
  for (let match = opening.exec(text); match !== null; match = opening.exec(text)) {
    // `$${` and `%%{` are escapes; Terraform reads `$$${` as `$` and then the escape `$${`,
    // so only the character before the opening counts.
    if (text[match.index - 1] === text[match.index]) continue;
    const end = closing(text, match.index + 2);
    sequences.push(text.slice(match.index, end));
    opening.lastIndex = end;
  }
  return sequences;
}

/** The index after the `}` that closes a sequence whose body starts at `from`. */
function closing(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (char === '{') {
      depth++;
    } else if (char === '}' && --depth === 0) {
      return i + 1;
    }
  }
  return text.length;
}

const IDENTIFIER = /^[A-Za-z_][\w-]*/;

/** Whether `${...}` is a reference to a declared object, or a pure function of references and literals. */
function isOwnExpression(sequence: string, declared: Set<string>): boolean {
  if (!sequence.startsWith('${')) return false;
  let rest = sequence.slice(2, -1).trim();
  const expression = (): boolean => {
    const name = IDENTIFIER.exec(rest)?.[0];
    if (name === undefined) return literal();
    rest = rest.slice(name.length).trimStart();
    if (rest.startsWith('(')) return call(name);
    return traversal(name);
  };
  const literal = (): boolean => {
    const match = /^("(?:[^"\\$%]|\\.)*"|\d+)/.exec(rest);
    if (!match) return false;
    rest = rest.slice(match[0].length).trimStart();
    return true;
  };
  const call = (name: string): boolean => {
    if (!PURE_FUNCTIONS.has(name)) return false;
    rest = rest.slice(1).trimStart();
    while (!rest.startsWith(')')) {
      if (!expression()) return false;
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
      else if (!rest.startsWith(')')) return false;
    }
    rest = rest.slice(1).trimStart();
    return true;
  };
  const traversal = (root: string): boolean => {
    const parts = [root];
    for (;;) {
      const attribute = /^\.([A-Za-z_][\w-]*)/.exec(rest) ?? /^\[(\d+)\]/.exec(rest);
      if (!attribute) break;
      parts.push(attribute[1]);
      rest = rest.slice(attribute[0].length);
    }
    rest = rest.trimStart();
    const object = root === 'data' ? parts.slice(0, 3).join('.') : parts.slice(0, 2).join('.');
    // An attribute of the object, not the object itself.
    return declared.has(object) && parts.length > object.split('.').length;
  };
  return expression() && rest === '';
}
