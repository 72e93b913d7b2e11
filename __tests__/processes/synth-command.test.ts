/**
 * `npm run synth` as a user runs it: the package.json script, in a project folder, as a
 * process (it runs Node). synthesize itself is tested in process in ../synth-command.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateOrganization } from '../../tools/generate-organization';
import { tempDir, validConfig, writeConfig } from '../support/configs';
import { snapshotOf, stacksOf, twoAccounts } from '../support/synth-output';

const ROOT = path.join(__dirname, '..', '..');
const SYNTH = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.synth;

/** Runs the synth script with the repository's files, in `cwd`, where it writes cdktf.out. */
function synth(cwd: string, args: string[], env: Record<string, string> = {}) {
  const command = SYNTH.replace('./synth/register.js', path.join(ROOT, 'synth', 'register.js')).replace('main.ts', path.join(ROOT, 'main.ts'));
  return spawnSync('sh', ['-c', `${command} "$@"`, 'synth', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', DD_CLOUDTRAIL_CONFIG: '', ...env },
  });
}
const stacksIn = (cwd: string) => stacksOf(path.join(cwd, 'cdktf.out'));

describe('npm run synth', () => {
  test('writes one stack per account of the config named by DD_CLOUDTRAIL_CONFIG', () => {
    const cwd = tempDir();

    const result = synth(cwd, [], { DD_CLOUDTRAIL_CONFIG: writeConfig(twoAccounts()) });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Synthesized 2 stack(s)');
    for (const stack of ['prod', 'staging']) expect(existsSync(path.join(cwd, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'))).toBe(true);
  });

  test('warns, with the figures, when the forwarder reserves less concurrency than the organization needs', () => {
    const config = generateOrganization(200);
    config.forwarder = { reservedConcurrency: 10 };

    const result = synth(tempDir(), ['--config', writeConfig(config)]);

    expect(result.status).toBe(0);
    expect(result.stderr).toContain('Warning: The forwarder of log-archive receives about 12.4 log files a second from 202 account(s) and needs about 25 concurrent executions');
  });

  test('takes the config from --config, before DD_CLOUDTRAIL_CONFIG', () => {
    const cwd = tempDir();

    const result = synth(cwd, ['--config', writeConfig(twoAccounts())], { DD_CLOUDTRAIL_CONFIG: writeConfig(validConfig()) });

    expect(result.status).toBe(0);
    expect(stacksIn(cwd)).toEqual(['prod', 'staging']);
  });

  test('exits 1 on an invalid config with every problem, no stack trace and no cdktf.out', () => {
    const cwd = tempDir();
    const config = validConfig();
    config.accounts[0].region = 'us-east-7';

    const result = synth(cwd, ['--config', writeConfig(config)]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('accounts[0].region: is not a known AWS region');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(cwd)).toEqual([]);
  });

  test.each([
    [['--confg', 'x.json'], "Unknown option '--confg': did you mean --config?"],
    [['--config'], "Option '--config <value>' argument missing"],
    [['x.json'], 'Unexpected argument "x.json"'],
  ])('refuses the command line %j with the usage, writing nothing', (args, message) => {
    const cwd = tempDir();

    const result = synth(cwd, args);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run synth -- [--config FILE]');
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('prints the usage for --help and exits 0', () => {
    const result = synth(tempDir(), ['--help']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run synth -- [--config FILE]');
  });

  test("replaces an earlier synth's stacks: a stack of another config does not stay", () => {
    const cwd = tempDir();
    synth(cwd, ['--config', writeConfig(twoAccounts())]);

    const result = synth(cwd, ['--config', writeConfig(validConfig())]);

    expect(result.status).toBe(0);
    expect(stacksIn(cwd)).toEqual(['prod']);
    expect(readdirSync(cwd)).toEqual(['cdktf.out']);
  });

  test('leaves the previous output exactly as it was when the config is invalid, and says so', () => {
    const cwd = tempDir();
    synth(cwd, ['--config', writeConfig(twoAccounts())]);
    const before = snapshotOf(path.join(cwd, 'cdktf.out'));
    const config = validConfig();
    config.accounts[0].accountId = '1';

    const result = synth(cwd, ['--config', writeConfig(config)]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The previous output, if any, was left as it was.');
    expect(snapshotOf(path.join(cwd, 'cdktf.out'))).toEqual(before);
  });
});
