/** `npm run synth` as a user runs it: the package.json script, in a project folder. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, validConfig, writeConfig, OTHER_EXTERNAL_ID } from './support/configs';

const ROOT = path.join(__dirname, '..');
const SYNTH = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.synth;

/** Runs the synth script with the repository's files, in `cwd`, where it writes cdktf.out. */
function synth(cwd: string, config: string) {
  const command = SYNTH.replace('./scripts/register.js', path.join(ROOT, 'scripts', 'register.js')).replace('main.ts', path.join(ROOT, 'main.ts'));
  return spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', DD_CLOUDTRAIL_CONFIG: config } });
}

describe('npm run synth', () => {
  test('writes one stack per account of the config named by DD_CLOUDTRAIL_CONFIG', () => {
    const cwd = tempDir();
    const config = validConfig();
    config.accounts.push({ name: 'staging', accountId: '222222222222', region: 'eu-west-1', externalId: OTHER_EXTERNAL_ID });

    const result = synth(cwd, writeConfig(config));

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Synthesized 2 stack(s)');
    for (const stack of ['prod', 'staging']) expect(existsSync(path.join(cwd, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'))).toBe(true);
  });

  test('exits 1 on an invalid config with every problem, no stack trace and no cdktf.out', () => {
    const cwd = tempDir();
    const config: any = validConfig(); // eslint-disable-line @typescript-eslint/no-explicit-any
    config.accounts[0].region = 'us-east-7';

    const result = synth(cwd, writeConfig(config));

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('accounts[0].region: is not a known AWS region');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(cwd, 'cdktf.out'))).toBe(false);
  });
});
