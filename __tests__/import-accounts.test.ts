/**
 * What `npm run import-accounts` does with an organization (commands/import-accounts.ts, in
 * process): the enrollment scope (OUs included, nested ones too, OUs and accounts excluded),
 * accounts that left, the wave of new accounts, and the config file changed by exactly one added
 * line per new account. The command as a user runs it, its output and exit codes, is in
 * processes/import-accounts.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { importFiles, organizationTree } from '../commands/import-accounts';
import { organizationConfig } from './support/organization-listing';
import { organizationFiles } from './support/organization-files';

describe('an import into an organization with an enrollment scope', () => {
  const input = organizationFiles();
  const outcome = importFiles(input);

  test('adds the active accounts under an included OU, nested OUs included', () => {
    expect(outcome.added.map((account) => `${account.name} ${account.accountId}`)).toEqual(['team-a 777777777777', 'team-b-prod 888888888888']);
  });

  test('puts them in the enrollment wave', () => {
    expect(outcome.added.map((account) => account.wave)).toEqual([2, 2]);
  });

  test('leaves out accounts under an excluded OU, and outside the included ones', () => {
    expect(outcome.config.accounts.map((account) => account.accountId)).not.toContain('999999999999');
    expect(outcome.config.accounts.map((account) => account.accountId)).not.toContain('444444444444');
    expect(outcome.config.accounts.map((account) => account.accountId)).not.toContain('333333333333');
    expect(outcome.outOfScope).toBe(3);
  });

  test('reports, by name and ID, the accounts that left: suspended, closed, gone from the list, moved out of the scope', () => {
    expect(outcome.left).toEqual([
      { name: 'analytics', accountId: '123456789012', reason: 'suspended' },
      { name: 'archive', accountId: '131313131313', reason: 'closed' },
      { name: 'payments', accountId: '666666666666', reason: 'outside the enrollment scope: in Root/Sandbox (ou-ab12-sandbox0), outside enrollment.organizationalUnits' },
      { name: 'legacy', accountId: '101010101010', reason: "no longer in the organization's account list: removed from it, or closed long enough ago that AWS no longer lists it" },
    ]);
  });

  test('keeps every account that left in the config', () => {
    expect(outcome.config.accounts.slice(0, 7)).toEqual(organizationConfig().accounts);
  });

  test("never reports the organization's management and log-archive accounts as outside the scope", () => {
    expect(outcome.left.map((account) => account.name)).not.toEqual(expect.arrayContaining(['management']));
  });

  test('skips new accounts that are not active', () => {
    expect(outcome.skipped).toEqual([{ id: '121212121212', name: 'Closing', reason: 'pending closure' }]);
  });

  test('changes the file by one added line per new account (and a comma), keeping the rest as it was', () => {
    const [before, after] = [outcome.before.split('\n'), readFileSync(input.config, 'utf8').split('\n')];
    const added = after.filter((line) => !before.includes(line));
    expect(added).toEqual([
      '    { "name": "team-a", "accountId": "777777777777", "region": "us-east-1", "assumeRoleArn": "arn:aws:iam::777777777777:role/OrganizationAccountAccessRole", "wave": 2 },',
      '    { "name": "team-b-prod", "accountId": "888888888888", "region": "us-east-1", "assumeRoleArn": "arn:aws:iam::888888888888:role/OrganizationAccountAccessRole", "wave": 2 }',
    ]);
    expect(after.length).toBe(before.length + 2);
    expect(JSON.parse(after.join('\n'))).toEqual(outcome.config);
  });

  test('changes nothing when run again with the same list', () => {
    const again = importFiles({ ...input });
    expect(again.added).toEqual([]);
    expect(again.after).toBe(again.before);
    expect(readFileSync(input.config, 'utf8')).toBe(outcome.after);
  });
});

describe('the enrollment scope', () => {
  test('leaves out an account of enrollment.excludeAccounts, wherever it is', () => {
    const config = organizationConfig();
    config.enrollment = { ...config.enrollment, excludeAccounts: ['777777777777'] };
    expect(importFiles(organizationFiles(config)).added.map((account) => account.accountId)).toEqual(['888888888888']);
  });

  test('is the whole organization without OUs, and needs no tree then', () => {
    const config = organizationConfig();
    delete config.enrollment;
    const outcome = importFiles({ ...organizationFiles(config), organization: undefined });
    expect(outcome.added.map((account) => account.accountId)).toEqual(['333333333333', '444444444444', '777777777777', '888888888888', '999999999999']);
  });

  test.each([
    ['organizationalUnits', { organizationalUnits: ['ou-ab12-workloda'] }, 'enrollment.organizationalUnits[0]: names no OU or root of the organization', 'did you mean "ou-ab12-workload" (Root/Workloads)?'],
    ['excludeOrganizationalUnits', { excludeOrganizationalUnits: ['ou-ab12-quarant1'] }, 'enrollment.excludeOrganizationalUnits[0]: names no OU or root of the organization', 'did you mean "ou-ab12-quaranti" (Root/Workloads/Quarantine)?'],
    ['excludeAccounts', { excludeAccounts: ['777777777778'] }, 'enrollment.excludeAccounts[0]: is no account of the organization', 'did you mean "777777777777"?'],
  ])('refuses a typo in %s with the fix, writing nothing', (_field, enrollment, problem, fix) => {
    const input = organizationFiles({ ...organizationConfig(), enrollment });
    const before = readFileSync(input.config, 'utf8');

    expect(() => importFiles(input)).toThrow(problem);
    expect(() => importFiles(input)).toThrow(fix);
    expect(readFileSync(input.config, 'utf8')).toBe(before);
  });

  test('needs the organization tree when it names OUs', () => {
    expect(() => importFiles({ ...organizationFiles(), organization: undefined })).toThrow("enrollment scope names OUs: pass the organization tree with --organization FILE");
  });

  test('refuses a tree that is not one', () => {
    expect(() => organizationTree({ Roots: [] })).toThrow('expected the organization tree rollout/enroll.ts writes');
  });
});

describe('a config that gives a key twice', () => {
  test('is refused, naming the key, and left as it is: only its last value would be read', () => {
    const input = organizationFiles();
    const text = readFileSync(input.config, 'utf8').replace('"enrollment": {', '"enrollment": {\n    "wave": 3,');
    writeFileSync(input.config, text);

    expect(() => importFiles(input)).toThrow('enrollment.wave: is given twice in the same object');
    expect(readFileSync(input.config, 'utf8')).toBe(text);
  });
});

describe('the wave of new accounts', () => {
  test('is the highest wave in use without enrollment.wave', () => {
    const config = organizationConfig();
    delete config.enrollment;
    expect(new Set(importFiles({ ...organizationFiles(config), organization: undefined }).added.map((account) => account.wave))).toEqual(new Set([3]));
  });

  test('is never a wave no account uses, even asked for', () => {
    const input = organizationFiles();
    expect(() => importFiles({ ...input, options: { wave: 4 } })).toThrow('--wave 4 is a wave no account uses: new accounts would deploy in a new GitHub environment, wave-4, which nobody has protected; use one of 1, 2, 3');
  });
});
