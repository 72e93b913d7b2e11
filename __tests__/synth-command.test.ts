/** `npm run synth` as a user runs it: the package.json script, in a project folder. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../config/load';
import { synthesize, SynthError, verifyStagedOutput } from '../synth/synth';
import { buildApp } from '../stacks/app';
import { generateOrganization } from '../tools/generate-organization';
import { OTHER_EXTERNAL_ID, tempDir, validConfig, writeConfig } from './support/configs';

const ROOT = path.join(__dirname, '..');
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

const twoAccounts = () => {
  const config = validConfig();
  config.accounts.push({
    name: 'staging',
    accountId: '222222222222',
    region: 'eu-west-1',
    externalId: OTHER_EXTERNAL_ID,
    apiKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:datadog-api-key-AbCdEf',
  });
  return config;
};
const stacksIn = (cwd: string) => readdirSync(path.join(cwd, 'cdktf.out', 'stacks')).sort();
const snapshotOf = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [path.relative(dir, file), readFileSync(file, 'utf8')];
      }),
  );

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

describe('synthesize', () => {
  test('leaves the previous output as it was, and nothing staged, when the staged output fails its checks', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'cdktf.out');
    synthesize(writeConfig(twoAccounts()), { outdir });
    const before = snapshotOf(outdir);

    const failing = () =>
      synthesize(writeConfig(validConfig()), {
        outdir,
        verify: () => {
          throw new Error('a rule failed');
        },
      });

    expect(failing).toThrow(SynthError);
    expect(failing).toThrow(`Synthesis failed: a rule failed\nNothing was written: ${outdir} was left as it was.`);
    expect(snapshotOf(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test('passes the verifier the staged output and the config, before the swap', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    const seen: string[] = [];

    synthesize(writeConfig(validConfig()), {
      outdir,
      verify: (stagingDir, config) => {
        seen.push(...readdirSync(path.join(stagingDir, 'stacks')), config.accounts[0].name, String(existsSync(outdir)));
      },
    });

    expect(seen).toEqual(['prod', 'prod', 'false']);
  });
});

describe('verifyStagedOutput', () => {
  const config = parseConfig(JSON.stringify(twoAccounts()), 'two.json');
  const staged = () => {
    const dir = tempDir('staged-');
    buildApp(config, { outdir: dir }).synth();
    return dir;
  };

  test('accepts what the app synthesizes for the config', () => {
    expect(() => verifyStagedOutput(staged(), config)).not.toThrow();
  });

  test('refuses an output with a stack that is not in the config', () => {
    const dir = staged();
    const single = parseConfig(JSON.stringify(validConfig()), 'one.json');
    expect(() => verifyStagedOutput(dir, single)).toThrow('staging is not a stack of the config');
  });

  test('refuses a stack file that is not JSON', () => {
    const dir = staged();
    writeFileSync(path.join(dir, 'stacks', 'prod', 'cdk.tf.json'), '{');
    expect(() => verifyStagedOutput(dir, config)).toThrow('prod/cdk.tf.json cannot be read as JSON');
  });

  test("refuses a manifest that names a stack the cdktf CLI cannot read, or one the config does not have", () => {
    const dir = staged();
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.stacks.gone = { ...manifest.stacks.prod, name: 'gone', synthesizedStackPath: 'stacks/gone/cdk.tf.json' };
    manifest.stacks.prod.synthesizedStackPath = 'stacks/prod/missing.tf.json';
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));

    expect(() => verifyStagedOutput(dir, config)).toThrow(
      'manifest.json names gone, not a stack of the config; manifest.json\'s synthesizedStackPath of prod names no file ("stacks/prod/missing.tf.json")',
    );
  });

  test('refuses an output without a stack the config asks for', () => {
    const dir = tempDir('staged-');
    mkdirSync(path.join(dir, 'stacks'));
    expect(() => verifyStagedOutput(dir, config)).toThrow('stack prod was not written; stack staging was not written');
  });
});
