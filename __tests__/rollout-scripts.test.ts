import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig, validateDocument } from '../config/load';
import type { Config } from '../config/types';
import { deployOrder } from '../config/topology';
import { importAccounts, listedAccounts, stackName } from '../commands/import-accounts';
import { validConfig, writeConfig } from './support/configs';

const ROOT = path.join(__dirname, '..');
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

describe('deployOrder', () => {
  test('orders by wave, then the log-archive account before the management account', () => {
    const config = parseConfig(readFileSync(ORGANIZATION, 'utf8'), 'organization.json');

    expect(deployOrder(config).map((a) => `${a.wave}:${a.name}`)).toEqual(['1:log-archive', '1:management', '1:sandbox', '2:staging', '3:prod']);
  });
});

const LISTED = {
  Accounts: [
    { Id: '111111111111', Name: 'Prod (renamed)', Status: 'ACTIVE' },
    { Id: '222222222222', Name: 'Data Platform — EU', Status: 'ACTIVE', State: 'ACTIVE' },
    { Id: '333333333333', Name: 'Old sandbox', Status: 'SUSPENDED', State: 'SUSPENDED' },
    { Id: '444444444444', Name: '2024 experiments', Status: 'ACTIVE' },
    { Id: '555555555555', Name: 'prod', Status: 'ACTIVE' },
  ],
};

/**
 * A per-account config whose forwarders may read its one API key secret from any account: the
 * secret is under a customer managed key (each stack prints the statements its owner adds).
 */
const importable = (): ReturnType<typeof validConfig> => {
  const config = validConfig();
  config.datadog.apiKeySecretKmsKeyArn = 'arn:aws:kms:us-east-1:111111111111:key/2a6f3c1e-7b9d-4e8a-9c0f-5d1b3e7a9c2f';
  return config;
};

describe('importAccounts', () => {
  const result = importAccounts(importable(), listedAccounts(LISTED));

  test('keeps existing entries exactly as they are', () => {
    expect(result.config.accounts[0]).toEqual(importable().accounts[0]);
    expect(result.kept.map((a) => a.accountId)).toEqual(['111111111111']);
  });

  test('skips suspended accounts', () => {
    expect(result.skipped).toEqual([{ id: '333333333333', name: 'Old sandbox', reason: 'suspended' }]);
  });

  test('derives safe, unique stack names', () => {
    expect(result.added.map((a) => a.name)).toEqual(['data-platform-eu', 'account-2024-experiments', 'prod-555555555555']);
  });

  test('puts new accounts in the highest wave in use, never a new one, in the existing region, with the organization access role', () => {
    expect(result.added[0]).toEqual({
      name: 'data-platform-eu',
      accountId: '222222222222',
      region: 'us-east-1',
      assumeRoleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      wave: 1,
    });
  });

  test('writes a config that is valid but for the external IDs Datadog has yet to issue', () => {
    expect(validateDocument(result.config, { allowMissingExternalIds: true })).toEqual([]);
  });

  test('writes a config that synth refuses until each new account has its own external ID', () => {
    expect(() => parseConfig(JSON.stringify(result.config), 'merged.json')).toThrow(/datadog\.externalId: is the external ID of 4 accounts/);
    const complete = structuredClone(result.config);
    complete.accounts.forEach((account, i) => { account.externalId = `${i}`.repeat(32); });
    expect(() => parseConfig(JSON.stringify(complete), 'merged.json')).not.toThrow();
  });

  test('with manageIntegration, writes a config synth accepts as it is: Datadog generates the new accounts\' IDs', () => {
    const managed = importable();
    delete managed.datadog.externalId;
    managed.datadog.manageIntegration = true;

    const merged = importAccounts(managed, listedAccounts(LISTED)).config;

    expect(() => parseConfig(JSON.stringify(merged), 'merged.json')).not.toThrow();
  });

  test('names an account without a usable name after its id', () => {
    expect(stackName({ Id: '666666666666', Name: '***' })).toBe('account-666666666666');
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
