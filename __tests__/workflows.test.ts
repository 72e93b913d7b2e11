/** The shipped workflows work on a GitHub-hosted runner, which has no Terraform provider mirror. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import awsBindings from '@cdktf/provider-aws/package.json';
import { CI_TERRAFORM_VERSION } from '../commands/terraform';
import { tempDir } from './support/configs';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, '.github', 'workflows');

interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  strategy?: { 'fail-fast'?: boolean; 'max-parallel'?: unknown; matrix?: unknown };
  env?: Record<string, unknown>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const load = (file: string) => yaml.load(readFileSync(path.join(DIR, file), 'utf8')) as Workflow;
const jobs = files.flatMap((file) => Object.entries(load(file).jobs).map(([name, job]) => ({ name: `${file} ${name}`, steps: job.steps ?? [] })));
/** The composite action every Terraform job of the workflows uses. */
const ACTION = path.join(ROOT, '.github', 'actions', 'terraform-job', 'action.yml');
const action = yaml.load(readFileSync(ACTION, 'utf8')) as { runs: { steps: Step[] } };
const needsTerraform = (step: Step) => /\bnpm (test|run (--silent )?validate)\b/.test(step.run ?? '');
const terraformJobs = jobs.filter((job) => job.steps.some(needsTerraform));

describe('GitHub workflows on a hosted runner', () => {
  test('some job runs the tests', () => {
    expect(terraformJobs.map((job) => job.name)).toContain('plan.yml diff');
  });

  test.each(terraformJobs.map((job) => [job.name, job] as const))('%s sets Terraform up, pinned, before it runs the tests', (_name, job) => {
    const setup = job.steps.findIndex((step) => /^hashicorp\/setup-terraform@[0-9a-f]{40}$/.test(step.uses ?? ''));
    expect(setup).toBeGreaterThanOrEqual(0);
    expect(job.steps[setup].with?.terraform_version).toBe(CI_TERRAFORM_VERSION);
    expect(setup).toBeLessThan(job.steps.findIndex(needsTerraform));
  });

  test.each(terraformJobs.map((job) => [job.name, job] as const))(
    '%s caches the AWS provider by its version in the plugin cache the tests use',
    (_name, job) => {
      const cache = job.steps.find((step) => /^actions\/cache@[0-9a-f]{40}$/.test(step.uses ?? ''));
      const test = job.steps.find(needsTerraform) as Step;
      expect(cache?.with?.path).toBe(test.env?.TF_PLUGIN_CACHE_DIR);
      expect(String(cache?.with?.key)).toContain('${{ steps.provider.outputs.version }}');
      const provider = job.steps.find((step) => step.id === 'provider');
      expect(provider?.run).toContain("require('@cdktf/provider-aws/package.json').cdktf.provider.version");
    },
  );

  test('the provider version that keys the cache is the one the stacks pin', () => {
    expect(awsBindings.cdktf.provider.version).toBe('6.25.0');
  });

  test('no workflow skips the Terraform-backed tests or names a provider mirror', () => {
    for (const file of files) expect(readFileSync(path.join(DIR, file), 'utf8')).not.toMatch(/DD_CLOUDTRAIL_SKIP_TERRAFORM|DD_CLOUDTRAIL_PROVIDER_MIRROR/);
  });

  /** Every `uses:` line of the workflows and the composite action, as written (YAML drops the comments). */
  const usesLines = [...files.map((file) => path.join(DIR, file)), ACTION].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^\s*(- )?uses: (?!\.\/)/.test(line))
      .map((line) => line.replace(/^\s*(- )?uses: /, '')),
  );

  test('every action is pinned by a full commit, the release it is named in a comment beside it', () => {
    expect(usesLines.length).toBeGreaterThan(0);
    expect(usesLines.filter((line) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line))).toEqual([]);
  });

  test('each action is at one release everywhere (one setup-terraform among them)', () => {
    const releases = new Map<string, Set<string>>();
    for (const line of usesLines) {
      const [action] = line.split('@');
      releases.set(action, (releases.get(action) ?? new Set()).add(line));
    }
    expect([...releases].filter(([, lines]) => lines.size > 1).map(([name]) => name)).toEqual([]);
    expect(releases.get('hashicorp/setup-terraform')?.size).toBe(1);
  });

  test('every job that sets Node up runs Node 24', () => {
    const setups = [...jobs.flatMap((job) => job.steps), ...action.runs.steps].filter((step) => (step.uses ?? '').startsWith('actions/setup-node@'));
    expect(setups.length).toBeGreaterThan(0);
    expect(setups.map((step) => String(step.with?.['node-version']))).toEqual(setups.map(() => '24'));
  });
});

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

  test('runs before any step that gets AWS credentials', () => {
    const index = (predicate: (step: Step) => boolean) => action.runs.steps.findIndex(predicate);
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

  test('leaves a stack that is not synthesized to the shard runner, which reports it missing', () => {
    const result = runRefusal({ canary: { s3: { bucket: 'state' } } }, ['gone']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
  });

  test('is required by every job that plans for an apply, and by the apply', () => {
    const round = load('rollout-round.yml').jobs;
    for (const job of [round.plan, round.apply]) {
      const setup = (job.steps ?? []).find((step) => step.uses === './.github/actions/terraform-job') as Step;
      expect(setup.with?.['require-remote-state']).toBe('true');
    }
  });

  test('asks for credentials that outlast the jobs using them', () => {
    const credentials = action.runs.steps.find((step) => /configure-aws-credentials/.test(step.uses ?? '')) as Step;
    expect(credentials.with?.['role-duration-seconds']).toBe('${{ inputs.role-duration-seconds }}');
    const users = files.flatMap((file) => Object.values(load(file).jobs).filter((job) => (job.steps ?? []).some((step) => step.uses === './.github/actions/terraform-job')));
    expect(users.length).toBeGreaterThan(0);
    for (const job of users) {
      const duration = Number(String((job.steps ?? []).find((step) => step.uses === './.github/actions/terraform-job')?.with?.['role-duration-seconds']).match(/'(\d+)'/)?.[1]);
      expect((job['timeout-minutes'] as number) * 60).toBeLessThan(duration);
    }
  });
});

/** The step of a shard job that runs the shard runner. */
const shardStep = (job: Job): Step => (job.steps ?? []).find((step) => /rollout\/shard\.ts (plan|apply)/.test(step.run ?? '')) as Step;

describe('sharded Terraform jobs', () => {
  const matrixJobs = files.flatMap((file) => Object.entries(load(file).jobs).filter(([, job]) => job.strategy?.matrix !== undefined).map(([name, job]) => [`${file} ${name}`, job] as const));

  test('are the plan and apply of a round, the drift plan and the pull-request plan', () => {
    expect(matrixJobs.map(([name]) => name)).toEqual(['drift.yml plan', 'plan.yml plan', 'rollout-round.yml plan', 'rollout-round.yml apply']);
  });

  test.each(matrixJobs)('%s takes its matrix from npm run shards, never stops the other shards, and caps its parallel jobs', (_name, job) => {
    expect(job.strategy?.matrix).toMatch(/^\$\{\{ fromJSON\(needs\.[\w-]+\.outputs\.matrix\) \}\}$/);
    expect(job.strategy?.['fail-fast']).toBe(false);
    expect(job.strategy?.['max-parallel']).toContain('vars.ROLLOUT_MAX_PARALLEL');
  });

  test.each(matrixJobs)('%s execs the shard runner on its shard\'s list and records every stack even when one fails', (_name, job) => {
    const shard = shardStep(job);
    expect(shard.run).toMatch(/--stacks-file "shards\/\$SHARD\.txt"/);
    expect(shard.env?.SHARD).toBe('${{ matrix.shard }}');
    expect(shard['continue-on-error']).toBe(true);
    const upload = (job.steps ?? []).find((step) => /^actions\/upload-artifact@/.test(step.uses ?? '')) as Step;
    expect(upload.if).toBe('always()');
  });

  test.each(matrixJobs)('%s gives every terraform command a time limit', (_name, job) => {
    expect(shardStep(job).run).toContain('--timeout "$TIMEOUT"');
  });

  test.each(matrixJobs)('%s downloads the lists its shards job uploaded', (name, job) => {
    const file = name.split(' ')[0];
    const shardsJob = load(file).jobs[file === 'plan.yml' ? 'plan-shards' : 'shards'];
    const upload = (shardsJob.steps ?? []).find((step) => /^actions\/upload-artifact@/.test(step.uses ?? '')) as Step;
    const download = (job.steps ?? []).find((step) => /^actions\/download-artifact@/.test(step.uses ?? '') && step.with?.path === 'shards') as Step;
    expect(upload.with?.path).toBe('shards/');
    expect(download.with?.name).toBe(upload.with?.name);
  });

  test('no workflow runs terraform apply itself: only npm run shard applies, and only saved plans', () => {
    const runs = [...jobs.flatMap((job) => job.steps), ...action.runs.steps].map((step) => step.run ?? '');
    expect(runs.filter((run) => /-auto-approve|terraform\s+apply/.test(run))).toEqual([]);
  });
});

describe('rollout-round.yml', () => {
  const round = load('rollout-round.yml').jobs;

  test('uploads each shard\'s saved plans, and applies exactly that artifact after the approval', () => {
    const upload = (round.plan.steps ?? []).find((step) => /upload-artifact/.test(step.uses ?? '')) as Step;
    const download = (round.apply.steps ?? []).find((step) => /download-artifact/.test(step.uses ?? '')) as Step;

    expect(upload.with).toMatchObject({ name: 'plan-${{ matrix.shard }}', path: 'plans/' });
    expect(download.with).toEqual({ name: 'plan-${{ matrix.shard }}', path: 'plans' });
    expect(shardStep(round.apply).run).toMatch(/rollout\/shard\.ts apply .*--plans plans/);
    expect(round.apply.needs).toEqual(['shards', 'approve']);
    expect(round.apply.if).toContain("needs.approve.result == 'success'");
  });

  test('asks for one approval per round, in the environment of the wave, and none per shard job', () => {
    expect(round.approve.environment).toBe('wave-${{ inputs.wave }}');
    expect(Object.entries(round).filter(([, job]) => job.environment !== undefined).map(([name]) => name)).toEqual(['approve']);
  });

  test('goes on to the approval when a plan job failed, so that one account does not stop the wave', () => {
    expect(round.approve.if).toContain('!cancelled()');
    expect(round.changes.if).toContain('!cancelled()');
  });

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

  test('hands the stacks to plan again to a second round, in a file, for a new approval', () => {
    const wave = load('rollout-wave.yml').jobs;
    const collect = (round.collect.steps ?? []).find((step) => step.id === 'replan') as Step;
    const upload = (round.collect.steps ?? []).find((step) => /^actions\/upload-artifact@/.test(step.uses ?? '')) as Step;

    expect(collect.run).toContain('npm run --silent rollout-report -- reports --replan --stacks-file shards/stacks.txt > replan/stacks.txt');
    expect(upload.with?.name).toBe('replan-w${{ inputs.wave }}-r${{ inputs.round }}');
    expect(wave['round-2'].with).toMatchObject({ round: 2, 'stacks-artifact': 'replan-w${{ inputs.wave }}-r1' });
    expect(wave['round-2'].if).toContain("needs.round-1.outputs.replan != '0'");
    expect(wave['round-2'].uses).toBe('./.github/workflows/rollout-round.yml');
    expect(wave.report.if).toContain('always()');
    expect((wave.report.steps ?? []).some((step) => /npm run --silent rollout-report -- reports --wave/.test(step.run ?? ''))).toBe(true);
  });
});

describe('approval gates', () => {
  const round = load('rollout-round.yml').jobs;
  const gateStep = (job: Job) => (job.steps ?? []).find((step) => /npm run --silent approvals -- --waves/.test(step.run ?? '')) as Step;

  test('each round approves only past a job that read the environment of its wave', () => {
    expect(round.approve.needs).toContain('approval-gate');
    expect(round.approve.if).toContain("needs.approval-gate.result == 'success'");
    expect(gateStep(round['approval-gate']).run).toBe('npm run --silent approvals -- --waves "$WAVE" --summary "$GITHUB_STEP_SUMMARY"');
    expect(gateStep(round['approval-gate']).env).toMatchObject({ WAVE: '${{ inputs.wave }}', GITHUB_TOKEN: '${{ github.token }}' });
  });

  test('rollout.yml reads every wave\'s environment before the first wave starts', () => {
    const waves = load('rollout.yml').jobs.waves;
    const steps = waves.steps ?? [];

    expect(steps.indexOf(gateStep(waves))).toBeGreaterThan(steps.findIndex((step) => step.id === 'waves'));
    expect(gateStep(waves).env?.WAVES).toBe('${{ steps.waves.outputs.waves }}');
  });

  test('opts out only through the named repository variable', () => {
    for (const job of [round['approval-gate'], load('rollout.yml').jobs.waves]) {
      expect(gateStep(job).env?.ROLLOUT_ALLOW_UNREVIEWED_WAVES).toBe('${{ vars.ROLLOUT_ALLOW_UNREVIEWED_WAVES }}');
    }
  });

  test('grants the token actions: read, which reading an environment needs, down the chain of reusable workflows', () => {
    const rollout = load('rollout.yml').jobs;
    const wave = load('rollout-wave.yml').jobs;
    const granting = [rollout.waves, ...Object.entries(rollout).filter(([name]) => /^wave-\d+$/.test(name)).map(([, job]) => job), wave['round-1'], wave['round-2'], round['approval-gate']];

    for (const job of granting) expect(job.permissions?.actions).toBe('read');
  });
});

describe('rollout.yml', () => {
  const rollout = load('rollout.yml');
  const waveJobs = Object.entries(rollout.jobs).filter(([name]) => /^wave-\d+$/.test(name));
  const wavesStep = (rollout.jobs.waves.steps ?? []).find((step) => step.id === 'waves') as Step;

  test('never cancels a roll-out in flight', () => {
    expect(rollout.concurrency).toEqual({ group: 'rollout', 'cancel-in-progress': false });
  });

  test('runs the waves of the config in order, each after the one before it succeeded, never naming a wave number', () => {
    waveJobs.forEach(([name, job], i) => {
      expect(name).toBe(`wave-${i + 1}`);
      expect(job.uses).toBe('./.github/workflows/rollout-wave.yml');
      expect(job.with?.wave).toBe(`\${{ fromJSON(needs.waves.outputs.waves)[${i}] }}`);
      if (i === 0) return;
      expect(job.needs).toEqual(['waves', `wave-${i}`]);
      expect(job.if).toContain(`needs.wave-${i}.result == 'success' || (inputs.continue-after-failures && needs.wave-${i}.result == 'failure')`);
    });
  });

  test('handles as many waves as it has jobs for', () => {
    expect(rollout.jobs.waves.env?.MAX_WAVES).toBe(waveJobs.length);
  });

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
