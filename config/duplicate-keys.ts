/**
 * JSON.parse keeps the last of two equal keys in an object and says nothing, so a config
 * with `"kms": false` and, further down, `"kms": true` means whichever came last. This scans
 * text that JSON.parse accepted and reports every key an object repeats.
 */

export interface DuplicateKey {
  /** The path of the repeated key, as segments. */
  path: Array<string | number>;
  /** 1-based line of the repetition. */
  line: number;
}

/** Every key repeated within one object of `text`, which must be valid JSON. */
export function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  let at = 0;
  const skipSpace = (): void => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const readString = (): string => {
    const start = at;
    at++; // opening quote
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (path: Array<string | number>): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at++;
      const keys = new Set<string>();
      skipSpace();
      while (text[at] !== '}') {
        skipSpace();
        const keyStart = at;
        const key = readString();
        // Counted only for a repetition: counting at every key is quadratic in the text
        // (15 s for a 5,000-account config).
        if (keys.has(key)) found.push({ path: [...path, key], line: text.slice(0, keyStart).split('\n').length });
        keys.add(key);
        skipSpace();
        at++; // colon
        value([...path, key]);
        skipSpace();
        if (text[at] === ',') at++;
        skipSpace();
      }
      at++;
    } else if (char === '[') {
      at++;
      let index = 0;
      skipSpace();
      while (text[at] !== ']') {
        value([...path, index++]);
        skipSpace();
        if (text[at] === ',') at++;
        skipSpace();
      }
      at++;
    } else if (char === '"') {
      readString();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at])) at++;
    }
  };
  value([]);
  return found;
}
