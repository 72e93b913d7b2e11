/**
 * Tests that run the real terraform. With DD_CLOUDTRAIL_SKIP_TERRAFORM=1 (for a machine
 * without Terraform; CI never sets it) they are skipped and counted, and jest's global
 * teardown says how many were skipped.
 */
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeStandIn } from '../../commands/provider-stand-in';
import type { StackCheck } from '../../commands/terraform';

export const SKIP_TERRAFORM_ENV = 'DD_CLOUDTRAIL_SKIP_TERRAFORM';
/** Set by the global setup: the directory where each jest worker records what it skipped. */
export const SKIPPED_LOG_ENV = 'DD_CLOUDTRAIL_SKIPPED_TERRAFORM_LOG';
/** Set by the global setup: where each jest worker records the plans that ran on a stand-in provider. */
export const STAND_IN_LOG_ENV = 'DD_CLOUDTRAIL_STAND_IN_LOG';

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

/**
 * Records the checks that ran on a stand-in AWS provider (commands/provider-stand-in.ts), so
 * that the global teardown lists them: a green run must say what it did not check.
 */
export function recordStandIns(label: string, checks: StackCheck[]): void {
  const log = process.env[STAND_IN_LOG_ENV];
  const lines = checks.flatMap((check) => (check.standIn ? [`${describeStandIn(check.standIn)}\t${label} ${check.stack}\n`] : []));
  if (log && lines.length > 0) appendFileSync(path.join(log, `${process.pid}.log`), lines.join(''));
}
