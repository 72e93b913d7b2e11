/** Runs once after every test: says how many Terraform-backed tests were skipped. */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { SKIP_TERRAFORM_ENV, SKIPPED_LOG_ENV } from './terraform';

export default async function globalTeardown(): Promise<void> {
  const log = process.env[SKIPPED_LOG_ENV];
  if (!log) return;
  const skipped = readdirSync(log).flatMap((file) => readFileSync(path.join(log, file), 'utf8').split('\n').filter(Boolean));
  rmSync(log, { recursive: true, force: true });
  delete process.env[SKIPPED_LOG_ENV];
  console.warn(
    `\n${SKIP_TERRAFORM_ENV}=1: skipped ${skipped.length} Terraform-backed test${skipped.length === 1 ? '' : 's'} ` +
      '(terraform validate and offline plan). Install Terraform and run npm test without it before you merge.',
  );
}
