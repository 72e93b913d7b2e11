/**
 * Runs once before any test: without a usable terraform every Terraform-backed test would
 * fail with the same error, so stop with one message instead, or (DD_CLOUDTRAIL_SKIP_TERRAFORM=1)
 * prepare to count the skipped ones.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { providerMirror, registryProblem, terraformProblem } from '../../commands/terraform';
import { SKIP_TERRAFORM_ENV, SKIPPED_LOG_ENV, skipTerraform, STAND_IN_LOG_ENV } from './terraform';

/** An error jest prints as its message alone, without a stack trace. */
function plainError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** Set for the test run: the temporary directory every test and child process uses. */
export const RUN_TMP_ENV = 'DD_CLOUDTRAIL_TEST_TMPDIR';

export default async function globalSetup(): Promise<void> {
  await checkTerraform();
  // A temporary directory of this run's own, so that the teardown can tell what the tests
  // left behind (and remove it) without touching what other programs keep in $TMPDIR.
  const run = mkdtempSync(path.join(tmpdir(), 'ddct-run-'));
  process.env[RUN_TMP_ENV] = run;
  process.env.TMPDIR = run;
  // This run's own logs, never ones inherited from a jest run that started this one.
  delete process.env[SKIPPED_LOG_ENV];
  delete process.env[STAND_IN_LOG_ENV];
  if (skipTerraform()) process.env[SKIPPED_LOG_ENV] = mkdtempSync(path.join(run, 'skipped-'));
  else process.env[STAND_IN_LOG_ENV] = mkdtempSync(path.join(run, 'stand-ins-'));
}

async function checkTerraform(): Promise<void> {
  const skip = process.env[SKIP_TERRAFORM_ENV];
  if (skip !== undefined && skip !== '' && skip !== '1') {
    throw plainError(`${SKIP_TERRAFORM_ENV}=${skip}: set it to 1 to skip the Terraform-backed tests, or unset it.`);
  }
  if (skipTerraform()) return;
  let problem: string | undefined;
  try {
    problem = terraformProblem();
    providerMirror(process.env);
    // Offline without a mirror every Terraform-backed test would fail with the same raw
    // `no such host`: asked once here instead.
    problem ??= await registryProblem(process.env);
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem) {
    throw plainError(
      `npm test needs Terraform: ${problem}\n` +
        `To run only the tests that need no Terraform: ${SKIP_TERRAFORM_ENV}=1 npm test`,
    );
  }
}
