/**
 * Runs once before any test: a temporary directory of the run's own, for every test and child
 * process, so that the teardown can tell what the tests left behind (and remove it) without
 * touching what other programs keep in $TMPDIR.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SKIPPED_LOG_ENV, STAND_IN_LOG_ENV } from './terraform';

/** Set for the test run: the temporary directory every test and child process uses. */
export const RUN_TMP_ENV = 'DD_CLOUDTRAIL_TEST_TMPDIR';

export default async function globalSetup(): Promise<void> {
  const run = mkdtempSync(path.join(tmpdir(), 'ddct-run-'));
  process.env[RUN_TMP_ENV] = run;
  process.env.TMPDIR = run;
  // This run's own logs, never ones inherited from a jest run that started this one: its
  // teardown would read and remove them while that run's workers still write to them.
  delete process.env[SKIPPED_LOG_ENV];
  delete process.env[STAND_IN_LOG_ENV];
}
