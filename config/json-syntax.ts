/**
 * Where JSON text stops being JSON, and why, in words: Node 20's JSON.parse says
 * `Unexpected token ']', "...}, ]" is not valid JSON` for a trailing comma, with no position.
 * Only ever run on text JSON.parse refused; follows the grammar of RFC 8259
 * (https://www.rfc-editor.org/rfc/rfc8259#section-2).
 */

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  problem: string;
}

class Stop extends Error {
  constructor(
    readonly at: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** The first syntax error of `text`, or undefined if it is valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = 0;
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const fail = (problem: string, where = at): never => {
    throw new Stop(where, problem);
  };
  const unexpected = (expected: string): never => {
    const char = text[at];
    if (char === undefined) return fail(`the text ends where ${expected} should follow`);
    if (char === '/') return fail('a comment (JSON has none)');
    if (char === "'") return fail('a string in single quotes (JSON strings take double quotes)');
    return fail(`${JSON.stringify(char)} where ${expected} should be`);
  };
  const string = (): void => {
    at++;
    while (text[at] !== '"') {
      const char = text[at];
      if (char === undefined) fail('a string that is never closed');
      if (char < ' ') fail('a line break or control character inside a string (write it as \\n, \\t, ...)');
      if (char === '\\') {
        if (/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(at + 1, at + 6))) at += text[at + 1] === 'u' ? 6 : 2;
        else fail(`an escape ${JSON.stringify(text.slice(at, at + 2))} JSON does not know`);
      } else at++;
    }
    at++;
  };
  const literal = (): void => {
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    const word = /^(true|false|null)\b/.exec(text.slice(at));
    const match = number ?? word;
    if (!match) unexpected('a value');
    at += (match as RegExpExecArray)[0].length;
  };
  const list = (close: '}' | ']', item: () => void): void => {
    at++;
    space();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[at] === close) {
        at++;
        return;
      }
      if (text[at] !== ',') unexpected(`"," or "${close}"`);
      const comma = at;
      at++;
      space();
      if (text[at] === close) fail(`a comma before "${close}" (JSON allows no trailing comma)`, comma);
    }
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') {
      list('}', () => {
        space();
        if (text[at] !== '"') unexpected('a key in double quotes');
        string();
        space();
        if (text[at] !== ':') unexpected('":"');
        at++;
        value();
      });
    } else if (char === '[') list(']', value);
    else if (char === '"') string();
    else literal();
  };
  try {
    value();
    space();
    if (at < text.length) unexpected('the end of the text');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.at).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1, problem: error.problem };
  }
}
