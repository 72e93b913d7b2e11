/** The enrollment benchmark's organization, and its section of docs/BENCHMARKS.md. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { listedAccounts, organizationTree } from '../commands/import-accounts';
import { validateDocument } from '../config/load';
import { ENROLLMENT_END, ENROLLMENT_START, organization } from '../tools/bench-enrollment';
import { sectionBetween } from '../tools/generated-section';

describe("the enrollment benchmark's organization", () => {
  const org = organization(500);

  test('lists as many accounts as asked, 30 of them not in the config yet', () => {
    expect(listedAccounts(org.accounts)).toHaveLength(500);
    expect(org.config.accounts).toHaveLength(470);
  });

  test('places every listed account in its OU tree', () => {
    const tree = organizationTree(org.tree);
    expect(org.accounts.Accounts.filter((account) => !tree.accountParents.has(account.Id))).toEqual([]);
  });

  test('is a valid config, as an enrollment run reads it', () => {
    expect(validateDocument(org.config, { allowMissingExternalIds: true })).toEqual([]);
  });
});

test('docs/BENCHMARKS.md has the enrollment section, which npm run bench keeps', () => {
  const page = readFileSync(path.join(__dirname, '..', 'docs', 'BENCHMARKS.md'), 'utf8');
  expect(sectionBetween(page, ENROLLMENT_START, ENROLLMENT_END)).toContain('## Enrollment');
});
