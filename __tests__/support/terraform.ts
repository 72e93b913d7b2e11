/**
 * Tests that run the real terraform. With DD_CLOUDTRAIL_SKIP_TERRAFORM=1 (for a machine
 * without Terraform; CI never sets it) they are skipped and counted, and jest's global
 * teardown says how many were skipped.
 */
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';

export const SKIP_TERRAFORM_ENV = 'DD_CLOUDTRAIL_SKIP_TERRAFORM';
/** Set by the global setup: the directory where each jest worker records what it skipped. */
export const SKIPPED_LOG_ENV = 'DD_CLOUDTRAIL_SKIPPED_TERRAFORM_LOG';

export const skipTerraform = (): boolean => process.env[SKIP_TERRAFORM_ENV] === '1';

/** `test`, unless Terraform-backed tests are skipped: then `test.skip`, counted. */
export function terraformTest(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (!skipTerraform()) {
    test(name, fn, timeout);
    return;
  }
  const log = process.env[SKIPPED_LOG_ENV];
  if (log) appendFileSync(path.join(log, `${process.pid}.log`), `${name}\n`);
  test.skip(name, fn, timeout);
}

/**
 * A shared `terraform init` and the plans of every example take about 20 s on a quiet 2-core
 * machine, and several times that when both cores are busy: room for a loaded CI runner.
 */
export const TERRAFORM_SETUP_TIMEOUT_MS = 10 * 60 * 1000;

/** `beforeAll` for work only Terraform-backed tests need; nothing when they are skipped. */
export function beforeAllWithTerraform(fn: jest.ProvidesCallback, timeout = TERRAFORM_SETUP_TIMEOUT_MS): void {
  if (!skipTerraform()) beforeAll(fn, timeout);
}
