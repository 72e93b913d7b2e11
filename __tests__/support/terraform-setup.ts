/**
 * The global setup of `npm run test:processes`: without a usable terraform every
 * Terraform-backed test would fail with the same error, so stop with one message instead, or
 * (DD_CLOUDTRAIL_SKIP_TERRAFORM=1) prepare to count the skipped ones.
 */
import { mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { providerMirror, registryProblem, terraformProblem } from '../../commands/terraform';
import globalSetup, { RUN_TMP_ENV } from './global-setup';
import { SKIP_TERRAFORM_ENV, SKIPPED_LOG_ENV, skipTerraform, STAND_IN_LOG_ENV } from './terraform';

/** An error jest prints as its message alone, without a stack trace. */
function plainError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

export default async function terraformSetup(): Promise<void> {
  await checkTerraform();
  await globalSetup();
  const run = process.env[RUN_TMP_ENV] as string;
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
      `npm run test:processes needs Terraform: ${problem}\n` +
        `To run only the tests that need no Terraform: ${SKIP_TERRAFORM_ENV}=1 npm run test:processes`,
    );
  }
}
