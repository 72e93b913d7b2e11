/**
 * The roll-out's commands as the workflows and a user run them, each a Node process of its own:
 * `npm run stacks` (the stacks of a wave, in deploy order) and `npm run import-accounts` into a
 * per-account config. What they compute is specified in process in rollout-scripts.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../../config/types';
import { writeConfig } from '../support/configs';
import { importable, LISTED } from '../support/per-account-listing';

const ROOT = path.join(__dirname, '..', '..');
const ORGANIZATION = path.join(ROOT, 'examples', 'organization.json');
const run = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(ROOT, 'commands', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
  });

describe('npm run stacks', () => {
  test('prints the stacks of one wave, one a line, log-archive before management', () => {
    const result = run('stacks.ts', ['--wave', '1', '--config', ORGANIZATION]);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('log-archive\nmanagement\nsandbox\n');
  });

  test('prints every stack in deploy order without --wave', () => {
    expect(run('stacks.ts', ['--config', ORGANIZATION]).stdout.trim().split('\n')).toEqual(['log-archive', 'management', 'sandbox', 'staging', 'prod']);
  });

  test.each([
    [['--wave', 'first'], '--wave takes a whole number from 1'],
    [['--wave=2x'], '--wave takes a whole number from 1 (1, 2, ...), got "2x"'],
    [['--wav', '2'], "Unknown option '--wav': did you mean --wave?"],
    [['2'], 'Unexpected argument "2"'],
  ])('refuses %j, printing no stack (a deploy loop would deploy every wave)', (args, message) => {
    const result = run('stacks.ts', [...args, '--config', ORGANIZATION]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  test('prints name, wave, account ID and region of each stack as JSON with --json, in deploy order', () => {
    const result = run('stacks.ts', ['--json', '--wave', '1', '--config', ORGANIZATION]);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { name: 'log-archive', wave: 1, accountId: '222222222222', region: 'us-east-1' },
      { name: 'management', wave: 1, accountId: '111111111111', region: 'us-east-1' },
      { name: 'sandbox', wave: 1, accountId: '333333333333', region: 'us-east-1' },
    ]);
  });

  test('prints nothing for a wave without stacks, says so on stderr and exits 0', () => {
    const result = run('stacks.ts', ['--wave', '9', '--config', ORGANIZATION]);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No stacks in wave 9 of');
  });

  test('prints an empty JSON list for a wave without stacks with --json', () => {
    const result = run('stacks.ts', ['--json', '--wave', '9', '--config', ORGANIZATION]);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  test('reads the config from DD_CLOUDTRAIL_CONFIG without --config', () => {
    expect(run('stacks.ts', ['--wave', '2'], { DD_CLOUDTRAIL_CONFIG: ORGANIZATION }).stdout).toBe('staging\n');
  });
});

describe('npm run import-accounts', () => {
  test('merges list-accounts output into the config file and prints what changed', () => {
    const file = writeConfig(importable());
    const input = writeConfig(LISTED);

    const result = run('import-accounts.ts', [input, '--config', file, '--wave', '1']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('+ data-platform-eu (222222222222) wave 1 in us-east-1');
    expect(result.stdout).toContain('- skipped Old sandbox (333333333333): suspended');
    expect((JSON.parse(readFileSync(file, 'utf8')) as Config).accounts).toHaveLength(4);
  });

  test('lists the accounts that still need their own external ID, and where to get them', () => {
    const result = run('import-accounts.ts', [writeConfig(LISTED), '--config', writeConfig(importable())]);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('4 account(s) still need their own external ID before synth accepts the config: prod, data-platform-eu, account-2024-experiments, prod-555555555555.');
    expect(result.stdout).toContain("Datadog's AWS integration tile");
  });

  test('writes nothing when the merged config would be invalid', () => {
    const config = importable();
    config.trail.bucketName = 'one-bucket-for-all';
    const file = writeConfig(config);
    const before = readFileSync(file, 'utf8');

    const result = run('import-accounts.ts', [writeConfig(LISTED), '--config', file]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('S3 bucket names are global');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  test('rejects input that is not list-accounts output', () => {
    const result = run('import-accounts.ts', [writeConfig({ accounts: [] }), '--config', writeConfig(importable())]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('aws organizations list-accounts');
  });
});
