/** The shipped workflows work on a GitHub-hosted runner, which has no Terraform provider mirror. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CI_TERRAFORM_VERSION } from '../scripts/terraform';
import { tempDir } from './support/configs';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, '.github', 'workflows');
// js-yaml (a devDependency) ships no type declarations.
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  id?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  steps?: Step[];
}
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const jobs = files.flatMap((file) =>
  Object.entries((yaml.load(readFileSync(path.join(DIR, file), 'utf8')) as { jobs: Record<string, Job> }).jobs).map(
    ([name, job]) => ({ name: `${file} ${name}`, steps: job.steps ?? [] }),
  ),
);
const needsTerraform = (step: Step) => /\bnpm (test|run (--silent )?validate)\b/.test(step.run ?? '');
const terraformJobs = jobs.filter((job) => job.steps.some(needsTerraform));

describe('GitHub workflows on a hosted runner', () => {
  test('some job runs the tests', () => {
    expect(terraformJobs.map((job) => job.name)).toContain('plan.yml diff');
  });

  test.each(terraformJobs.map((job) => [job.name, job] as const))('%s sets Terraform up, pinned, before it runs the tests', (_name, job) => {
    const setup = job.steps.findIndex((step) => /^hashicorp\/setup-terraform@v\d+$/.test(step.uses ?? ''));
    expect(setup).toBeGreaterThanOrEqual(0);
    expect(job.steps[setup].with?.terraform_version).toBe(CI_TERRAFORM_VERSION);
    expect(setup).toBeLessThan(job.steps.findIndex(needsTerraform));
  });

  test.each(terraformJobs.map((job) => [job.name, job] as const))(
    '%s caches the AWS provider by its version in the plugin cache the tests use',
    (_name, job) => {
      const cache = job.steps.find((step) => /^actions\/cache@v\d+$/.test(step.uses ?? ''));
      const test = job.steps.find(needsTerraform) as Step;
      expect(cache?.with?.path).toBe(test.env?.TF_PLUGIN_CACHE_DIR);
      expect(String(cache?.with?.key)).toContain('${{ steps.provider.outputs.version }}');
      const provider = job.steps.find((step) => step.id === 'provider');
      expect(provider?.run).toContain("require('@cdktf/provider-aws/package.json').cdktf.provider.version");
    },
  );

  test('the provider version that keys the cache is the one the stacks pin', () => {
    const bindings = require('@cdktf/provider-aws/package.json') as { cdktf: { provider: { version: string } } };
    expect(bindings.cdktf.provider.version).toBe('5.100.0');
  });

  test('no workflow skips the Terraform-backed tests or names a provider mirror', () => {
    for (const file of files) expect(readFileSync(path.join(DIR, file), 'utf8')).not.toMatch(/DD_CLOUDTRAIL_SKIP_TERRAFORM|DD_CLOUDTRAIL_PROVIDER_MIRROR/);
  });

  test('every action is pinned to a version tag or a commit', () => {
    const uses = jobs.flatMap((job) => job.steps.flatMap((step) => (step.uses && !step.uses.startsWith('./') ? [step.uses] : [])));
    expect(uses.filter((ref) => !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(ref))).toEqual([]);
  });
});

describe('deploy-wave.yml with local state', () => {
  const wave = jobs.find((job) => job.name === 'deploy-wave.yml deploy') as { steps: Step[] };
  const refuse = wave.steps.find((step) => step.name === 'Refuse local state') as Step;
  /** Runs the step's script, as the runner's bash does, over stacks with the given backends. */
  const runRefusal = (backends: Record<string, object>) => {
    const cwd = tempDir();
    for (const [stack, backend] of Object.entries(backends)) {
      mkdirSync(path.join(cwd, 'cdktf.out', 'stacks', stack), { recursive: true });
      writeFileSync(path.join(cwd, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
    }
    return spawnSync('bash', ['-e', '-c', refuse.run as string], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, STACKS: Object.keys(backends).join(' '), DD_CLOUDTRAIL_CONFIG: 'configs/acme.json' },
    });
  };

  test('runs before any step that gets AWS credentials', () => {
    const index = (predicate: (step: Step) => boolean) => wave.steps.findIndex(predicate);
    expect(index((step) => step === refuse)).toBeLessThan(index((step) => /configure-aws-credentials/.test(step.uses ?? '')));
  });

  test('refuses a stack with the local backend, naming it and the fix', () => {
    const result = runRefusal({ canary: { s3: { bucket: 'state' } }, prod: { local: { path: 'terraform.prod.tfstate' } } });

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::Stack prod keeps its Terraform state in the local backend');
    expect(result.stdout).toContain('set backend.s3 in configs/acme.json');
    expect(result.stdout).not.toContain('Stack canary');
  });

  test('lets stacks with the S3 backend through', () => {
    expect(runRefusal({ canary: { s3: { bucket: 'state' } } }).status).toBe(0);
  });
});
