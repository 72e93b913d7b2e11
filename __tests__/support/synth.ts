import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../config/load';
import type { PlannedConfig } from '../../config/plan';
import type { Config } from '../../config/types';
import { buildApp } from '../../stacks/app';
import { synthesize } from '../../synth/synth';
import { tempDir } from './configs';
import { POLICY_ATTRIBUTES } from '../../stacks/policy-json';

/** A synthesized `cdk.tf.json`, loosely typed for assertions. */
export interface TfJson {
  provider: { aws: Array<Record<string, unknown>> };
  terraform: { backend: Record<string, Record<string, unknown>>; required_providers: unknown };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
}

export interface Synthesized {
  config: PlannedConfig;
  outdir: string;
  stacksDir: string;
  stacks: Record<string, TfJson>;
}

/** Synthesizes a config object into a fresh temporary directory. */
export function synthConfig(input: Config): Synthesized {
  const { config, outdir } = synthToDisk(input);
  return { config, outdir, stacksDir: path.join(outdir, 'stacks'), stacks: readStacks(outdir) };
}

/** Synthesizes a config object and reads back only the stacks named, for large organizations. */
export function synthStacks(input: Config, names: string[]): { stackNames: string[]; stacks: Record<string, TfJson> } {
  const { outdir } = synthToDisk(input);
  const stacksDir = path.join(outdir, 'stacks');
  return { stackNames: readdirSync(stacksDir), stacks: Object.fromEntries(names.map((name) => [name, readStack(stacksDir, name)])) };
}

function synthToDisk(input: Config): { config: PlannedConfig; outdir: string } {
  const config = parseConfig(JSON.stringify(input), 'test.json');
  const outdir = tempDir('ddct-synth-');
  buildApp(config, { outdir }).synth();
  return { config, outdir };
}

/** Synthesizes a config file exactly as `npm run synth` does, into a fresh temporary directory. */
export function synthFile(file: string): Synthesized {
  const outdir = tempDir('ddct-synth-');
  const config = synthesize(file, { outdir, log: () => undefined });
  return { config, outdir, stacksDir: path.join(outdir, 'stacks'), stacks: readStacks(outdir) };
}

function readStacks(outdir: string): Record<string, TfJson> {
  const stacksDir = path.join(outdir, 'stacks');
  return Object.fromEntries(readdirSync(stacksDir).map((stack) => [stack, readStack(stacksDir, stack)]));
}

function readStack(stacksDir: string, stack: string): TfJson {
  return JSON.parse(readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8'));
}

/** `type.name` of every resource in a stack, sorted. */
export function addresses(stack: TfJson): string[] {
  return Object.entries(stack.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

export function resourcesOfType(stack: TfJson, type: string): Array<Record<string, unknown>> {
  return Object.values(stack.resource?.[type] ?? {});
}

/** Every IAM policy document in a stack, parsed, by `address.attribute`. */
export function policyDocuments(stack: TfJson): Record<string, unknown> {
  const documents: Record<string, unknown> = {};
  for (const [type, attribute] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const [name, resource] of Object.entries(stack.resource?.[type] ?? {})) {
      const value = resource[attribute];
      if (typeof value === 'string') documents[`${type}.${name}.${attribute}`] = parsePolicy(value);
    }
  }
  return documents;
}

/** The IAM document in a Terraform policy attribute, with `$${aws:...}` escapes undone. */
export function parsePolicy(value: unknown): any { // eslint-disable-line @typescript-eslint/no-explicit-any -- an IAM document parsed from JSON, whose statements the tests read without a type for each
  return JSON.parse(String(value).replace(/\$\$\{/g, '${'));
}
