/**
 * A useful answer to every mistake on a command line or in a file a command reads: what was
 * wrong, where, and what to do; never a stack trace, never a silent wrong answer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { validateDocument } from '../../config/load';
import { generateOrganization } from '../../tools/generate-organization';
import { tempDir, validConfig, writeConfig } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');
const ORGANIZATION = path.join(ROOT, 'examples', 'organization.json');

/** Runs a script as its npm script does (the transpile cache), in `cwd`, with no config named unless `env` names one. */
function run(script: string, args: string[], { cwd = tempDir(), env = {} }: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, script), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', DD_CLOUDTRAIL_CONFIG: '', INIT_CWD: '', ...env },
  });
}
const noStackTrace = (output: string) => expect(output).not.toMatch(/^\s+at /m);

describe('a relative --config', () => {
  test('is read from the folder npm was run in, not the project root npm runs scripts from', () => {
    const result = spawnSync('npm', ['run', '--silent', 'stacks', '--', '--config', 'organization.json'], {
      cwd: path.join(ROOT, 'examples'),
      encoding: 'utf8',
      env: { ...process.env, DD_CLOUDTRAIL_CONFIG: '' },
    });

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('log-archive\nmanagement\nsandbox\nstaging\nprod\n');
  });

  test('that names no file says so with the full path it looked at', () => {
    const cwd = tempDir();

    const result = run('commands/stacks.ts', ['--config', 'missing.json'], { cwd });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`(file): cannot be read: ${path.join(cwd, 'missing.json')} does not exist`);
  });
});

describe('the config a command reads', () => {
  test.each([
    ['stacks', 'commands/stacks.ts', []],
    ['shards', 'rollout/shards.ts', []],
  ])('npm run %s refuses to run when none is named, rather than read the example', (name, script, args) => {
    const result = run(script, args);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`npm run ${name}: No config named. Name your config with --config FILE or DD_CLOUDTRAIL_CONFIG=FILE`);
  });

  test('npm run synth falls back to the example, saying so', () => {
    const result = run('main.ts', []);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Synthesized 1 stack(s) from ${path.join(ROOT, 'examples', 'single-account.json')} (the example: no --config and no $DD_CLOUDTRAIL_CONFIG): prod`);
  });

  test('npm run synth says when the config came from DD_CLOUDTRAIL_CONFIG', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'mine.json'), JSON.stringify(validConfig()));

    expect(run('main.ts', [], { cwd, env: { DD_CLOUDTRAIL_CONFIG: 'mine.json' } }).stdout).toContain('Synthesized 1 stack(s) from mine.json ($DD_CLOUDTRAIL_CONFIG): prod');
  });
});

describe('npm run synth of many accounts', () => {
  test('names ten stacks and counts the rest, on one short line', () => {
    const config = generateOrganization(20);

    const result = run('main.ts', ['--config', writeConfig(config)]);

    const line = result.stdout.split('\n').find((l) => l.startsWith('Synthesized')) as string;
    expect(line).toMatch(/^Synthesized 22 stack\(s\) from .*: log-archive, management, member-1, member-2, member-3, member-4, member-5, member-6, member-7, member-8 and 12 more \(npm run stacks lists them\)$/);
  });

  test('warns about gaps in wave numbers', () => {
    const config = validConfig();
    config.accounts[0].wave = 3;

    const result = run('main.ts', ['--config', writeConfig(config)]);

    expect(result.status).toBe(0);
    expect(result.stderr).toContain('Warning: no account is in wave 1 to 2: the roll-out runs the waves there are, in order');
  });
});

describe('a wave option', () => {
  test('given a negative number says what a wave is, not that the argument is ambiguous', () => {
    const result = run('commands/stacks.ts', ['--wave', '-1', '--config', ORGANIZATION]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--wave takes a whole number from 1 (1, 2, ...), got "-1"');
    expect(result.stdout).toBe('');
  });
});

describe('npm run shard', () => {
  test('without plan or apply says which one it needs', () => {
    const result = run('rollout/shard.ts', ['--stacks', 'prod']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run shard: Missing argument: plan or apply (npm run shard -- plan --stacks "A B")');
  });

  test.each([
    [['../etc', 'prod'], '"../etc" is not a stack name (a letter, then letters, digits, - or _, at most 64: an account\'s name)'],
    [['prod', 'staging', 'prod'], 'prod is listed more than once: give each stack once'],
  ])('refuses the stacks %j before running anything', (stacks, message) => {
    const cwd = tempDir();

    const result = run('rollout/shard.ts', ['apply', '--stacks', stacks.join(' ')], { cwd });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`npm run shard: --stacks: ${message}`);
    expect(existsSync(path.join(cwd, 'plans'))).toBe(false);
  });

  test('writes its saved plans where git ignores them', () => {
    const result = spawnSync('git', ['check-ignore', '--no-index', 'plans/prod.tfplan', 'plans/plan.json'], { cwd: ROOT, encoding: 'utf8' });

    expect(result.stdout.trim().split('\n')).toEqual(['plans/prod.tfplan', 'plans/plan.json']);
  });
});

describe('npm run shards', () => {
  test('refuses a stack given twice, naming it', () => {
    const result = run('rollout/shards.ts', ['--stacks', 'prod prod', '--config', ORGANIZATION]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--stacks: prod is listed more than once');
    noStackTrace(result.stderr);
  });
});

describe('npm run import-accounts', () => {
  const LISTED = { Accounts: [{ Id: '222222222222', Name: 'Data', Status: 'ACTIVE' }] };

  test('with a --region that is no region points at the flag, and changes nothing', () => {
    const file = writeConfig(validConfig());
    const before = readFileSync(file, 'utf8');

    const result = run('commands/import-accounts.ts', [writeConfig(LISTED), '--config', file, '--region', 'eu-west1']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run import-accounts: --region "eu-west1" is not a known AWS region: did you mean eu-west-1?');
    expect(result.stderr).not.toContain('accounts[');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('writes a config that fails only for the new accounts’ external IDs, as its help says', () => {
    const config = validConfig();
    // The new account's forwarder reads the key from the first account's secret, under its own key.
    config.datadog.apiKeySecretKmsKeyArn = 'arn:aws:kms:us-east-1:111111111111:key/2a6f3c1e-7b9d-4e8a-9c0f-5d1b3e7a9c2f';
    const file = writeConfig(config);

    const help = run('commands/import-accounts.ts', ['--help']).stdout.replace(/\s+/g, ' ');
    const result = run('commands/import-accounts.ts', [writeConfig(LISTED), '--config', file]);

    expect(help).toContain("The config is written only if the result passes every check but one: the new accounts' external IDs");
    expect(result.status).toBe(0);
    expect(validateDocument(JSON.parse(readFileSync(file, 'utf8'))).map((issue) => issue.path)).toEqual(['datadog.externalId']);
    expect(result.stdout).toContain('account(s) still need their own external ID before synth accepts the config: prod, data.');
  });

  test.each([
    ['a config that is not an object', () => writeConfig([]), () => writeConfig(LISTED), 'Invalid config', '(top level): must be an object'],
    ['a config that is not valid', () => writeConfig({ ...validConfig(), accounts: [] }), () => writeConfig(LISTED), 'Invalid config', 'accounts: is empty'],
    ['list-accounts output with a bad account ID', () => writeConfig(validConfig()), () => writeConfig({ Accounts: [{ Id: 5 }] }), 'Invalid list-accounts output', 'Accounts[0].Id: is not a 12-digit AWS account ID (found 5)'],
    ['list-accounts output that is not JSON', () => writeConfig(validConfig()), () => writeConfig('{"Accounts": [}'), 'Invalid list-accounts output', 'is not valid JSON at line 1:15: "}" where a value should be'],
  ])('refuses %s with the path, the value and the fix, changing nothing', (_what, config, listed, header, line) => {
    const file = config();
    const before = readFileSync(file, 'utf8');

    const result = run('commands/import-accounts.ts', [listed(), '--config', file]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(header);
    expect(result.stderr).toContain(line);
    expect(result.stderr).toContain('fix: ');
    noStackTrace(result.stderr);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('npm run rollout-report', () => {
  test.each([[[]], [['--replan']]])('on a folder that does not exist exits 1 and says so (%j), printing no stacks', (mode) => {
    const result = run('rollout/rollout-report.ts', ['reprots', '--stacks', 'prod', ...mode]);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('reprots is not a folder: name the folder the shard reports (plan.json, apply.json) were downloaded into.');
  });

  test.each([
    ['not JSON', '{"command": "plan",', 'is not valid JSON at line 1:20: the text ends where a key in double quotes should follow'],
    ['a report of another shape', JSON.stringify({ command: 'plan', shard: 'w1-001', stacks: [{ stack: 'prod' }] }), 'stacks[0].result: is not text (found null)'],
  ])('refuses a report that is %s, naming the file and where', (_what, content, line) => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'reports', 'plan-w1-001'), { recursive: true });
    writeFileSync(path.join(cwd, 'reports', 'plan-w1-001', 'plan.json'), content);

    const result = run('rollout/rollout-report.ts', ['reports', '--stacks', 'prod'], { cwd });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid shard report reports/plan-w1-001/plan.json: 1 problem.');
    expect(result.stderr).toContain(line);
    noStackTrace(result.stderr);
  });
});

describe('npm run policies', () => {
  test('on a folder without stacks exits 2, as check does', () => {
    const result = run('commands/policies.ts', ['--dir', tempDir()]);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('holds no <stack>/cdk.tf.json');
  });

  test('on a stack that is not JSON exits 2, naming the file and the line', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'prod'));
    writeFileSync(path.join(dir, 'prod', 'cdk.tf.json'), '{\n  "resource": \n}');

    const result = run('commands/policies.ts', ['--dir', dir]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`Invalid stack ${path.join(dir, 'prod', 'cdk.tf.json')}: 1 problem.`);
    expect(result.stderr).toContain('is not valid JSON at line 3:1: "}" where a value should be');
    noStackTrace(result.stderr);
  });
});

describe('npm run validate', () => {
  test('on a file instead of the stacks folder says so, without a stack trace', () => {
    const file = writeConfig({});

    const result = run('commands/validate.ts', [file]);

    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${file} is a file: name the folder of the stacks (cdktf.out/stacks).\n`);
  });
});

describe('npm run generate-organization', () => {
  test('leaves an existing file alone, and replaces it with --force', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'mine.json'), 'my own config');

    const refused = run('tools/generate-organization.ts', ['3', 'mine.json'], { cwd });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('mine.json exists and was left as it was: name a new file, or add --force to replace it.');
    expect(readFileSync(path.join(cwd, 'mine.json'), 'utf8')).toBe('my own config');

    expect(run('tools/generate-organization.ts', ['3', 'mine.json', '--force'], { cwd }).status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'mine.json'), 'utf8')).accounts).toHaveLength(5);
  });
});
