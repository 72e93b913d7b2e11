/** `npm run validate` says what it does and reports each stack as soon as terraform is done with it. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkStacks } from '../../commands/terraform';
import { tempDir } from '../support/configs';
import { TERRAFORM_SETUP_TIMEOUT_MS, terraformTest } from '../support/terraform';

const ROOT = path.join(__dirname, '..', '..');

/** Stacks that pin the AWS provider as ours do, holding one built-in terraform_data each: quick to plan. */
function tinyStacks(names: string[]): string {
  const dir = tempDir('stacks-');
  for (const name of names) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'cdk.tf.json'), JSON.stringify({
        terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
        provider: { aws: [{ region: 'us-east-1' }] },
        resource: { terraform_data: { marker: { input: name } } },
      }));
  }
  return dir;
}

describe('npm run validate', () => {
  terraformTest('prints a line for each stack as it is checked, counting, then the total', () => {
    const result = spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'commands', 'validate.ts'), tinyStacks(['a', 'b'])], {
      cwd: tempDir(),
      encoding: 'utf8',
      env: { ...process.env, DD_CLOUDTRAIL_TERRAFORM_CONCURRENCY: '1' },
    });

    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^Checking 2 stack\(s\) of .* with terraform: one init, then a plan of each\.\.\.$/),
      expect.stringMatching(/^\[1\/2, \d+\.\d s\] ok {2}a {2}validate\+plan \(1 resources to add\)$/),
      expect.stringMatching(/^\[2\/2, \d+\.\d s\] ok {2}b {2}validate\+plan \(1 resources to add\)$/),
      expect.stringMatching(/^2\/2 stack\(s\) passed in \d+\.\d s\.$/),
      '',
    ]);
  }, TERRAFORM_SETUP_TIMEOUT_MS);

  terraformTest("reports a stack before the next one's terraform starts", async () => {
    const seen: Array<{ stack: string; nextStarted: boolean }> = [];

    const checks = await checkStacks(tinyStacks(['a', 'b']), {
      planJson: true,
      concurrency: 1,
      onResult: (check) => seen.push({ stack: check.stack, nextStarted: existsSync(path.join(path.dirname(check.dir), '1-b')) }),
    });

    expect(checks.map((check) => [check.stack, check.plan?.ok])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(seen).toEqual([
      { stack: 'a', nextStarted: false },
      { stack: 'b', nextStarted: true },
    ]);
  }, TERRAFORM_SETUP_TIMEOUT_MS);
});
