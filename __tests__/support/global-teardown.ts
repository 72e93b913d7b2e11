/**
 * Runs once after every test: says how many Terraform-backed tests were skipped, and fails
 * the run if the tests left anything in their temporary directory.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { RUN_TMP_ENV } from './global-setup';
import { SKIP_TERRAFORM_ENV, SKIPPED_LOG_ENV, STAND_IN_LOG_ENV } from './terraform';

/** Every line the workers wrote to the log directory named by `variable`; removes the directory. */
function readLog(variable: string): string[] | undefined {
  const log = process.env[variable];
  if (!log) return undefined;
  const lines = readdirSync(log).flatMap((file) => readFileSync(path.join(log, file), 'utf8').split('\n').filter(Boolean));
  rmSync(log, { recursive: true, force: true });
  return lines;
}

export default async function globalTeardown(): Promise<void> {
  const standIns = readLog(STAND_IN_LOG_ENV);
  if (standIns && standIns.length > 0) {
    // One paragraph per kind of stand-in: what was planned on it, and what was rewritten.
    const stacks = new Map<string, string[]>();
    for (const [description, stack] of standIns.map((line) => line.split('\t'))) stacks.set(description, [...(stacks.get(description) ?? []), stack]);
    const paragraphs = [...stacks].map(([description, names]) => `  ${names.length} stack plan(s) ${description}:\n    ${names.sort().join(', ')}`);
    console.warn(`\nTerraform plans that ran on a stand-in AWS provider (commands/provider-stand-in.ts):\n${paragraphs.join('\n')}`);
  }
  const skipped = readLog(SKIPPED_LOG_ENV);
  if (skipped) {
    console.warn(
      `\n${SKIP_TERRAFORM_ENV}=1: skipped ${skipped.length} Terraform-backed test${skipped.length === 1 ? '' : 's'} ` +
        '(terraform validate and offline plan). Install Terraform and run npm run test:processes without it before you merge.',
    );
  }
  const run = process.env[RUN_TMP_ENV];
  if (!run) return;
  // Tools' caches (jest's and ts-node's, from the commands the tests run) are not litter; nor
  // is Node's module compile cache: TypeScript's tsc (node_modules/typescript/lib/tsc.js) calls
  // module.enableCompileCache(), which exists from Node 22.1 and writes to
  // os.tmpdir()/node-compile-cache (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir).
  const left = readdirSync(run).filter((entry) => !/^(jest_|v8-compile-cache-|node-compile-cache$)/.test(entry));
  rmSync(run, { recursive: true, force: true });
  if (left.length > 0) {
    const error = new Error(`The tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their temporary directory: ${left.join(', ')}`);
    error.stack = error.message;
    throw error;
  }
}
