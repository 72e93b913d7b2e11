/**
 * How EventBridge event patterns and SNS message-body filter policies match, for the operators
 * the toolkit's triggers use (exact strings, `prefix`, `wildcard`), so that tests can replay a
 * trigger's filter on real object keys. After the documented semantics of aws/event-ruler
 * (README at commit 337e8d99: "Wildcard matching", "JSON Array Matching"), the library that
 * powers EventBridge (https://aws.amazon.com/blogs/opensource/open-sourcing-event-ruler/):
 * - a pattern's fields must all match (AND); a field's values are alternatives (OR);
 * - a nested pattern object matches the event's object at that field, and arrays in the event
 *   are "crushed out": an array of objects matches when one of them does, an array of strings
 *   when one of them does;
 * - `*` in a wildcard matches any run of characters, `/` included; `\*` and `\\` are a literal
 *   asterisk and backslash; two consecutive `*` and a backslash before anything else are
 *   refused, as event-ruler refuses them.
 * SNS documents `prefix` for message-body policies (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html)
 * and nested body policies (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html),
 * but not how it walks an array of objects such as S3's `Records`: that it does as EventBridge
 * does is this module's assumption, not AWS's statement. Any other operator throws, so a
 * test can never pass on an operator this matcher does not implement.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The regular expression of an EventBridge wildcard value. */
export function wildcardRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const character = wildcard[i];
    if (character === '\\') {
      const next = wildcard[i + 1];
      if (next !== '*' && next !== '\\') throw new Error(`wildcard ${wildcard}: a backslash escapes only * or \\`);
      source += `\\${next}`;
      i++;
    } else if (character === '*') {
      if (wildcard[i + 1] === '*') throw new Error(`wildcard ${wildcard}: consecutive wildcard characters`);
      source += '[\\s\\S]*';
    } else {
      source += character.replace(/[.+?^${}()|[\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function matchesValue(matcher: Json, value: Json): boolean {
  if (typeof matcher === 'string') return value === matcher;
  if (matcher !== null && typeof matcher === 'object' && !Array.isArray(matcher)) {
    const [operator, ...others] = Object.keys(matcher);
    if (others.length > 0) throw new Error(`one operator per matcher: ${JSON.stringify(matcher)}`);
    const operand = matcher[operator];
    if (typeof operand !== 'string') throw new Error(`unsupported operand: ${JSON.stringify(matcher)}`);
    if (operator === 'prefix') return typeof value === 'string' && value.startsWith(operand);
    if (operator === 'wildcard') return typeof value === 'string' && wildcardRegExp(operand).test(value);
  }
  throw new Error(`unsupported matcher: ${JSON.stringify(matcher)}`);
}

/** The values at a field of the event, arrays crushed out. */
const crushed = (value: Json | undefined): Json[] => (value === undefined ? [] : Array.isArray(value) ? value.flatMap(crushed) : [value]);

/** Whether `event` matches the EventBridge event pattern or SNS body filter policy `pattern`. */
export function matchesPattern(pattern: { [key: string]: Json }, event: Json): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const values = crushed(event !== null && typeof event === 'object' && !Array.isArray(event) ? event[field] : undefined);
    if (Array.isArray(expected)) return values.some((value) => expected.some((matcher) => matchesValue(matcher, value)));
    if (expected === null || typeof expected !== 'object') throw new Error(`a pattern field holds an array or an object: ${field}`);
    return values.some((value) => matchesPattern(expected, value));
  });
}
