/** `npm test` loads every spec file, once (__tests__/support/in-process-parts.ts). */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { PART_COUNT, partOf, specFiles } from './support/in-process-parts';

const TESTS = __dirname;

/** Every `*.test.ts` under __tests__/, relative to it, found without the parts' own listing. */
function testFiles(dir = TESTS): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(TESTS, path.join(entry.parentPath, entry.name)));
}

test('loads every test file that is neither a part nor a process test', () => {
  const elsewhere = (file: string) => file.startsWith(`in-process${path.sep}`) || file.startsWith(`processes${path.sep}`);
  expect(specFiles()).toEqual(testFiles().filter((file) => !elsewhere(file)).sort());
});

test('gives every part some spec files, each file to one part', () => {
  const parts = specFiles().map(partOf);
  for (let part = 1; part <= PART_COUNT; part++) expect(parts).toContain(part);
  expect(parts.every((part) => Number.isInteger(part) && part >= 1 && part <= PART_COUNT)).toBe(true);
});
