/**
 * Reading a JSON file a user gave a command (a config, the output of `aws organizations
 * list-accounts`, a shard report, a synthesized stack): every way it can be unusable is a
 * ConfigError naming the file, where, what and the fix; never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, joinPath, withAccountNames } from './errors';
import { DuplicateKeyError, parseJson } from './json';
import { jsonSyntaxError } from './json-syntax';

export interface JsonFileOptions {
  /** What the file is, in messages: "config", "list-accounts output", ... */
  kind: string;
  /** How messages call the file. @default its path */
  name?: string;
  /** What to do when it does not exist or cannot be read. */
  unreadableFix: string;
}

/** The text of `file`: UTF-8, with or without a byte-order mark. Throws ConfigError. */
export function readJsonText(file: string, options: JsonFileOptions): string {
  const name = options.name ?? file;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `${file} does not exist` : code === 'EISDIR' ? `${file} is a folder` : (error as Error).message;
    throw new ConfigError(name, [{ path: '(file)', problem: `cannot be read: ${reason}`, fix: options.unreadableFix }], options.kind);
  }
  // Windows tools (Notepad's "Unicode", PowerShell 5's `>` and Out-File) write UTF-16, whose
  // byte-order mark is FF FE or FE FF: read as UTF-8 it is noise that JSON.parse calls an
  // unexpected token. JSON exchanged between systems is UTF-8 (https://www.rfc-editor.org/rfc/rfc8259#section-8.1).
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigError(
      name,
      [{ path: '(file)', problem: 'is saved as UTF-16; JSON files are UTF-8', fix: 'save it as UTF-8 (PowerShell: Out-File -Encoding utf8; an editor: save with encoding UTF-8)' }],
      options.kind,
    );
  }
  return bytes.toString('utf8');
}

/**
 * `text` parsed, a UTF-8 byte-order mark ignored, by the toolkit's one JSON reader (json.ts: a
 * key given twice is refused). Throws ConfigError: a syntax error with its line and column, or
 * each repeated key with its path and line.
 */
export function parseJsonText(text: string, name: string, kind: string): unknown {
  // Editors on Windows save a byte-order mark, which JSON.parse refuses.
  const json = text.replace(/^\uFEFF/, '');
  try {
    return parseJson(json);
  } catch (error) {
    if (error instanceof DuplicateKeyError) {
      const issues = error.duplicates.map(({ path, line }) => ({
        path: joinPath(path),
        problem: `is given twice in the same object (again at line ${line}); JSON keeps only the last one`,
        fix: `keep one "${path[path.length - 1]}" and delete the other`,
      }));
      throw new ConfigError(name, withAccountNames(issues, JSON.parse(json)), kind);
    }
    const syntax = jsonSyntaxError(json);
    const where = syntax ? ` at line ${syntax.line}:${syntax.column}: ${syntax.problem}` : `: ${(error as Error).message}`;
    throw new ConfigError(name, [{ path: '(file)', problem: `is not valid JSON${where}`, fix: 'fix the JSON syntax there (JSON allows no comments and no trailing commas)' }], kind);
  }
}

/** readJsonText, then parseJsonText. */
export function readJsonInput(file: string, options: JsonFileOptions): unknown {
  return parseJsonText(readJsonText(file, options), options.name ?? file, options.kind);
}
