/**
 * The workflows deploy the user's config or nothing: the commands they run, as processes,
 * refuse to run with the repository variable DD_CLOUDTRAIL_CONFIG unset. What the workflows'
 * YAML says is read in process in ../workflow-config.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tempDir } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

describe('the workflows', () => {
  test.each([
    ['stacks', 'commands/stacks.ts', ['--json']],
    ['shards', 'rollout/shards.ts', ['--max-jobs', '100']],
  ])('refuse, through npm run %s, to run with the variable unset, saying which variable to set', (_name, script, args) => {
    const result = spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, script), ...args, '--config', ''], {
      cwd: tempDir(),
      encoding: 'utf8',
      env: { ...process.env, DD_CLOUDTRAIL_CONFIG: '' },
    });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--config names no file (its value is empty)');
    expect(result.stderr).toContain('in GitHub Actions, set the repository variable DD_CLOUDTRAIL_CONFIG');
  });
});
