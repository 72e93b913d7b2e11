/**
 * Config values are data, never code. In `cdk.tf.json` every string is a Terraform template:
 * `${...}` is evaluated at plan time (`${file("/proc/self/environ")}` would put the runner's
 * environment, its credentials included, in the plan, its output and the tags of every
 * resource) and `%{...}` is a directive. So every string of the config reaches the stacks as a
 * literal, escaped once, here, as Terraform's JSON syntax requires: `${` as `$${`, `%{` as
 * `%%{` (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences,
 * https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping). A tag
 * value `${x}` is planned and tagged as the text `${x}`. The escape survives the JSON encoding
 * of policy documents unchanged (JSON leaves `$`, `%` and `{` alone), and Terraform reads a
 * policy string as a template too, so it is right there as well.
 *
 * cdktf itself reads markers in strings as references to its own tokens (`${TfToken[TOKEN.1]}`,
 * and numbers such as -1.8881545897087626e+289), and would replace them with whatever that
 * token stands for, escaped or not: a config string holding one is refused instead
 * (https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/cdktf/lib/tokens/private/encoding.ts).
 */
import { type ConfigIssue, joinPath } from './errors';
import { isObject } from './json';

/** `text` as a Terraform template that evaluates to exactly `text`. Apply once: `$${` escaped again reads `$${`. */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}

/** A copy of a JSON document with every string, keys included, a Terraform literal. */
export function terraformLiterals<T>(value: T): T {
  if (typeof value === 'string') return terraformLiteral(value) as T;
  if (Array.isArray(value)) return value.map(terraformLiterals) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [terraformLiteral(key), terraformLiterals(item)])) as T;
  return value;
}

/** cdktf's string, list and map token markers. */
const TOKEN_MARKER = /[$#&]\{TfToken\[/;
/** cdktf's pattern for a number token inside a string (encoding.ts, NUMBER_TOKEN_REGEX). */
const NUMBER_TOKEN = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/**
 * Whether `x` is one of the doubles cdktf encodes its number and number-list tokens as: the top
 * 16 bits of the IEEE 754 value are 0xFDFF or 0xFBFF (encoding.ts, createTokenDouble).
 */
function isTokenDouble(x: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const top = view.getUint16(0);
  return top === 0xfdff || top === 0xfbff;
}

function holdsTokenMarker(text: string): boolean {
  return TOKEN_MARKER.test(text) || [...text.matchAll(NUMBER_TOKEN)].some(([number]) => isTokenDouble(parseFloat(number)));
}

/** Every string (value or key) of the document that cdktf would read as a token of its own. */
export function tokenMarkerIssues(document: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const report = (value: string, path: Array<string | number>) =>
    issues.push({
      path: joinPath(path),
      problem: 'holds a marker that cdktf reads as a reference to one of its own tokens, so the stack would not hold this text',
      value,
      fix: 'remove the "${TfToken[...]}"-style marker (or the number cdktf uses as a token); no AWS name, tag or setting needs it',
    });
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (typeof value === 'string') {
      if (holdsTokenMarker(value)) report(value, path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (holdsTokenMarker(key)) report(key, path);
        visit(item, [...path, key]);
      }
    }
  };
  visit(document, []);
  return issues;
}
