/**
 * The only way into the toolkit: read, parse, validate, resolve and plan a config file, in that
 * order (config/resolve.ts, then config/plan.ts). Nothing downstream runs on a config that has
 * not passed every check here.
 */
import { type CheckOptions, checkConfig, planIssues } from './checks';
import { ConfigError, type ConfigIssue, withAccountNames } from './errors';
import { parseJsonText, readJsonText } from './json-file';
import { type PlannedConfig, planConfig } from './plan';
import { resolveConfig } from './resolve';
import { schemaIssues } from './schema-validation';
import type { Config } from './types';

export const DEFAULT_CONFIG = 'examples/single-account.json';

/**
 * Reads, parses, validates, resolves and plans the config at `file`; `name` is how messages call
 * it (the path as the user wrote it). Throws ConfigError.
 */
export function loadConfig(file: string, name: string = file, options?: CheckOptions): PlannedConfig {
  return parseConfig(readJsonText(file, { kind: 'config', name, unreadableFix: UNREADABLE_FIX }), name, options);
}

const UNREADABLE_FIX = 'pass the path of an existing config file (--config FILE, or DD_CLOUDTRAIL_CONFIG), from the folder you run the command in';

export function parseConfig(text: string, file: string, options?: CheckOptions): PlannedConfig {
  const { issues, config } = validate(parseJsonText(text, file, 'config'), options);
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
function validate(document: unknown, options?: CheckOptions): { issues: ConfigIssue[]; config?: PlannedConfig } {
  const issues = [...schemaIssues(document), ...checkConfig(document, options)];
  if (issues.length > 0) return { issues: withAccountNames(issues, document) };
  const config = planConfig(resolveConfig(document as Config));
  const planned = planIssues(document as Record<string, unknown>, config);
  return planned.length > 0 ? { issues: withAccountNames(planned, document) } : { issues: [], config };
}
