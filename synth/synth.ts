/**
 * What `npm run synth` writes: exactly one config's stacks. cdktf writes into its output
 * directory and never removes a stack it did not write this time, so stacks of an earlier
 * config would stay and be validated, planned or deployed. Instead the app is synthesized
 * into a staging directory beside the output, checked, and only then swapped in whole; a
 * synth that fails leaves the previous output exactly as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config/load';
import type { ResolvedConfig } from '../config/resolve';
import { buildApp } from '../stacks/app';
import { verifySynthesizedStacks } from '../rules/at-synth';

export const STACK_FILE = 'cdk.tf.json';

export interface SynthOptions {
  /** The output directory. @default $CDKTF_OUTDIR (set by the cdktf CLI), else 'cdktf.out' */
  readonly outdir?: string;
  /** Runs between "written aside" and "swapped in". @default verifyStagedOutput */
  readonly verify?: (stagingDir: string, config: ResolvedConfig, log: (line: string) => void) => void;
  /** Where the verification reports the rules the config opts out of. @default console.log */
  readonly log?: (line: string) => void;
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
export function outputDir(options: SynthOptions = {}, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(options.outdir ?? (env.CDKTF_OUTDIR || 'cdktf.out'));
}

/**
 * Validates `file` and replaces the output directory with its stacks. A config error
 * (ConfigError) throws before any construct exists; a failure after that (SynthError)
 * throws after removing what it staged.
 */
export function synthesize(file: string, options: SynthOptions = {}): ResolvedConfig {
  const config = loadConfig(file);
  const outdir = outputDir(options);
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  // Beside the output, so that the swap is a rename within one file system.
  const staging = fs.mkdtempSync(`${outdir}.staging-`);
  try {
    buildApp(config, { outdir: staging }).synth();
    (options.verify ?? verifyStagedOutput)(staging, config, options.log ?? console.log);
    swapIn(staging, outdir);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new SynthError(outdir, error instanceof Error ? error.message : String(error));
  }
  return config;
}

/**
 * The checks a staged output passes before it replaces the previous one: one stack
 * directory per account of the config and nothing else, each with a cdk.tf.json that is
 * JSON and pins its providers, and cdktf's manifest; then the security rule table, which
 * reports the rules the config opts out of through `log`. Throws, listing every problem.
 */
export function verifyStagedOutput(stagingDir: string, config: ResolvedConfig, log: (line: string) => void = console.log): void {
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
  if (!fs.existsSync(path.join(stagingDir, 'manifest.json'))) problems.push('cdktf wrote no manifest.json');
  if (problems.length > 0) throw new Error(`the synthesized output is not what the config asks for: ${problems.join('; ')}`);
  verifySynthesizedStacks(stacksDir, config, log);
}

/** Replaces `outdir` by `staging`; on failure, `outdir` is as it was. */
function swapIn(staging: string, outdir: string): void {
  if (!fs.existsSync(outdir)) {
    fs.renameSync(staging, outdir);
    return;
  }
  const previous = `${staging}.previous`;
  fs.renameSync(outdir, previous);
  try {
    fs.renameSync(staging, outdir);
  } catch (error) {
    fs.renameSync(previous, outdir);
    throw error;
  }
  fs.rmSync(previous, { recursive: true, force: true });
}
