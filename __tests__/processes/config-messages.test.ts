/**
 * What a command says it did not do when its config is invalid: the commands run as processes,
 * as a user runs them. The messages themselves are tested in process in
 * ../config-messages.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tempDir, validConfig, writeConfig } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

describe('what a command says it did not do', () => {
  const invalid = () => writeConfig({ ...validConfig(), accounts: [] });
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, script), ...args], { cwd: tempDir(), encoding: 'utf8', env: { ...process.env, DD_CLOUDTRAIL_CONFIG: '' } });

  test('synth says it wrote no Terraform', () => {
    expect(run('main.ts', ['--config', invalid()]).stderr).toContain('1 problem. No Terraform was written.');
  });

  test.each([
    ['stacks', 'commands/stacks.ts'],
    ['check', 'commands/check.ts'],
  ])('%s, which never writes Terraform, does not say so', (_name, script) => {
    const result = run(script, ['--config', invalid()]);

    expect(result.stderr).toContain('1 problem.');
    expect(result.stderr).not.toContain('No Terraform was written');
  });
});
