/**
 * The shipped workflows work on a GitHub-hosted runner, which has no Terraform provider mirror:
 * what their YAML says, read in process. Their `run:` steps run through bash in
 * processes/workflows.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import awsBindings from '@cdktf/provider-aws/package.json';
import { CI_TERRAFORM_VERSION } from '../commands/terraform';
import { ACTION, action, type Job, loadWorkflow, type Step, WORKFLOWS_DIR, workflowFiles } from './support/workflows';

const jobs = workflowFiles.flatMap((file) => Object.entries(loadWorkflow(file).jobs).map(([name, job]) => ({ name: `${file} ${name}`, steps: job.steps ?? [] })));
/** A step that runs terraform: the tests that start processes (npm test runs none), or validate. */
const needsTerraform = (step: Step) => /\bnpm run (--silent )?(test:processes|validate)\b/.test(step.run ?? '');
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
    for (const file of workflowFiles) expect(readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')).not.toMatch(/DD_CLOUDTRAIL_SKIP_TERRAFORM|DD_CLOUDTRAIL_PROVIDER_MIRROR/);
  });

  /** Every `uses:` line of the workflows and the composite action, as written (YAML drops the comments). */
  const usesLines = [...workflowFiles.map((file) => path.join(WORKFLOWS_DIR, file)), ACTION].flatMap((file) =>
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

  test('runs before any step that gets AWS credentials', () => {
    const index = (predicate: (step: Step) => boolean) => action.runs.steps.findIndex(predicate);
    expect(index((step) => step === refuse)).toBeLessThan(index((step) => /configure-aws-credentials/.test(step.uses ?? '')));
  });

  test('is required by every job that plans for an apply, and by the apply', () => {
    const round = loadWorkflow('rollout-round.yml').jobs;
    for (const job of [round.plan, round.apply]) {
      const setup = (job.steps ?? []).find((step) => step.uses === './.github/actions/terraform-job') as Step;
      expect(setup.with?.['require-remote-state']).toBe('true');
    }
  });

  test('asks for credentials that outlast the jobs using them', () => {
    const credentials = action.runs.steps.find((step) => /configure-aws-credentials/.test(step.uses ?? '')) as Step;
    expect(credentials.with?.['role-duration-seconds']).toBe('${{ inputs.role-duration-seconds }}');
    const users = workflowFiles.flatMap((file) => Object.values(loadWorkflow(file).jobs).filter((job) => (job.steps ?? []).some((step) => step.uses === './.github/actions/terraform-job')));
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
  const matrixJobs = workflowFiles.flatMap((file) => Object.entries(loadWorkflow(file).jobs).filter(([, job]) => job.strategy?.matrix !== undefined).map(([name, job]) => [`${file} ${name}`, job] as const));

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
    const shardsJob = loadWorkflow(file).jobs[file === 'plan.yml' ? 'plan-shards' : 'shards'];
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
  const round = loadWorkflow('rollout-round.yml').jobs;

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

  test('hands the stacks to plan again to a second round, in a file, for a new approval', () => {
    const wave = loadWorkflow('rollout-wave.yml').jobs;
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
  const round = loadWorkflow('rollout-round.yml').jobs;
  const gateStep = (job: Job) => (job.steps ?? []).find((step) => /npm run --silent approvals -- --waves/.test(step.run ?? '')) as Step;

  test('each round approves only past a job that read the environment of its wave', () => {
    expect(round.approve.needs).toContain('approval-gate');
    expect(round.approve.if).toContain("needs.approval-gate.result == 'success'");
    expect(gateStep(round['approval-gate']).run).toBe('npm run --silent approvals -- --waves "$WAVE" --summary "$GITHUB_STEP_SUMMARY"');
    expect(gateStep(round['approval-gate']).env).toMatchObject({ WAVE: '${{ inputs.wave }}', GITHUB_TOKEN: '${{ github.token }}' });
  });

  test('rollout.yml reads every wave\'s environment before the first wave starts', () => {
    const waves = loadWorkflow('rollout.yml').jobs.waves;
    const steps = waves.steps ?? [];

    expect(steps.indexOf(gateStep(waves))).toBeGreaterThan(steps.findIndex((step) => step.id === 'waves'));
    expect(gateStep(waves).env?.WAVES).toBe('${{ steps.waves.outputs.waves }}');
  });

  test('opts out only through the named repository variable', () => {
    for (const job of [round['approval-gate'], loadWorkflow('rollout.yml').jobs.waves]) {
      expect(gateStep(job).env?.ROLLOUT_ALLOW_UNREVIEWED_WAVES).toBe('${{ vars.ROLLOUT_ALLOW_UNREVIEWED_WAVES }}');
    }
  });

  test('grants the token actions: read, which reading an environment needs, down the chain of reusable workflows', () => {
    const rollout = loadWorkflow('rollout.yml').jobs;
    const wave = loadWorkflow('rollout-wave.yml').jobs;
    const granting = [rollout.waves, ...Object.entries(rollout).filter(([name]) => /^wave-\d+$/.test(name)).map(([, job]) => job), wave['round-1'], wave['round-2'], round['approval-gate']];

    for (const job of granting) expect(job.permissions?.actions).toBe('read');
  });
});

describe('rollout.yml', () => {
  const rollout = loadWorkflow('rollout.yml');
  const waveJobs = Object.entries(rollout.jobs).filter(([name]) => /^wave-\d+$/.test(name));

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
});
