/**
 * `npx cdktf ...`, as the README and docs/DEPLOYING.md show it, from a copy of the project as
 * a fresh clone has it (after `npm ci`), on the Node that runs the tests. The first run
 * installs the pinned cdktf-cli into the checkout's `.cdktf-cli/` from the npm registry, as a
 * user's first `npx cdktf` does (and, on a Node without node-pty binaries, compiles node-pty);
 * later runs reuse it. Nothing reaches AWS: every AWS variable is removed and the instance
 * metadata service is off, so deploy stops where credentials are needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import awsBindings from '@cdktf/provider-aws/package.json';
import { copyWorkingTree } from '../../commands/diff/git';
import { cliConfig, providerMirror } from '../../commands/terraform';
import { localAwsVersions } from '../../commands/provider-stand-in';
import { tempDir } from '../support/configs';
import { terraformTest } from '../support/terraform';

const ROOT = path.join(__dirname, '..', '..');
// A first install downloads 423 MB; on a busy runner that is minutes.
const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;
const RUN_TIMEOUT_MS = 5 * 60 * 1000;

let work: string;
let project: string;
let env: NodeJS.ProcessEnv;

/** `npx cdktf <args>` in the copy, with this Node first on PATH (npx's `#!/usr/bin/env node`). */
function npxCdktf(args: string[], extraEnv: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const result = spawnSync('npx', ['cdktf', ...args], { cwd: project, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  work = tempDir('cdktf-cli-');
  const home = path.join(work, 'home');
  mkdirSync(path.join(home, 'tmp'), { recursive: true });
  const thisNodeFirst = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`;
  // What a user's first `npx cdktf` does, once, in the checkout: install the pinned CLI into
  // .cdktf-cli/ (with the user's npm cache), and compile node-pty where this Node needs it.
  const first = spawnSync('npx', ['cdktf', '--version'], {
    cwd: ROOT,
    env: { ...process.env, PATH: thisNodeFirst, TF_PLUGIN_CACHE_DIR: path.join(home, 'plugin-cache'), TMPDIR: path.join(home, 'tmp') },
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (first.status !== 0) throw new Error(`npx cdktf --version failed in the checkout:\n${first.stdout}${first.stderr}`);

  project = path.join(work, 'project');
  copyWorkingTree(ROOT, project);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  symlinkSync(path.join(ROOT, '.cdktf-cli'), path.join(project, '.cdktf-cli'), 'dir');
  env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AWS_|TF_|CDKTF_|DD_CLOUDTRAIL_CONFIG$)/.test(name)));
  Object.assign(env, {
    PATH: thisNodeFirst,
    // cdktf and npm keep state under HOME (cdktf its plugin cache, npx its link to the project).
    HOME: home,
    TMPDIR: path.join(home, 'tmp'),
    npm_config_update_notifier: 'false',
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    TF_CLI_CONFIG_FILE: path.join(home, 'terraform.rc'),
    TF_PLUGIN_CACHE_DIR: path.join(home, 'plugin-cache'),
  });
  writeFileSync(env.TF_CLI_CONFIG_FILE!, cliConfig(providerMirror(process.env)));
}, INSTALL_TIMEOUT_MS);

// Each test starts from a clone's state: no cdktf.out.
beforeEach(() => rmSync(path.join(project, 'cdktf.out'), { recursive: true, force: true }));

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npx cdktf in a fresh clone', () => {
  test('runs the pinned cdktf-cli 0.21.0', () => {
    const { status, output } = npxCdktf(['--version']);

    expect({ status, version: /^\d+\.\d+\.\d+$/m.exec(output)?.[0] }).toEqual({ status: 0, version: '0.21.0' });
  }, RUN_TIMEOUT_MS);

  test('lists the stacks of the config, synthesizing it first', () => {
    const { status, output } = npxCdktf(['list']);

    expect(status).toBe(0);
    expect(output).toMatch(/^prod\s+cdktf\.out\/stacks\/prod$/m);
  }, RUN_TIMEOUT_MS);

  test('synthesizes the config named by DD_CLOUDTRAIL_CONFIG into cdktf.out, manifest included', () => {
    const { status, output } = npxCdktf(['synth'], { DD_CLOUDTRAIL_CONFIG: 'examples/multi-account.json' });
    const manifest = JSON.parse(readFileSync(path.join(project, 'cdktf.out', 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };

    expect(status).toBe(0);
    expect(output).toMatch(/Generated Terraform code for the stacks: /);
    expect(Object.keys(manifest.stacks).sort()).toEqual(['prod', 'sandbox', 'staging']);
    for (const stack of Object.values(manifest.stacks)) expect(existsSync(path.join(project, 'cdktf.out', stack.synthesizedStackPath))).toBe(true);
  }, RUN_TIMEOUT_MS);

  test('lists the remaining stacks at the first run after accounts were removed from the config', () => {
    expect(npxCdktf(['synth'], { DD_CLOUDTRAIL_CONFIG: 'examples/multi-account.json' }).status).toBe(0);

    const { status, output } = npxCdktf(['list'], { DD_CLOUDTRAIL_CONFIG: 'examples/single-account.json' });

    expect(output).not.toContain('ENOENT');
    expect(status).toBe(0);
    expect(output).toMatch(/^prod\s+cdktf\.out\/stacks\/prod$/m);
    expect(readdirSync(path.join(project, 'cdktf.out', 'stacks'))).toEqual(['prod']);
  }, 2 * RUN_TIMEOUT_MS);

  // Offline, with the provider from the mirror: init works, the plan stops for credentials.
  // cdktf's own `terraform providers lock` would need the registry: --skip-provider-lock.
  // A mirror holding only an older AWS provider than the stacks pin (these machines carry
  // 5.100.0, the stacks pin 6.25.0) cannot init: cdktf runs real Terraform, and there is no
  // stand-in for it (commands/provider-stand-in.ts is the offline checks' only).
  terraformTest('deploys a stack up to the AWS credentials, with --skip-provider-lock, where the pinned AWS provider is at hand', () => {
    const pinned = awsBindings.cdktf.provider.version;
    const mirror = providerMirror(process.env);
    const available = mirror === undefined || localAwsVersions([mirror]).includes(pinned);
    const { status, output } = npxCdktf(['deploy', 'prod', '--skip-provider-lock', '--auto-approve']);

    expect(status).not.toBe(0);
    expect(output).not.toContain('Could not retrieve providers for locking');
    if (available) {
      expect(output).toContain('Terraform has been successfully initialized!');
      expect(output).toContain('No valid credential sources found');
    } else {
      expect(output).toContain(`no available releases match the given constraints ${pinned}`);
    }
  }, RUN_TIMEOUT_MS);
});

