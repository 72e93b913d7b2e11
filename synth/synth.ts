/**
 * What `npm run synth` writes: exactly one config's stacks. cdktf writes into its output
 * directory and never removes a stack it did not write this time, so stacks of an earlier
 * config would stay and be validated, planned or deployed. Instead the app is synthesized
 * into a staging directory beside the output, checked, and only then swapped in whole; a
 * synth that fails leaves the previous output exactly as it was. Which folders synth may
 * replace, and how a killed synth is recovered: output-dir.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config/load';
import type { PlannedConfig } from '../config/plan';
import { buildApp } from '../stacks/app';
import { verifySynthesizedStacks } from '../rules/at-synth';
import { claimOutputDir, markComplete, stagingDir, swapIn } from './output-dir';

export const STACK_FILE = 'cdk.tf.json';

export interface SynthOptions {
  /** The output directory. @default $CDKTF_OUTDIR (set by the cdktf CLI), else 'cdktf.out' */
  readonly outdir?: string;
  /** Runs between "written aside" and "swapped in". @default verifyStagedOutput */
  readonly verify?: (stagingDir: string, config: PlannedConfig, log: (line: string) => void) => void;
  /** Where the verification reports the rules the config opts out of, and recovery what it did. @default console.log */
  readonly log?: (line: string) => void;
  /** How messages call the config file. @default the file's path as given */
  readonly name?: string;
  /** The environment: CDKTF_OUTDIR, and whether the cdktf CLI runs the app. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** A synthesis that wrote nothing: the previous output, if any, is untouched. */
export class SynthError extends Error {
  constructor(
    readonly outdir: string,
    reason: string,
  ) {
    super(`Synthesis failed: ${reason}\nNothing was written: ${outdir} was left as it was.`);
    this.name = 'SynthError';
  }
}

/** The output directory `synthesize` writes to. */
export function outputDir(options: SynthOptions = {}, env: NodeJS.ProcessEnv = options.env ?? process.env): string {
  return path.resolve(options.outdir ?? (env.CDKTF_OUTDIR || 'cdktf.out'));
}

/**
 * Validates `file` and replaces the output directory with its stacks. A config error
 * (ConfigError) throws before any construct exists; a failure after that (SynthError)
 * throws after removing what it staged. An output directory synth may not replace (see
 * output-dir.ts) is a SynthError before anything is written.
 */
export function synthesize(file: string, options: SynthOptions = {}): PlannedConfig {
  const env = options.env ?? process.env;
  const log = options.log ?? console.log;
  const outdir = outputDir(options, env);
  let release: () => void;
  try {
    // Before the config is read: a previous output a killed synth left aside is put back
    // even when this config turns out invalid.
    release = claimOutputDir(outdir, log);
  } catch (error) {
    throw new SynthError(outdir, (error as Error).message);
  }
  try {
    const config = loadConfig(file, options.name);
    const staging = stagingDir(outdir);
    try {
      buildApp(config, { outdir: staging }).synth();
      (options.verify ?? verifyStagedOutput)(staging, config, log);
      if (env[CDKTF_CLI_ENV] === 'true') keepForCdktfCli(staging, outdir);
      markComplete(staging);
      swapIn(staging, outdir);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new SynthError(outdir, error instanceof Error ? error.message : String(error));
    }
    return config;
  } finally {
    release();
  }
}

/**
 * Set by the cdktf CLI (cdktf synth, list, diff, deploy) when it runs the app:
 * https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/%40cdktf/cli-core/src/lib/synth-stack.ts
 */
export const CDKTF_CLI_ENV = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';

/**
 * The cdktf CLI lists the stack folders before it runs the app and, after it, deletes each
 * one the new manifest does not name, with `fs.rmSync(dir, { recursive: true })`: no `force`,
 * so a folder the swap already removed throws ENOENT and fails `cdktf list` (synth-stack.ts,
 * above). An empty folder in place of each stack the config no longer has gives the CLI what
 * it deletes; an empty folder is no stack to anything that reads the output (no cdk.tf.json,
 * not in the manifest).
 */
function keepForCdktfCli(staging: string, outdir: string): void {
  const before = path.join(outdir, 'stacks');
  if (!fs.existsSync(before)) return;
  const after = path.join(staging, 'stacks');
  for (const entry of fs.readdirSync(before, { withFileTypes: true })) {
    if (entry.isDirectory() && !fs.existsSync(path.join(after, entry.name))) fs.mkdirSync(path.join(after, entry.name), { recursive: true });
  }
}

/**
 * The checks a staged output passes before it replaces the previous one: one stack
 * directory per account of the config and nothing else, each with a cdk.tf.json that is
 * JSON and pins its providers, and cdktf's manifest naming exactly those stacks and the files
 * the cdktf CLI reads for each (manifestProblems); then the security rule table, which
 * reports the rules the config opts out of through `log`. Throws, listing every problem.
 */
export function verifyStagedOutput(stagingDir: string, config: PlannedConfig, log: (line: string) => void = console.log): void {
  const problems: string[] = [];
  const expected = config.accounts.map((account) => account.name).sort();
  const stacksDir = path.join(stagingDir, 'stacks');
  const written = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : [];
  for (const name of expected.filter((stack) => !written.includes(stack))) problems.push(`stack ${name} was not written`);
  for (const name of written.filter((stack) => !expected.includes(stack))) problems.push(`${name} is not a stack of the config`);
  for (const name of expected.filter((stack) => written.includes(stack))) {
    const file = path.join(stacksDir, name, STACK_FILE);
    try {
      const stack = JSON.parse(fs.readFileSync(file, 'utf8')) as { terraform?: { required_providers?: unknown } };
      if (!stack.terraform?.required_providers) problems.push(`${name}/${STACK_FILE} pins no providers`);
    } catch (error) {
      problems.push(`${name}/${STACK_FILE} cannot be read as JSON: ${(error as Error).message}`);
    }
  }
  problems.push(...manifestProblems(stagingDir, expected));
  if (problems.length > 0) throw new Error(`the synthesized output is not what the config asks for: ${problems.join('; ')}`);
  verifySynthesizedStacks(stacksDir, config, log);
}

/**
 * What the cdktf CLI needs of manifest.json (cdktf list, synth, diff and deploy read it, with
 * or without --skip-synth): an entry for each stack of the config and no other, each naming
 * files that exist. For every entry the CLI reads and parses `synthesizedStackPath` and works
 * in `workingDirectory`: `readSynthesizedStacks` in
 * https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/%40cdktf/cli-core/src/lib/synth-stack.ts
 */
function manifestProblems(outdir: string, expected: string[]): string[] {
  const file = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(file)) return ['cdktf wrote no manifest.json'];
  let stacks: Record<string, Record<string, unknown>>;
  try {
    stacks = (JSON.parse(fs.readFileSync(file, 'utf8')) as { stacks: Record<string, Record<string, unknown>> }).stacks ?? {};
  } catch (error) {
    return [`manifest.json cannot be read as JSON: ${(error as Error).message}`];
  }
  const named = Object.keys(stacks).sort();
  const problems = [
    ...expected.filter((stack) => !named.includes(stack)).map((stack) => `manifest.json does not name stack ${stack}`),
    ...named.filter((stack) => !expected.includes(stack)).map((stack) => `manifest.json names ${stack}, not a stack of the config`),
  ];
  for (const stack of named.filter((name) => expected.includes(name))) {
    // stackMetadataPath is read only for HCL output (SYNTH_HCL_OUTPUT), which this app never writes.
    for (const field of ['synthesizedStackPath', 'workingDirectory']) {
      const value = stacks[stack][field];
      if (typeof value !== 'string' || !fs.existsSync(path.join(outdir, value))) problems.push(`manifest.json's ${field} of ${stack} names no file (${JSON.stringify(value)})`);
    }
  }
  return problems;
}
