/**
 * `npm test` needs no Terraform; `npm run test:processes` on a machine without it says so in
 * one message, or runs the rest of its suite with a count.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

/** The arguments of jest for the suite `npm run test:processes` runs, on its file `file` alone. */
const processesSuite = (file: string): string[] => ['--config', path.join(ROOT, 'jest.processes.config.js'), path.join(ROOT, '__tests__', 'processes', file)];

/** Runs jest with `args` and a PATH that holds node and nothing else (so no terraform). */
function jestWithoutTerraform(args: string[], env: Record<string, string> = {}) {
  const bin = path.join(tempDir('bin-'), 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  return spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: bin, ...env },
  });
}

test('npm test runs without terraform on PATH', () => {
  // One spec file alone (jest.config.js says how), with npm test's set-up and teardown.
  const result = jestWithoutTerraform(['--testMatch', '**/__tests__/readme.test.ts'], { DD_CLOUDTRAIL_SKIP_TERRAFORM: '' });
  expect(`${result.stdout}${result.stderr}`).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect(result.status).toBe(0);
});

describe('npm run test:processes without terraform on PATH', () => {
  const result = jestWithoutTerraform(processesSuite('config-types.test.ts'), { DD_CLOUDTRAIL_SKIP_TERRAFORM: '' });
  const output = `${result.stdout}${result.stderr}`.trim();

  test('fails before running any test', () => {
    expect(result.status).toBe(1);
    expect(output).not.toContain('Tests:');
  });

  test('says once what is missing, which version and how to install it, in a few lines', () => {
    expect(output.match(/terraform is not on PATH/g)).toHaveLength(1);
    expect(output).toContain('Install Terraform 1.10.0 or newer');
    expect(output).toContain('https://developer.hashicorp.com/terraform/install');
    expect(output.split('\n').length).toBeLessThanOrEqual(3);
  });

  test('says how to run the tests that need no Terraform', () => {
    expect(output).toContain('DD_CLOUDTRAIL_SKIP_TERRAFORM=1 npm run test:processes');
  });
});

describe('DD_CLOUDTRAIL_SKIP_TERRAFORM=1', () => {
  // Of its three tests, one plans with terraform; the other two need none.
  const result = jestWithoutTerraform(processesSuite('forces-replacement.test.ts'), { DD_CLOUDTRAIL_SKIP_TERRAFORM: '1' });
  const output = `${result.stdout}${result.stderr}`;

  test('runs the tests that need no Terraform and passes', () => {
    expect(result.status).toBe(0);
    expect(output).toMatch(/Tests:\s+1 skipped, 2 passed, 3 total/);
  });

  test('says how many Terraform-backed tests it skipped', () => {
    expect(output).toContain('DD_CLOUDTRAIL_SKIP_TERRAFORM=1: skipped 1 Terraform-backed test (terraform validate and offline plan)');
  });

  test('refuses a value other than 1', () => {
    const refused = jestWithoutTerraform(processesSuite('config-types.test.ts'), { DD_CLOUDTRAIL_SKIP_TERRAFORM: 'yes' });
    expect(refused.status).toBe(1);
    expect(`${refused.stdout}${refused.stderr}`).toContain('DD_CLOUDTRAIL_SKIP_TERRAFORM=yes: set it to 1');
  });
});

describe('npm run test:processes offline, without DD_CLOUDTRAIL_PROVIDER_MIRROR', () => {
  // The machine is offline: every DNS lookup fails, as getaddrinfo does without a network.
  const offline = path.join(tempDir('offline-'), 'offline.js');
  writeFileSync(
    offline,
    `const fail = async (host) => { throw Object.assign(new Error('getaddrinfo ENOTFOUND ' + host), { code: 'ENOTFOUND' }); };
     require('node:dns').promises.lookup = fail;
     require('node:dns/promises').lookup = fail;`,
  );
  const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', ...processesSuite('config-types.test.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DD_CLOUDTRAIL_PROVIDER_MIRROR: '', DD_CLOUDTRAIL_SKIP_TERRAFORM: '', HTTPS_PROXY: '', https_proxy: '', NODE_OPTIONS: `--require ${offline}` },
  });
  const output = `${result.stdout}${result.stderr}`.trim();

  test('fails before running any test, saying once that the registry cannot be reached', () => {
    expect(result.status).toBe(1);
    expect(output).not.toContain('Tests:');
    expect(output.match(/registry\.terraform\.io, which cannot be reached here \(ENOTFOUND\)/g)).toHaveLength(1);
  });

  test('says what to set: the provider mirror, or DD_CLOUDTRAIL_SKIP_TERRAFORM=1', () => {
    expect(output).toContain('Set DD_CLOUDTRAIL_PROVIDER_MIRROR to a Terraform filesystem mirror');
    expect(output).toContain('DD_CLOUDTRAIL_SKIP_TERRAFORM=1 npm run test:processes');
  });
});
