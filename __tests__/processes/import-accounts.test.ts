/**
 * `npm run import-accounts` against an organization, run as a user runs it: a Node process of its
 * own, its output and exit code. What the import does is specified in process in
 * import-accounts.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { organizationFiles } from '../support/organization-files';

const ROOT = path.join(__dirname, '..', '..');

describe('npm run import-accounts', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'commands', 'import-accounts.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

  test('reads the tree from --organization and prints who was added, skipped and who left', () => {
    const input = organizationFiles();
    const result = run([input.listAccounts, '--config', input.config, '--organization', input.organization]);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('+ team-a (777777777777) wave 2 in us-east-1');
    expect(result.stdout).toContain('! payments (666666666666) left: outside the enrollment scope: in Root/Sandbox (ou-ab12-sandbox0)');
    expect(result.stdout).toContain('It stays in the config until you retire it (docs/ROLLOUT.md, Retiring an account).');
    expect(result.stdout).toContain('2 added, 6 already in the config, 4 left, 1 skipped, 3 outside the enrollment scope.');
  });

  test('refuses a new wave number with exit code 1, writing nothing', () => {
    const input = organizationFiles();
    const before = readFileSync(input.config, 'utf8');
    const result = run([input.listAccounts, '--config', input.config, '--organization', input.organization, '--wave', '9']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--wave 9 is a wave no account uses');
    expect(readFileSync(input.config, 'utf8')).toBe(before);
  });
});
