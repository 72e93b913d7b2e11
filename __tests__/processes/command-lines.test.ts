/**
 * Every script parses its command line strictly (commands/cli.ts): a typo, a missing value or
 * a stray argument exits 1 with the usage and writes nothing; --help prints it and exits 0.
 * Each script runs as a process, as its npm script runs it. The parser itself is tested in
 * process in ../command-lines.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, validConfig, writeConfig } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

/** Runs a script as its npm script does, through the cached transpile-only loader. */
function run(script: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, script), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', DD_CLOUDTRAIL_CONFIG: '' },
  });
}

const SCRIPTS: Array<[string, string, string[]]> = [
  ['synth', 'main.ts', []],
  ['stacks', 'commands/stacks.ts', []],
  ['shards', 'rollout/shards.ts', []],
  ['shard', 'rollout/shard.ts', ['plan', '--stacks', 'prod']],
  ['rollout-report', 'rollout/rollout-report.ts', ['reports', '--stacks', 'prod']],
  ['approvals', 'rollout/approvals.ts', ['--waves', '1']],
  ['enroll', 'rollout/enroll.ts', ['--config', 'config.json']],
  ['diff', 'commands/diff.ts', ['--base', 'HEAD']],
  ['import-accounts', 'commands/import-accounts.ts', ['accounts.json', '--config', 'config.json']],
  ['validate', 'commands/validate.ts', []],
  ['generate-organization', 'tools/generate-organization.ts', ['3', 'out.json']],
  ['bench', 'tools/bench.ts', []],
  ['bench-rollout', 'tools/bench-rollout.ts', []],
  ['bench-enrollment', 'tools/bench-enrollment.ts', []],
  ['docs', 'tools/config-reference.ts', []],
  ['policies', 'commands/policies.ts', []],
  ['check', 'commands/check.ts', []],
];

/** What `npm run docs` writes: a command that misparses its line must leave them alone. */
const GENERATED_PAGES = ['docs/CONFIGURATION.md', 'docs/SECURITY.md'];

describe.each(SCRIPTS)('npm run %s', (name, script, valid) => {
  test.each([
    ['an unknown option', [...valid, '--frobnicate'], "Unknown option '--frobnicate'"],
    ['a stray argument', [...valid, 'a', 'b', 'c'], 'Unexpected argument'],
  ])('exits 1 with the usage and writes nothing on %s', (_what, args, message) => {
    const cwd = tempDir();
    const pagesBefore = GENERATED_PAGES.map((page) => readFileSync(path.join(ROOT, page), 'utf8'));

    const result = run(script, args, cwd);

    // `check` exits 1 on a broken rule: a usage error there is unusable input, 2, as in `policies`.
    expect(result.status).toBe(name === 'check' || name === 'policies' ? 2 : 1);
    expect(result.stderr).toContain(`npm run ${name}: ${message}`);
    expect(result.stderr).toContain(`Usage: npm run ${name}`);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
    expect(GENERATED_PAGES.map((page) => readFileSync(path.join(ROOT, page), 'utf8'))).toEqual(pagesBefore);
  });

  test('prints its usage for --help and exits 0', () => {
    const result = run(script, ['--help'], tempDir());

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: npm run ${name}`));
  });
});

describe('npm run import-accounts', () => {
  test('writes nothing on a typo of --dry-run', () => {
    const config = writeConfig(validConfig());
    const before = readFileSync(config, 'utf8');

    const result = run('commands/import-accounts.ts', [writeConfig({ Accounts: [{ Id: '222222222222', Name: 'new' }] }), '--config', config, '--dryrun'], tempDir());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Unknown option '--dryrun': did you mean --dry-run?");
    expect(readFileSync(config, 'utf8')).toBe(before);
  });

  test('refuses --role-name with --no-assume-role', () => {
    const result = run('commands/import-accounts.ts', ['a.json', '--config', 'c.json', '--role-name', 'X', '--no-assume-role'], tempDir());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--role-name and --no-assume-role contradict each other');
  });
});

describe('npm run diff', () => {
  test('exits 1, not 2, on a bad command line', () => {
    const result = run('commands/diff.ts', ['--base', 'HEAD', '--jsn'], ROOT);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Unknown option '--jsn': did you mean --json?");
  });
});
