/**
 * `npm run policies -- --ci` as a user runs it, a process: the CI roles of the github section
 * (policies/ci-roles.ts), each under where it lives, and its refusals. What the roles allow is
 * simulated in process in ../ci-roles.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { deployTrustPolicy } from '../../policies/ci-roles';
import { CI, github, MANAGED, MANAGEMENT } from '../support/ci-roles';

const ROOT = path.join(__dirname, '..', '..');

describe('npm run policies -- --ci', () => {
  const policies = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'commands', 'policies.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DD_CLOUDTRAIL_CONFIG: '', ...env },
    });

  test('prints each role under where it lives and what it is for, and its policies as AWS reads them', () => {
    const result = policies(['--ci', '--config', MANAGED]);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`# account ${CI} (github.oidcAccount): role datadog-cloudtrail-enrollment: permissions policy\n{\n  "Version": "2012-10-17",`);
    expect(result.stdout).toContain('#   for the enrollment workflow (enroll.yml) on main: repository variable AWS_ENROLLMENT_ROLE_ARN');
    expect(result.stdout).toContain(`# the management account ${MANAGEMENT}: Organizations delegation policy: resource-based policy`);
    const trust = result.stdout.split(`role datadog-cloudtrail-deploy: trust policy\n`)[1].split('\n#')[0].replace(/^#.*\n/gm, '');
    expect(JSON.parse(trust)).toEqual(deployTrustPolicy(github));
  });

  test('reads the config from DD_CLOUDTRAIL_CONFIG', () => {
    expect(policies(['--ci'], { DD_CLOUDTRAIL_CONFIG: MANAGED }).stdout).toContain('datadog-cloudtrail-plan');
  });

  test.each([
    [['--ci'], 'No config named'],
    [['--ci', '--config', MANAGED, '--stack', 'prod'], "--stack is for the stacks' policies"],
    [['--config', MANAGED], '--config goes with --ci'],
  ])('refuses %j, printing nothing', (args, message) => {
    const result = policies(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  test('says what to add when the config has no github section', () => {
    const result = policies(['--ci', '--config', path.join(ROOT, 'examples', 'organization.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('has no github section');
  });
});
