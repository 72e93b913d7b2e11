/** `npm run check` as users run it on their synthesized stacks, and the check at synth. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SecurityCheckError, verifySynthesizedStacks } from '../../rules/at-synth';
import { RULES } from '../../rules/rules';
import { OTHER_EXTERNAL_ID, tempDir, validConfig, writeConfig } from '../support/configs';
import { DATADOG_ROLE, editPolicy, fullStack, PLANTS } from '../support/planted-violations';
import { synthConfig } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');

const SCRIPTS = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Runs the package.json script with the repository's files; `npm run check -- args`. */
function check(...args: string[]) {
  const command = SCRIPTS.check.replace('./synth/register.js', path.join(ROOT, 'synth', 'register.js')).replace('commands/check.ts', path.join(ROOT, 'commands', 'check.ts'));
  return spawnSync('sh', ['-c', `${command} "$@"`, 'check', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
}

/** A directory of `<stack>/cdk.tf.json`, as synth writes it. */
function stacksDir(stacks: Record<string, unknown>): string {
  const dir = tempDir('ddct-check-');
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

const kmsOff = () => {
  const config = validConfig();
  config.trail.kms = false;
  return config;
};

describe('npm run check', () => {
  test('exits 0 on stacks that meet every applicable rule, with one summary line', () => {
    const result = check(stacksDir({ prod: fullStack().stack }));
    // log-archive-names compares the stacks with the config only.
    expect(result.stdout).toBe(`1 stack(s), ${RULES.length} rules: ${RULES.length - 1} hold, 0 opted out, 1 not applicable, 0 failed\n`);
    expect(result.status).toBe(0);
  });

  test('compares the stacks with their config: a trust policy with another external ID fails', () => {
    const config = validConfig();
    const { stack } = fullStack();
    editPolicy(stack, DATADOG_ROLE, 'assume_role_policy', (d) => void (d.Statement[0].Condition.StringEquals['sts:ExternalId'] = OTHER_EXTERNAL_ID));
    const dir = stacksDir({ prod: stack });
    expect(check(dir).status).toBe(0);
    const result = check(dir, '--config', writeConfig(config));
    expect(result.stdout).toContain(`FAIL role-trust [CKV_AWS_60, Datadog external ID] prod ${DATADOG_ROLE}: statement "DatadogAssumeRoleWithExternalId" trusts the external ID ${OTHER_EXTERNAL_ID}, not prod's`);
    expect(result.status).toBe(1);
  });

  test('refuses a cdk.tf.json that gives a key twice, which Terraform would read both of, naming the key and its line (exit 2)', () => {
    const dir = stacksDir({});
    mkdirSync(path.join(dir, 'prod'));
    const hidden = JSON.stringify(fullStack().stack, null, 2).replace(/\n}$/, ',\n  "resource": { "aws_iam_role_policy_attachment": { "admin": { "role": "x", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess" } } }\n}');
    writeFileSync(path.join(dir, 'prod', 'cdk.tf.json'), hidden);
    const result = check(dir);
    expect(result.stderr).toMatch(/prod\/cdk\.tf\.json cannot be checked: resource is given twice in one object \(again at line \d+\)/);
    expect(result.status).toBe(2);
  });

  test('exits 1 with one line per violation: rule, benchmarks, stack, address, problem', () => {
    const { stack } = fullStack();
    PLANTS.find((p) => p.rule === 'key-rotation')?.plant(stack);
    const result = check(stacksDir({ prod: stack }));
    expect(result.stdout.split('\n')[0]).toBe('FAIL key-rotation [CKV_AWS_7, KMS.4] prod aws_kms_key.trail-key_key: does not rotate');
    expect(result.status).toBe(1);
  });

  test('reports what the config opts out of, naming the switch, and exits 0', () => {
    const config = kmsOff();
    const dir = synthConfig(config).stacksDir;
    const result = check(dir, '--config', writeConfig(config));
    expect(result.stdout).toContain('OPTED OUT trail-kms [CIS 3.5/3.7, CKV_AWS_35, CloudTrail.2] prod aws_cloudtrail.trail_trail: is not encrypted with a customer managed KMS key (opted out by trail.kms)');
    expect(result.status).toBe(0);
  });

  test('fails the same stacks without their config, naming the switch that would explain them', () => {
    const result = check(synthConfig(kmsOff()).stacksDir);
    expect(result.stdout).toContain('FAIL trail-kms [CIS 3.5/3.7, CKV_AWS_35, CloudTrail.2] prod aws_cloudtrail.trail_trail: is not encrypted with a customer managed KMS key (switch: trail.kms)');
    expect(result.status).toBe(1);
  });

  test('prints the report as JSON with --json', () => {
    const result = check(stacksDir({ prod: fullStack().stack }), '--json');
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.rules.find((r: { id: string }) => r.id === 'trail-kms')).toEqual(expect.objectContaining({ status: 'holds', switch: 'trail.kms' }));
  });

  test('ignores files other than <stack>/cdk.tf.json', () => {
    const dir = stacksDir({ prod: fullStack().stack });
    writeFileSync(path.join(dir, 'manifest.json'), '{not json');
    mkdirSync(path.join(dir, 'assets'));
    expect(check(dir).status).toBe(0);
  });

  test.each([
    ['an unknown option', ['--jsno']],
    ['a missing option value', ['--config']],
    ['a second directory', ['a', 'b']],
  ])('exits 2 with the usage on %s', (_case, args) => {
    const result = check(...args);
    expect(result.stderr).toContain('Usage: npm run check');
    expect(result.status).toBe(2);
  });

  test('prints the usage with --help and exits 0', () => {
    const result = check('--help');
    expect(result.stdout).toContain('Usage: npm run check');
    expect(result.status).toBe(0);
  });

  test.each([
    ['a directory that does not exist', () => [path.join(tempDir(), 'nowhere')]],
    ['a directory without stacks', () => [tempDir()]],
    ['a cdk.tf.json that is not JSON', () => { const dir = stacksDir({}); mkdirSync(path.join(dir, 'prod')); writeFileSync(path.join(dir, 'prod', 'cdk.tf.json'), '{'); return [dir]; }],
    ['a stack that is not an account of the config', () => [stacksDir({ staging: fullStack().stack }), '--config', writeConfig(validConfig())]],
    ['an invalid config', () => [stacksDir({ prod: fullStack().stack }), '--config', writeConfig({ datadog: {} })]],
  ])('exits 2 on %s', (_case, args) => {
    const result = check(...args());
    expect(result.stderr).not.toBe('');
    expect(result.status).toBe(2);
  });
});

describe('the check at synth', () => {
  test('lists every rule the config opts out of, naming its switch, and apart from them the rules off by default', () => {
    const config = kmsOff();
    const { stacksDir: dir, config: resolved } = synthConfig(config);
    const lines: string[] = [];
    verifySynthesizedStacks(dir, resolved, (line) => lines.push(line));
    expect(lines).toEqual([
      'Opted out by trail.kms: trail-kms [CIS 3.5/3.7, CKV_AWS_35, CloudTrail.2] in 1 stack(s): prod',
      'Off by default (on with trail.cloudWatchLogs.enabled): trail-cloudwatch-logs [CloudTrail.5, CKV2_AWS_10] in 1 stack(s): prod',
      'Off by default (on with trail.s3DataEvents): trail-s3-write-events [CIS 3.8] in 1 stack(s): prod',
      'Off by default (on with trail.s3DataEvents): trail-s3-read-events [CIS 3.9] in 1 stack(s): prod',
      'Opted out by trail.kms: trail-bucket-kms [CKV_AWS_145, S3.17] in 1 stack(s): prod',
    ]);
  });

  test('fails on a violation no switch explains, naming the rule and the address', () => {
    const { stack, config } = fullStack();
    PLANTS.find((p) => p.rule === 'bucket-versioning')?.plant(stack);
    expect(() => verifySynthesizedStacks(stacksDir({ prod: stack }), config, () => undefined)).toThrow(
      new SecurityCheckError(
        'The synthesized stacks break security rules that no config switch explains:\nFAIL bucket-versioning [CKV_AWS_21, S3.14] prod aws_s3_bucket.trail-bucket_logs_bucket: is not versioned',
      ),
    );
  });

  test('checks only the stacks of the config, not others left in the directory', () => {
    const { stack, config } = fullStack();
    const dir = stacksDir({ prod: stack, stale: { resource: { aws_kms_key: { k: { enable_key_rotation: false } } } } });
    expect(verifySynthesizedStacks(dir, config, () => undefined).stacks).toEqual(['prod']);
  });

  test('runs in `npm run synth`, which prints the opted-out rules', () => {
    const command = SCRIPTS.synth.replace('./synth/register.js', path.join(ROOT, 'synth', 'register.js')).replace('main.ts', path.join(ROOT, 'main.ts'));
    const result = spawnSync('sh', ['-c', command], { cwd: tempDir(), encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', DD_CLOUDTRAIL_CONFIG: writeConfig(kmsOff()) } });
    expect(result.stdout).toContain('Opted out by trail.kms: trail-kms');
    expect(result.status).toBe(0);
  });
});
