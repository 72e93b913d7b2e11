/**
 * The shipped workflows' `run:` steps, run through bash as the runner runs them (processes):
 * the composite action's refusal of local state, the mark of a shard with changes, and the
 * step that reads the waves. What the workflows' YAML says is read in process in
 * ../workflows.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/configs';
import { action, loadWorkflow, type Step } from '../support/workflows';

describe('the terraform-job action with local state', () => {
  const refuse = action.runs.steps.find((step) => step.name === 'Refuse local state') as Step;
  /** Runs the step's script, as the runner's bash does, over stacks with the given backends. */
  const runRefusal = (backends: Record<string, object>, missing: string[] = []) => {
    const cwd = tempDir();
    for (const [stack, backend] of Object.entries(backends)) {
      mkdirSync(path.join(cwd, 'cdktf.out', 'stacks', stack), { recursive: true });
      writeFileSync(path.join(cwd, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
    }
    writeFileSync(path.join(cwd, 'stacks.txt'), [...Object.keys(backends), ...missing].map((stack) => `${stack}\n`).join(''));
    return spawnSync('bash', ['-e', '-c', refuse.run as string], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, STACKS_FILE: 'stacks.txt', DD_CLOUDTRAIL_CONFIG: 'configs/acme.json' },
    });
  };

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

  test('leaves a stack that is not synthesized to the shard runner, which reports it missing', () => {
    const result = runRefusal({ canary: { s3: { bucket: 'state' } } }, ['gone']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
  });
});

describe('rollout-round.yml', () => {
  const round = loadWorkflow('rollout-round.yml').jobs;

  test('asks for no approval when no stack of the round has changes', () => {
    const mark = (round.plan.steps ?? []).find((step) => step.name === 'Mark a shard with changes') as Step;
    const marked = (results: string[]) => {
      const cwd = tempDir();
      mkdirSync(path.join(cwd, 'plans'));
      writeFileSync(path.join(cwd, 'plans', 'plan.json'), JSON.stringify({ stacks: results.map((result, i) => ({ stack: `s${i}`, result })) }));
      spawnSync('bash', ['-e', '-c', mark.run as string], { cwd, env: { ...process.env, SHARD: 'w1-r1-001' } });
      return readdirSync(path.join(cwd, 'changes'));
    };

    expect(marked(['no-changes', 'changes'])).toEqual(['w1-r1-001']);
    expect(marked(['no-changes', 'failed'])).toEqual([]);
    expect(round.approve.needs).toContain('changes');
    expect(round.approve.if).toContain("needs.changes.outputs.any == 'true'");
  });
});

describe('rollout.yml', () => {
  const wavesStep = (loadWorkflow('rollout.yml').jobs.waves.steps ?? []).find((step) => step.id === 'waves') as Step;

  /** Runs the waves step with a stand-in `npm` that prints the given stacks. */
  const runWaves = (waves: number[], env: Record<string, string> = {}) => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'bin'));
    writeFileSync(path.join(cwd, 'stacks.out'), JSON.stringify(waves.map((wave, i) => ({ name: `s${i}`, wave, accountId: '111111111111', region: 'us-east-1' }))));
    writeFileSync(path.join(cwd, 'bin', 'npm'), `#!/usr/bin/env bash\ncat "${path.join(cwd, 'stacks.out')}"\n`, { mode: 0o755 });
    writeFileSync(path.join(cwd, 'output'), '');
    const result = spawnSync('bash', ['-e', '-c', wavesStep.run as string], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.join(cwd, 'bin')}:${process.env.PATH}`, GITHUB_OUTPUT: path.join(cwd, 'output'), MAX_WAVES: '3', FROM_WAVE: '', DD_CLOUDTRAIL_CONFIG: 'c.json', ...env },
    });
    return { ...result, output: readFileSync(path.join(cwd, 'output'), 'utf8') };
  };

  test('reads the waves from npm run stacks -- --json, sorted and unique', () => {
    expect(wavesStep.run).toContain('npm run --silent stacks -- --json');
    expect(runWaves([1, 1, 4, 2]).output).toBe('waves=[1,2,4]\ncount=3\n');
  });

  test('starts at from-wave when given', () => {
    expect(runWaves([1, 2, 4], { FROM_WAVE: '2' }).output).toBe('waves=[2,4]\ncount=2\n');
  });

  test('fails before deploying anything when the config has more waves than jobs', () => {
    const result = runWaves([1, 2, 3, 4]);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::c.json has 4 waves to deploy ([1,2,3,4]); rollout.yml runs at most 3');
    expect(result.output).toBe('');
  });

  test('refuses a from-wave that is not a wave number', () => {
    expect(runWaves([1], { FROM_WAVE: '2x' }).stdout).toContain('from-wave takes a wave number');
  });
});
