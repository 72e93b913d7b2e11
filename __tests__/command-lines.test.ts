/**
 * Every script parses its command line strictly (commands/cli.ts): a typo, a missing value or
 * a stray argument exits 1 with the usage and writes nothing; --help prints it and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type CommandSpec, parseCommandLine, UsageError } from '../commands/cli';
import { tempDir, validConfig, writeConfig } from './support/configs';

const ROOT = path.join(__dirname, '..');

const IMPORT: CommandSpec = {
  name: 'import-accounts',
  usage: 'Usage: ...',
  options: { wave: { type: 'string' }, 'role-name': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
};
const usageError = (argv: string[]): string => {
  try {
    parseCommandLine(IMPORT, argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
};

describe('parseCommandLine', () => {
  test('reads options and positionals', () => {
    const args = parseCommandLine(IMPORT, ['accounts.json', '--wave=3', '--role-name', 'Deploy', '--dry-run']);
    expect(args).not.toBe('help');
    if (args === 'help') return;
    expect([args.positionals, args.positiveInteger('wave'), args.string('role-name'), args.flag('dry-run')]).toEqual([
      ['accounts.json'],
      3,
      'Deploy',
      true,
    ]);
  });

  test('refuses an unknown option, suggesting the one meant', () => {
    expect(usageError(['a.json', '--dryrun'])).toBe("Unknown option '--dryrun': did you mean --dry-run?");
  });

  test('refuses an option as the value of another (`--role-name --wave 3`)', () => {
    expect(usageError(['a.json', '--role-name', '--wave', '3'])).toMatch(/^Option '--role-name' argument is ambiguous/);
  });

  test('refuses an option without its value', () => {
    expect(usageError(['a.json', '--wave'])).toBe("Option '--wave <value>' argument missing");
  });

  test('refuses a value that is not a wave, naming the option as written', () => {
    const args = parseCommandLine(IMPORT, ['a.json', '--wave=2x']);
    if (args === 'help') throw new Error('help');
    expect(() => args.positiveInteger('wave')).toThrow('--wave takes a whole number from 1 (1, 2, ...), got "2x"');
  });

  test('reads a duration in seconds (90s, 30m, 1h), and refuses one without its unit', () => {
    const spec: CommandSpec = { name: 'shard', usage: 'Usage: ...', options: { timeout: { type: 'string' } } };
    const seconds = (value: string) => {
      const args = parseCommandLine(spec, [`--timeout=${value}`]);
      if (args === 'help') throw new Error('help');
      return args.seconds('timeout');
    };

    expect(['90s', '30m', '1h'].map(seconds)).toEqual([90, 1800, 3600]);
    expect(() => seconds('30')).toThrow('--timeout takes a duration: a whole number from 1 and s, m or h (90s, 30m, 1h), got "30"');
  });

  test('refuses an option given twice', () => {
    expect(usageError(['a.json', '--wave', '1', '--wave', '2'])).toBe('--wave is given more than once');
  });

  test('refuses an extra positional argument, and a missing one', () => {
    expect(usageError(['a.json', '2'])).toBe('Unexpected argument "2"');
    expect(usageError([])).toBe('Missing argument: 1 expected, 0 given');
  });

  test('answers --help and -h with help, whatever else is there', () => {
    expect(parseCommandLine(IMPORT, ['--help'])).toBe('help');
    expect(parseCommandLine(IMPORT, ['-h', 'a.json'])).toBe('help');
  });
});

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
