/**
 * A useful answer to every mistake in a config file: where the JSON breaks, which account, what
 * to type instead; and warnings for what a valid config may still get wrong about its roll-out.
 * What each command says it did not do, run as a process, is in
 * processes/config-messages.test.ts.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, formatIssues } from '../config/errors';
import { loadConfig, parseConfig } from '../config/load';
import type { Config } from '../config/types';
import { configWarnings } from '../config/warnings';
import { generateOrganization } from '../tools/generate-organization';
import { stagingAccount, tempDir, validConfig } from './support/configs';

const ROOT = path.join(__dirname, '..');

/** The ConfigError `load` throws. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}
const messageOf = (config: unknown) => configError(() => parseConfig(typeof config === 'string' ? config : JSON.stringify(config, null, 2), 'c.json')).message;
const withStaging = (fields: Partial<Config['accounts'][number]> = {}) => {
  const config = validConfig();
  config.accounts.push(stagingAccount(fields));
  return config;
};

describe('a config that is not JSON', () => {
  test('with a trailing comma before "]" is located by line and column', () => {
    const text = '{\n  "accounts": [\n    { "name": "prod" },\n  ]\n}\n';

    expect(messageOf(text)).toContain('(file): is not valid JSON at line 3:23: a comma before "]" (JSON allows no trailing comma)');
  });

  test('with a comment is located and named', () => {
    expect(messageOf('{\n  // prod\n  "accounts": []\n}')).toContain('is not valid JSON at line 2:3: a comment (JSON has none)');
  });

  test('saved as UTF-16 says so, and how to save it as UTF-8', () => {
    const file = path.join(tempDir(), 'config.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(validConfig()), 'utf16le')]));

    const error = configError(() => loadConfig(file));

    expect(error.issues).toEqual([expect.objectContaining({ path: '(file)', problem: 'is saved as UTF-16; JSON files are UTF-8' })]);
    expect(error.issues[0].fix).toContain('UTF-8');
  });
});

describe('a config with a mistake in an account', () => {
  test('names the account beside its path', () => {
    expect(messageOf(withStaging({ region: 'eu-west1' }))).toContain('✗ [staging] accounts[1].region: is not a known AWS region (found "eu-west1")');
  });

  test('with an 11-digit account ID says it lacks a digit, and no fix copies the typo', () => {
    const config = withStaging({ accountId: '22222222222', assumeRoleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole' });

    const error = configError(() => parseConfig(JSON.stringify(config), 'c.json'));

    expect(error.issues).toEqual([expect.objectContaining({ path: 'accounts[1].accountId', problem: 'has 11 digits; an AWS account ID has 12' })]);
    expect(error.message).not.toContain('iam::22222222222:');
  });

  test('with a tag value over 256 characters says how long it is and the limit', () => {
    const config = validConfig();
    config.tags = { owner: 'x'.repeat(300) };

    const error = configError(() => parseConfig(JSON.stringify(config), 'c.json'));

    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'tags.owner', problem: 'is 300 characters long; AWS allows tag values of at most 256', fix: 'shorten it to 256 characters or fewer' }),
    ]);
  });

  test.each([['1e21'], ['101'], ['0']])('with wave %s is refused: waves are whole numbers from 1 to 100', (wave) => {
    const text = JSON.stringify(validConfig()).replace('"region":"us-east-1"', `"region":"us-east-1","wave":${wave}`);

    const error = configError(() => parseConfig(text, 'c.json'));

    expect(error.issues).toEqual([expect.objectContaining({ path: 'accounts[0].wave', problem: Number(wave) < 1 ? 'must be >= 1' : 'must be <= 100' })]);
    expect(error.issues[0].fix).toContain('a whole number from 1 to 100');
  });
});

describe('what a command says it did not do', () => {
  test('formatIssues closes its first line with what was not done, when told', () => {
    expect(formatIssues('c.json', [{ path: 'a', problem: 'b', fix: 'c' }], 'The config was not changed.').split('\n')[0]).toBe('Invalid config c.json: 1 problem. The config was not changed.');
  });
});

describe('configWarnings', () => {
  test('warns about waves without accounts: the roll-out runs the waves there are, in order', () => {
    const config = withStaging({ wave: 4 });

    expect(configWarnings(parseConfig(JSON.stringify(config), 'c.json'))).toEqual([
      'no account is in wave 2 to 3: the roll-out runs the waves there are, in order, whatever their numbers (1 runs first, 4 runs second). Number the waves 1, 2, 3, ... to say what runs.',
    ]);
  });

  test('warns about organization members that deploy before the trail, bucket and forwarder their logs go through', () => {
    const config = generateOrganization(3);
    config.accounts.find((account) => account.name === 'management')!.wave = 2;
    config.accounts.find((account) => account.name === 'log-archive')!.wave = 2;
    for (const account of config.accounts.filter((a) => a.name.startsWith('member-'))) account.wave = account.name === 'member-3' ? 2 : 1;

    expect(configWarnings(parseConfig(JSON.stringify(config), 'c.json'))).toEqual([
      'member-1 (wave 1), member-2 (wave 1) deploy before wave 2, where log-archive and management create the trail, bucket and forwarder their logs go through: a canary before then has no logs to prove anything. Put members in wave 2 or later.',
    ]);
  });

  test('says nothing about the examples', () => {
    for (const example of ['single-account', 'multi-account', 'organization', 'existing-trail', 'control-tower', 'organization-managed']) {
      expect(configWarnings(loadConfig(path.join(ROOT, 'examples', `${example}.json`)))).toEqual([]);
    }
  });
});
