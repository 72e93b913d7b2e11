/** What the README promises a newcomer about the tests and about mistakes is what happens. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, validConfig, writeConfig } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** A `## ` section of the README, heading to the next. */
const section = (heading: string) => readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';

describe('the README Quick start', () => {
  const quickStart = section('Quick start');

  test('calls the tests offline only where it says what offline needs: a provider mirror, or skipping Terraform', () => {
    expect(quickStart).toMatch(/offline/);
    for (const line of quickStart.split('\n').filter((l) => /offline/.test(l))) expect(line).not.toMatch(/^npm test\b/);
    expect(quickStart).toContain('DD_CLOUDTRAIL_PROVIDER_MIRROR');
    expect(quickStart).toContain('DD_CLOUDTRAIL_SKIP_TERRAFORM=1 npm run test:processes');
  });

  test("shows an invalid config's answer as synth prints it", () => {
    const example = /```text\n(Invalid config [\s\S]*?)```/.exec(quickStart)?.[1] as string;
    const config = validConfig();
    config.accounts[0].region = 'us-east-7';
    config.accounts[0].accountId = '11111111111';
    const file = writeConfig(config);

    const result = spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'main.ts'), '--config', file], {
      cwd: tempDir(),
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', DD_CLOUDTRAIL_CONFIG: '' },
    });

    expect(result.stderr.replace(file, 'configs/my-config.json')).toContain(example);
  });
});
