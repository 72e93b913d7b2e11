/** `npm run policies`: every policy of the synthesized stacks, readable. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { synthFile } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');
const { stacksDir, stacks } = synthFile(path.join(ROOT, 'examples', 'organization.json'));
const policies = (args: string[]) =>
  spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'commands', 'policies.ts'), '--dir', stacksDir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe('npm run policies', () => {
  const all = policies([]);
  const headers = all.stdout.split('\n').filter((line) => line.startsWith('# '));

  test('heads each policy with its stack and Terraform address, for every stack', () => {
    expect(all.status).toBe(0);
    expect(headers).toContain('# log-archive: aws_s3_bucket_policy.trail-bucket_logs_policy.policy');
    expect(headers).toContain('# management: aws_iam_role.datadog-role_role.assume_role_policy');
    expect(new Set(headers.map((header) => header.slice(2).split(':')[0]))).toEqual(new Set(Object.keys(stacks)));
  });

  test('pretty-prints each document as AWS receives it, policy variables unescaped', () => {
    const bucketPolicy = all.stdout.split('# log-archive: aws_s3_bucket_policy.trail-bucket_logs_policy.policy\n')[1].split('\n# ')[0];
    expect(JSON.parse(bucketPolicy)).toMatchObject({ Version: '2012-10-17' });
    expect(bucketPolicy).toContain('\n  "Statement": [\n');
    expect(bucketPolicy).toContain('${aws:PrincipalAccount}');
    expect(bucketPolicy).not.toContain('$${');
  });

  test('prints one stack with --stack', () => {
    const result = policies(['--stack', 'sandbox']);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('# ')).every((line) => line.startsWith('# sandbox: '))).toBe(true);
    expect(result.stdout).toContain('# sandbox: ');
  });

  test('names the stacks there are when --stack names none of them, exit 2 as check', () => {
    const result = policies(['--stack', 'prd']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('No stack "prd" in');
    expect(result.stderr).toContain('log-archive, management, prod, sandbox, staging');
  });
});
