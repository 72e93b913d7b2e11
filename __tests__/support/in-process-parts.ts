/**
 * `npm test` loads the in-process specification in a few shared module registries instead of
 * one per file. Jest gives every test file a registry of its own, so each of the 67 files
 * loaded cdktf, the provider classes and the config schema again: about 0.7 s of CPU a file,
 * half of the suite's CPU time. A part (`__tests__/in-process/part-N.test.ts`) requires its
 * share of the spec files into one registry; each file still reads and runs alone
 * (`npx jest --testMatch '**\/<file>'`).
 *
 * A file's part is a hash of its path, so that adding a file moves no other file (and no
 * other file's snapshots) to another part.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const TESTS = path.join(__dirname, '..');
/** What runs elsewhere: the parts themselves, the process tests, and the support code. */
const NOT_SPECS = new Set(['in-process', 'processes', 'support', '__snapshots__']);
export const PART_COUNT = 4;

/** Every spec file of `npm test`, relative to __tests__/, sorted. */
export function specFiles(dir = TESTS): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      if (entry.isDirectory()) return NOT_SPECS.has(entry.name) ? [] : specFiles(path.join(dir, entry.name));
      return entry.name.endsWith('.test.ts') ? [path.join(dir, entry.name)] : [];
    })
    .map((file) => path.relative(TESTS, path.resolve(dir, file)))
    .sort();
}

/** The part (1 to PART_COUNT) that loads `file`, a path relative to __tests__/. */
export function partOf(file: string): number {
  const digest = createHash('sha256').update(file.split(path.sep).join('/')).digest();
  return (digest.readUInt32BE(0) % PART_COUNT) + 1;
}

/** Loads the spec files of part `part` into the calling test file's registry. */
export function loadPart(part: number): void {
  for (const file of specFiles().filter((spec) => partOf(spec) === part)) {
    require(path.join(TESTS, file)); // eslint-disable-line @typescript-eslint/no-require-imports -- a spec file is loaded for its describe and test calls, found at run time
  }
}
