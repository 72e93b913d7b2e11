/**
 * JSON Schema validation with ajv, turned into `ConfigIssue`s, and the schema's defaults.
 * `schema.json` is the single home of every default: `withDefaults` reads them from there.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from './schema.json';
import { closest, type ConfigIssue, joinPath, pathFromPointer } from './errors';
import { siteFromUrl } from './sites';

type Definition = keyof typeof schema.definitions;

interface PropertySchema {
  description?: string;
  examples?: unknown[];
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, PropertySchema>;
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
ajv.addSchema(schema);
const validateDocument = ajv.compile(schema);

const defaultsAjv = new Ajv({ useDefaults: true, strict: true });
defaultsAjv.addSchema(schema);
const defaulters = new Map<Definition, ValidateFunction>();

/** A copy of `value` with the schema defaults of `definition` filled in. */
export function withDefaults<T extends object>(definition: Definition, value: T): T {
  let defaulter = defaulters.get(definition);
  if (!defaulter) {
    defaulter = defaultsAjv.getSchema(`${schema.$id}#/definitions/${definition}`);
    if (!defaulter) throw new Error(`schema.json has no definition ${definition}`);
    defaulters.set(definition, defaulter);
  }
  const copy = structuredClone(value);
  defaulter(copy);
  return copy;
}

export function schemaIssues(document: unknown): ConfigIssue[] {
  if (validateDocument(document)) return [];
  const errors = (validateDocument.errors ?? []).filter((error) => !isNoise(error));
  return dedupe(errors.map(toIssue));
}

// `if`/`anyOf` wrappers only repeat what their sub-errors already say.
function isNoise(error: ErrorObject): boolean {
  return error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toIssue(error: ErrorObject): ConfigIssue {
  const at = pathFromPointer(error.instancePath);
  const parent = (error.parentSchema ?? {}) as PropertySchema;
  switch (error.keyword) {
    case 'required': {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return {
        path: childPath(error.instancePath, field),
        problem: 'is required but missing',
        fix: `add "${field}": ${explain(parent.properties?.[field])}`,
      };
    }
    case 'additionalProperties': {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(parent.properties ?? {});
      const suggestion = closest(field, allowed);
      return {
        path: childPath(error.instancePath, field),
        problem: 'is not a known field',
        fix: suggestion
          ? `did you mean "${suggestion}"? Rename it.`
          : `remove it; the fields allowed here are: ${allowed.join(', ')}`,
      };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      // A login URL (app.datadoghq.com) names its site; closest() would answer ap1.datadoghq.com.
      const site = at === 'datadog.site' && typeof error.data === 'string' ? siteFromUrl(error.data) : undefined;
      const suggestion = site ?? (typeof error.data === 'string' ? closest(error.data, allowed) : undefined);
      return {
        path: at,
        problem: 'is not one of the allowed values',
        value: error.data,
        fix: `${suggestion ? `did you mean "${suggestion}"? ` : ''}use one of: ${allowed.join(', ')}`,
      };
    }
    case 'pattern': {
      if (at.endsWith('accountId') && typeof error.data === 'string' && /^\d+$/.test(error.data)) {
        return {
          path: at,
          problem: `has ${error.data.length} digits; an AWS account ID has 12`,
          value: error.data,
          fix: 'copy the 12-digit ID from the AWS console or `aws organizations list-accounts`, in quotes: an ID that starts with 0 keeps its zeros only as a string',
        };
      }
      const bad = at.endsWith('bucketName') && typeof error.data === 'string' ? bucketNameFlaw(error.data) : undefined;
      return { path: at, problem: bad ? `has the wrong format: ${bad}` : 'has the wrong format', value: error.data, fix: explain(parent) };
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type);
      return {
        path: at,
        problem: `must be ${article(expected)} ${expected}, not ${article(typeName(error.data))} ${typeName(error.data)}`,
        value: error.data,
        fix: `write it as ${article(expected)} ${expected}, for example ${exampleOf(parent, expected)}. ${explain(parent)}`,
      };
    }
    case 'minItems':
      if (at === 'accounts') {
        return {
          path: at,
          problem: 'is empty',
          fix: 'add the AWS account to set up, for example {"name": "prod", "accountId": "111111111111", "region": "us-east-1"}',
        };
      }
      return { path: at, problem: error.message ?? 'is invalid', value: error.data, fix: explain(parent) };
    case 'maxLength': {
      const { limit } = error.params as { limit: number };
      const length = typeof error.data === 'string' ? [...error.data].length : 0;
      const what = at.startsWith('tags') || /\.tags\b/.test(at) ? 'AWS allows tag values of at most' : 'at most';
      return { path: at, problem: `is ${length} characters long; ${what} ${limit}`, value: error.data, fix: `shorten it to ${limit} characters or fewer` };
    }
    case 'propertyNames':
      return { path: at, problem: 'has a key of the wrong format', fix: explain(parent) };
    default:
      return { path: at, problem: error.message ?? 'is invalid', value: error.data, fix: explain(parent) };
  }
}

/** What makes a bucket name template invalid: the first bad character or unknown token. */
function bucketNameFlaw(name: string): string | undefined {
  const token = /\{(?!accountId\}|region\})[^}]*\}?/.exec(name)?.[0];
  if (token) return `${JSON.stringify(token)} is not a token (the tokens are {accountId} and {region})`;
  const char = /[^a-z0-9.{}-]/.exec(name.replace(/\{(accountId|region)\}/g, ''))?.[0];
  if (char) {
    const hint = /[A-Z]/.test(char) ? ' (S3 bucket names are lowercase)' : '';
    return `${JSON.stringify(char)} is not allowed${hint}; use a-z, 0-9, "." and "-"`;
  }
  return undefined;
}

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

function exampleOf(property: PropertySchema, type: string): string {
  const sample = property.examples?.[0] ?? property.default;
  if (sample !== undefined && typeName(sample) === (type === 'integer' ? 'number' : type)) return JSON.stringify(sample);
  return { string: '"text in quotes"', integer: '30', number: '30', boolean: 'true', object: '{}', array: '[]' }[type] ?? 'see config/schema.json';
}

function childPath(pointer: string, field: string): string {
  const parent = pathFromPointer(pointer);
  return parent === '(top level)' ? joinPath([field]) : `${parent}${joinPath([field]).replace(/^(?=[A-Za-z_$])/, '.')}`;
}

function explain(property: PropertySchema | undefined): string {
  if (!property) return 'see config/schema.json';
  const example = property.examples?.length ? ` For example: ${JSON.stringify(property.examples[0])}.` : '';
  return `${property.description ?? 'see config/schema.json'}${example}`;
}
