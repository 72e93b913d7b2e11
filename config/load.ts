/**
 * The only way into the toolkit: read, parse, validate and resolve a config file. Nothing
 * downstream runs on a config that has not passed every check here.
 */
import { readFileSync } from 'node:fs';
import { type CheckOptions, checkConfig, planIssues } from './checks';
import { ConfigError, type ConfigIssue, joinPath } from './errors';
import { DuplicateKeyError, parseJson as parseStrictJson } from './json';
import { resolveConfig, type ResolvedConfig } from './resolve';
import { schemaIssues } from './schema-validation';
import type { Config } from './types';

export const DEFAULT_CONFIG = 'examples/single-account.json';

export function loadConfig(file: string, options?: CheckOptions): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String((error as Error).message);
    throw new ConfigError(file, [
      { path: '(file)', problem: `cannot be read: ${reason}`, fix: 'pass the path of an existing config file (--config FILE, or DD_CLOUDTRAIL_CONFIG), relative to the current folder' },
    ]);
  }
  return parseConfig(text, file, options);
}

export function parseConfig(text: string, file: string, options?: CheckOptions): ResolvedConfig {
  const { issues, config } = validate(parseJson(text, file), options);
  if (!config) throw new ConfigError(file, issues);
  return config;
}

/** Every problem with a parsed document: the schema's and the cross-field rules'. */
export function validateDocument(document: unknown, options?: CheckOptions): ConfigIssue[] {
  return validate(document, options).issues;
}

/**
 * Schema, then the rules on the document, then, on the resolved config, the rules on what
 * each account's stack holds (they read the account plans). The config when all pass.
 */
function validate(document: unknown, options?: CheckOptions): { issues: ConfigIssue[]; config?: ResolvedConfig } {
  const issues = [...schemaIssues(document), ...checkConfig(document, options)];
  if (issues.length > 0) return { issues };
  const config = resolveConfig(document as Config);
  const planned = planIssues(document as Record<string, unknown>, config);
  return planned.length > 0 ? { issues: planned } : { issues: [], config };
}

function parseJson(source: string, file: string): unknown {
  // Editors on Windows save a byte-order mark, which JSON.parse refuses.
  const text = source.replace(/^\uFEFF/, '');
  try {
    return parseStrictJson(text);
  } catch (error) {
    if (error instanceof DuplicateKeyError) {
      throw new ConfigError(
        file,
        error.duplicates.map(({ path, line }) => ({
          path: joinPath(path),
          problem: `is given twice in the same object (again at line ${line}); JSON keeps only the last one`,
          fix: `keep one "${path[path.length - 1]}" and delete the other`,
        })),
      );
    }
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    const where = Number.isNaN(position) ? '' : ` at line ${lineColumn(text, position)}`;
    throw new ConfigError(file, [
      {
        path: '(file)',
        problem: `is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
        fix: 'fix the JSON syntax (comments and trailing commas are not allowed)',
      },
    ]);
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}
