/**
 * Runs once before any test: a temporary directory of the run's own, for every test and child
 * process, so that the teardown can tell what the tests left behind (and remove it) without
 * touching what other programs keep in $TMPDIR.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Set for the test run: the temporary directory every test and child process uses. */
export const RUN_TMP_ENV = 'DD_CLOUDTRAIL_TEST_TMPDIR';

export default async function globalSetup(): Promise<void> {
  const run = mkdtempSync(path.join(tmpdir(), 'ddct-run-'));
  process.env[RUN_TMP_ENV] = run;
  process.env.TMPDIR = run;
}
