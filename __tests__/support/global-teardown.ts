/**
 * Runs once after every test: says how many Terraform-backed tests were skipped, and fails
 * the run if the tests left anything in their temporary directory.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { RUN_TMP_ENV } from './global-setup';
import { SKIP_TERRAFORM_ENV, SKIPPED_LOG_ENV } from './terraform';

export default async function globalTeardown(): Promise<void> {
  const log = process.env[SKIPPED_LOG_ENV];
  if (log) {
    const skipped = readdirSync(log).flatMap((file) => readFileSync(path.join(log, file), 'utf8').split('\n').filter(Boolean));
    rmSync(log, { recursive: true, force: true });
    console.warn(
      `\n${SKIP_TERRAFORM_ENV}=1: skipped ${skipped.length} Terraform-backed test${skipped.length === 1 ? '' : 's'} ` +
        '(terraform validate and offline plan). Install Terraform and run npm test without it before you merge.',
    );
  }
  const run = process.env[RUN_TMP_ENV];
  if (!run) return;
  // Tools' caches (jest's and ts-node's, from the commands the tests run) are not litter.
  const left = readdirSync(run).filter((entry) => !/^(jest_|v8-compile-cache-)/.test(entry));
  rmSync(run, { recursive: true, force: true });
  if (left.length > 0) {
    const error = new Error(`The tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their temporary directory: ${left.join(', ')}`);
    error.stack = error.message;
    throw error;
  }
}
