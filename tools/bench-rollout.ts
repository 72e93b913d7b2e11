/**
 * `npm run bench-rollout -- [--members N] [--shards N] [--parallel N] [--max-parallel N]`: how
 * long a roll-out takes. Measures here what can run here: `npm run shards` on a 5,000-member
 * organization, and the per-shard script (`npm run shard -- plan --offline`) on every stack of
 * an organization of N members (default 200), in shards as CI would run them; then models the
 * wall time of a 5,000-account roll-out on GitHub Actions from those measurements and from
 * stated assumptions for what cannot run here (apply, refresh, runner start-up). Writes the
 * "Roll-out" section of docs/BENCHMARKS.md (between its markers; `npm run bench` keeps it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CommandLine, runCommand } from '../commands/cli';
import { generateOrganization } from './generate-organization';
import { sectionBetween, withSectionBetween } from './generated-section';
import type { ShardReport } from '../rollout/shard-runner';

const ROOT = path.resolve(__dirname, '..');
export const BENCHMARKS = path.join(ROOT, 'docs', 'BENCHMARKS.md');
export const ROLLOUT_START = '<!-- rollout:start -->';
export const ROLLOUT_END = '<!-- rollout:end -->';
const REGISTER = path.join(ROOT, 'synth', 'register.js');

/**
 * What cannot be measured here, per stack or per job, in seconds. Each is an assumption, with
 * where it comes from; the model shows what each phase costs so that a real run can correct it.
 */
const ASSUMED = {
  /**
   * Refresh and provider set-up a real plan adds to the offline one: an STS AssumeRole into
   * the account (the provider's assume_role) and reading back the stack's 2 to 3 IAM
   * resources. None exist at the first roll-out. Assumption; no AWS timing is published.
   */
  refreshPerStack: 3,
  /**
   * `terraform apply` of a member stack (an IAM role and its inline policy). Issue 14 puts
   * init + apply at "a few tens of seconds" per stack; IAM changes are eventually consistent
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
   */
  applyMember: 20,
  /** Apply of the log-archive stack (bucket, key, forwarder, queue, trigger) or the management one (organization trail). */
  applyLarge: 120,
  /**
   * A job's start: a hosted runner picked up, actions/checkout, setup-node with its npm cache,
   * setup-terraform and, with the lock file's first use, one download of the AWS provider
   * (about 100 MB zipped) from releases.hashicorp.com. npm ci and the synth are measured.
   */
  jobStart: 40,
  /** upload-artifact of a shard's plans, or download-artifact of them. */
  artifact: 5,
  /** The small jobs of a round: shards, approve (once approved), collect, and the wave's report. */
  smallJobs: 4 * 45,
  /**
   * Applies at a time in a job (the workflows' ROLLOUT_STACKS_PER_JOB_PARALLEL default): an
   * apply mostly waits on AWS, so more run at a time than the runner has cores. Plans are
   * modelled at the measured throughput instead (they keep a core busy loading the provider).
   */
  applyParallel: 4,
};

interface Measured {
  members: number;
  stacks: number;
  shards: number;
  parallel: number;
  /** Every stack's outcome, from the shard reports. */
  outcomes: ShardReport['stacks'];
  /** Wall time of each shard's `npm run shard -- plan --offline`. */
  shardSeconds: number[];
  /** `npm ci` of the project in a fresh directory, from npm's cache (as setup-node's cache gives CI). */
  npmCiSeconds: number;
  synthSeconds: number;
  /** Synth of 5,000 members, from docs/BENCHMARKS.md's synth table. */
  synthSeconds5000: number;
  /** `npm run shards` on 5,000 members: per wave, median seconds, and the jobs and largest shard per --max-jobs. */
  sharding: Array<{ wave: number; stacks: number; seconds: number; jobs: Record<MaxJobs, number>; largest: Record<MaxJobs, number>; sizes: Record<MaxJobs, string> }>;
}

type MaxJobs = 100 | 256;

function node(args: string[], env: NodeJS.ProcessEnv = process.env): { seconds: number; stdout: string; stderr: string; status: number | null } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--require', REGISTER, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { seconds: (performance.now() - started) / 1000, stdout: child.stdout, stderr: child.stderr, status: child.status };
}

function checked<T extends { status: number | null; stderr: string }>(what: string, result: T): T {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
  return result;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const s = (seconds: number): string => `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
const minutes = (seconds: number): string => `${(seconds / 60).toFixed(1)} min`;
/** An entry of `npm run shards`'s matrix: the shard and its stacks, space-separated. */
type MatrixEntry = { shard: string; stacks: string };
const sizesOf = (shards: MatrixEntry[]): number[] => shards.map((shard) => shard.stacks.split(' ').length);

function measure(options: { members: number; shards: number; parallel: number }, tmp: string, synthSeconds5000: number): Measured {
  const progress = (text: string) => process.stderr.write(`${text}\n`);
  const env = { ...process.env, CHECKPOINT_DISABLE: '1' };

  const big = path.join(tmp, 'organization-5000.json');
  const bigConfig = generateOrganization(5000);
  fs.writeFileSync(big, JSON.stringify(bigConfig, null, 2));
  const waves = [...new Set(bigConfig.accounts.map((account) => account.wave as number))].sort((a, b) => a - b);
  const sharding = waves.map((wave) => {
    const runs = [1, 2, 3].map(() => checked('npm run shards', node(['rollout/shards.ts', '--wave', String(wave), '--config', big], env)));
    const at100 = JSON.parse(checked('npm run shards', node(['rollout/shards.ts', '--wave', String(wave), '--max-jobs', '100', '--config', big], env)).stdout) as { include: MatrixEntry[] };
    const sizes = { 100: sizesOf(at100.include), 256: sizesOf((JSON.parse(runs[0].stdout) as { include: MatrixEntry[] }).include) };
    const stacks = sizes[256].reduce((a, b) => a + b, 0);
    progress(`shards of wave ${wave} (${stacks} stacks): ${s(median(runs.map((r) => r.seconds)))}`);
    const range = (list: number[]) => (Math.min(...list) === Math.max(...list) ? String(list[0]) : `${Math.min(...list)}–${Math.max(...list)}`);
    return {
      wave,
      stacks,
      seconds: median(runs.map((r) => r.seconds)),
      jobs: { 100: sizes[100].length, 256: sizes[256].length },
      largest: { 100: Math.max(...sizes[100]), 256: Math.max(...sizes[256]) },
      sizes: { 100: range(sizes[100]), 256: range(sizes[256]) },
    };
  });

  // As setup-node's npm cache gives CI: npm ci of the project's lock file, from npm's cache.
  const fresh = path.join(tmp, 'npm-ci');
  fs.mkdirSync(fresh);
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(ROOT, file), path.join(fresh, file));
  const ciStarted = performance.now();
  checked('npm ci', spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: fresh, encoding: 'utf8' }));
  const npmCiSeconds = (performance.now() - ciStarted) / 1000;
  progress(`npm ci: ${s(npmCiSeconds)}`);
  fs.rmSync(fresh, { recursive: true, force: true });

  const config = path.join(tmp, `organization-${options.members}.json`);
  fs.writeFileSync(config, JSON.stringify(generateOrganization(options.members), null, 2));
  const outdir = path.join(tmp, 'cdktf.out');
  const synth = checked('npm run synth', node(['main.ts'], { ...env, DD_CLOUDTRAIL_CONFIG: config, CDKTF_OUTDIR: outdir }));
  progress(`synth of ${options.members} members: ${s(synth.seconds)}`);
  const { include } = JSON.parse(checked('npm run shards', node(['rollout/shards.ts', '--max-jobs', String(options.shards), '--config', config], env)).stdout) as { include: MatrixEntry[] };
  const outcomes: ShardReport['stacks'] = [];
  const shardSeconds: number[] = [];
  for (const shard of include) {
    const plans = path.join(tmp, 'plans', shard.shard);
    const run = node(['rollout/shard.ts', 'plan', '--offline', '--stacks', shard.stacks, '--shard', shard.shard, '--dir', path.join(outdir, 'stacks'), '--plans', plans, '--parallel', String(options.parallel)], env);
    checked(`npm run shard -- plan --offline (${shard.shard})`, run);
    const report = JSON.parse(fs.readFileSync(path.join(plans, 'plan.json'), 'utf8')) as ShardReport;
    outcomes.push(...report.stacks);
    shardSeconds.push(run.seconds);
    progress(`shard ${shard.shard} (${report.stacks.length} stacks): ${s(run.seconds)}`);
  }
  return { members: options.members, stacks: outcomes.length, shards: include.length, parallel: options.parallel, outcomes, shardSeconds, npmCiSeconds, synthSeconds: synth.seconds, synthSeconds5000, sharding };
}

interface Model {
  maxParallel: number;
  maxJobs: MaxJobs;
  parallel: number;
  waves: Array<{ wave: number; stacks: number; jobs: number; batches: number; perJob: number; init: number; plan: number; apply: number; fixed: number; total: number }>;
  total: number;
}

/**
 * Wall time of the roll-out of the measured 5,000-member organization, wave after wave. Per
 * wave: its plan jobs, in ceil(jobs / max-parallel) batches one after the other (queueing);
 * then its apply jobs, batched the same way. The largest shard sets a batch's time: a job
 * inits its stacks one by one, then plans (or applies) `parallel` at a time. Every batch pays
 * its jobs' start; each wave pays its small jobs. Approvals (a human) are not counted.
 */
function model(measured: Measured, perStack: { init: number; plan: number; largePlan: number }, maxParallel: number, maxJobs: MaxJobs): Model {
  const jobStart = ASSUMED.jobStart + ASSUMED.artifact + measured.npmCiSeconds + measured.synthSeconds5000;
  const plan = perStack.plan + ASSUMED.refreshPerStack;
  const waves = measured.sharding.map(({ wave, stacks, jobs: jobCounts, largest }) => {
    const jobs = jobCounts[maxJobs];
    const perJob = largest[maxJobs];
    const batches = Math.ceil(jobs / maxParallel);
    const turns = Math.ceil(perJob / measured.parallel);
    // The first wave's largest shard is the log-archive and management stacks, the management
    // stack applied only after the log-archive one.
    const large = wave === measured.sharding[0].wave;
    const planTime = large ? perStack.largePlan + ASSUMED.refreshPerStack + Math.max(0, turns - 1) * plan : turns * plan;
    const applyTurns = Math.ceil(perJob / ASSUMED.applyParallel);
    const applyTime = large ? 2 * ASSUMED.applyLarge + Math.max(0, applyTurns - 1) * ASSUMED.applyMember : applyTurns * ASSUMED.applyMember;
    const init = batches * 2 * perJob * perStack.init;
    const fixed = batches * 2 * jobStart + ASSUMED.smallJobs;
    const total = init + batches * (planTime + applyTime) + fixed;
    return { wave, stacks, jobs, batches, perJob, init, plan: batches * planTime, apply: batches * applyTime, fixed, total };
  });
  return { maxParallel, maxJobs, parallel: measured.parallel, waves, total: waves.reduce((sum, w) => sum + w.total, 0) };
}

function perStackFigures(measured: Measured): { init: number; plan: number; largePlan: number; initP90: number; planP90: number } {
  const members = measured.outcomes.filter((o) => o.stack.startsWith('member-'));
  const large = measured.outcomes.filter((o) => !o.stack.startsWith('member-'));
  const inits = measured.outcomes.map((o) => o.initSeconds ?? 0);
  const plans = members.map((o) => o.seconds ?? 0);
  return {
    init: median(inits),
    initP90: percentile(inits, 90),
    plan: median(plans),
    planP90: percentile(plans, 90),
    largePlan: Math.max(...large.map((o) => o.seconds ?? 0), 0),
  };
}

function section(measured: Measured, cores: number, load: number): string {
  const perStack = perStackFigures(measured);
  const failed = measured.outcomes.filter((o) => o.result === 'failed').length;
  const models = ([100, 256] as const).map((maxJobs) => model(measured, perStack, 100, maxJobs));
  const low = model(measured, perStack, 20, 100);
  const [main] = models;
  const totalShardSeconds = measured.shardSeconds.reduce((a, b) => a + b, 0);
  const modelRows = (m: Model) =>
    m.waves.map((w) => `| ${w.wave} | ${w.stacks.toLocaleString('en-US')} | ${w.jobs} × ≤${w.perJob} | ${w.batches} | ${minutes(w.init)} | ${minutes(w.plan)} | ${minutes(w.apply)} | ${minutes(w.fixed)} | **${minutes(w.total)}** |`);
  return `${ROLLOUT_START}
## Roll-out

Written by \`npm run bench-rollout\` (tools/bench-rollout.ts) on ${new Date().toISOString().slice(0, 10)}, on ${cores} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, Terraform with the AWS provider 5.100.0 from a filesystem mirror; 1-minute load average before the runs: ${load.toFixed(2)} (other work shared the machine). \`npm run bench\` keeps this section.

**Headline.** A 5,000-account roll-out (the generated organization: waves of ${measured.sharding.map((w) => w.stacks.toLocaleString('en-US')).join(', ')} stacks) at \`max-parallel: 100\` takes about **${minutes(main.total)}** of wall time on GitHub Actions by the model below, approvals not counted: ${main.waves.map((w) => `wave ${w.wave} ${minutes(w.total)}`).join(', ')}. ${main.total <= 3600 ? 'That is within the 1-hour target.' : 'That misses the 1-hour target.'} The measured parts (init, offline plan, npm run shards) are from this machine; apply, refresh and job start are assumptions, listed below with their sources.

### Measured: \`npm run shards\` on 5,000 members

| wave | stacks | time (median of 3) | jobs at --max-jobs 256 | stacks per job | jobs at --max-jobs 100 | stacks per job |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${measured.sharding.map((w) => `| ${w.wave} | ${w.stacks.toLocaleString('en-US')} | ${s(w.seconds)} | ${w.jobs[256]} | ${w.sizes[256]} | ${w.jobs[100]} | ${w.sizes[100]} |`).join('\n')}

${measured.sharding.every((w) => w.jobs[256] <= 256) ? "Every wave fits GitHub's 256 jobs per matrix" : "**A wave does not fit GitHub's 256 jobs per matrix**"}; the target is under 5 s.

### Measured: \`npm run shard -- plan --offline\` on ${measured.members} members

All ${measured.stacks} stacks of an organization of ${measured.members} members (\`npm run generate-organization\`), in ${measured.shards} shards (\`npm run shards -- --max-jobs ${measured.shards}\`), run one shard after the other as ${measured.shards} CI jobs would, each with \`--parallel ${measured.parallel}\`, offline (the harness's overrides, \`-refresh=false\`, no AWS). ${failed === 0 ? 'Every plan succeeded.' : `${failed} plans failed.`}

| figure | value |
| --- | ---: |
| \`terraform init\` per stack, one at a time, lock file given, provider linked from the shared cache (median; 90th percentile) | ${s(perStack.init)}; ${s(perStack.initP90)} |
| \`terraform plan -out\` per member stack, ${measured.parallel} at a time (median; 90th percentile) | ${s(perStack.plan)}; ${s(perStack.planP90)} |
| \`terraform plan -out\` of the slowest of the log-archive and management stacks | ${s(perStack.largePlan)} |
| a shard of about ${Math.round(measured.stacks / measured.shards)} stacks, the whole command (median of the shards) | ${s(median(measured.shardSeconds))} |
| all ${measured.shards} shards, one after the other | ${s(totalShardSeconds)} (${s(totalShardSeconds / measured.stacks)} per stack) |
| \`npm run synth\` of the ${measured.members}-member organization | ${s(measured.synthSeconds)} |

Disk: checked by hand (\`terraform init\` of a stack with the lock file and the shared plugin cache), a stack's \`.terraform\` is 28 KB, the provider a symlink into the cache, so disk use does not grow with the stacks of a job; without the lock file, on a runner, every init would download and unpack its own 675 MB copy of the provider.

### Model: a 5,000-account roll-out on GitHub Actions

Per wave, a plan job and an apply job per shard. Inside a job, stacks are initialised one at a time (the plugin cache is not safe for parallel inits), planned at the throughput measured here (${measured.parallel} at a time on ${cores} cores, as on a 2-core hosted runner) and applied ${ASSUMED.applyParallel} at a time. With more jobs than \`max-parallel\`, jobs queue in batches. Each wave also has fixed work: two job starts (plan, apply: start, \`npm ci\`, synth of 5,000 accounts, artifacts) and the small jobs (shards, approve, collect, report).

Assumed (not measurable here):

| assumption | seconds | source |
| --- | ---: | --- |
| refresh and STS per stack, added to the offline plan | ${ASSUMED.refreshPerStack} | none published: an AssumeRole and reading 2–3 IAM resources |
| apply of a member stack (IAM role, inline policy), ${ASSUMED.applyParallel} at a time | ${ASSUMED.applyMember} | issue 14: "a few tens of seconds of terraform init + apply per stack"; IAM is eventually consistent (AWS IAM user guide, troubleshooting) |
| apply of the log-archive or management stack | ${ASSUMED.applyLarge} | assumption: bucket, key, forwarder, trail |
| job start (runner, checkout, setup-node cache, setup-terraform, one provider download) | ${ASSUMED.jobStart} | assumption |
| artifact upload or download | ${ASSUMED.artifact} | assumption |
| small jobs per round (shards, approve once approved, collect, report) | ${ASSUMED.smallJobs} | assumption: 45 s each |
| \`npm ci\` from npm's cache | ${s(measured.npmCiSeconds)} | measured here |
| synth of 5,000 accounts | ${s(measured.synthSeconds5000)} | docs/BENCHMARKS.md, synth table |

At \`max-parallel: 100\` and \`ROLLOUT_MAX_JOBS\` 100 (the workflows' defaults):

| wave | stacks | jobs × stacks | batches | init | plan | apply | fixed | wave |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${modelRows(main).join('\n')}
| | | | | | | | | **${minutes(main.total)}** |

At \`max-parallel: 100\` with \`ROLLOUT_MAX_JOBS\` 256 (jobs beyond 100 queue): **${minutes(models[1].total)}**. At \`max-parallel: 20\` (GitHub Free's concurrency) with 100 jobs: **${minutes(low.total)}**.

Where the time goes: ${(() => {
    const sum = (key: 'init' | 'plan' | 'apply' | 'fixed') => main.waves.reduce((n, w) => n + w[key], 0);
    return `init ${minutes(sum('init'))}, plan ${minutes(sum('plan'))}, apply ${minutes(sum('apply'))}, job starts and small jobs ${minutes(sum('fixed'))}`;
  })()}; queueing adds nothing at 100 jobs and \`max-parallel: 100\`; with 256 jobs a wave runs in ${models[1].waves[1].batches} batches of jobs of up to ${models[1].waves[1].perJob} stacks instead of ${main.waves[1].batches} of ${main.waves[1].perJob}, each batch paying its jobs' start. Matching \`ROLLOUT_MAX_JOBS\` to \`max-parallel\` is the fastest: every job starts at once. Not counted: the approvals of each wave (a human), an environment's wait timer, and runners GitHub does not grant (a plan's concurrency limit below \`max-parallel\` turns into batches as above).
${ROLLOUT_END}
`;
}

/** `markdown` with its roll-out section replaced by (or, without one, followed by) `rollout`. */
export function withRolloutSection(markdown: string, rollout: string): string {
  return withSectionBetween(markdown, ROLLOUT_START, ROLLOUT_END, rollout);
}

/** The roll-out section of `markdown`, or '' when it has none. */
export function rolloutSection(markdown: string): string {
  return sectionBetween(markdown, ROLLOUT_START, ROLLOUT_END);
}

/** The median synth time of 5,000 members in docs/BENCHMARKS.md's table. */
function synthOf5000(markdown: string): number {
  const row = /\| Synth: organization of 5,000 members \| [\d,]+ \| [\d.]+ s \| ([\d.]+) s \|/.exec(markdown);
  return row ? Number(row[1]) : 7;
}

const USAGE = `Usage: npm run bench-rollout -- [--members N] [--shards N] [--parallel N]

Measures npm run shards on a 5,000-member organization and npm run shard -- plan --offline
on every stack of an organization of --members members, then models the wall time of a
5,000-account roll-out on GitHub Actions; writes the Roll-out section of docs/BENCHMARKS.md.

Options:
  --members N     members of the measured organization (default 200)
  --shards N      shards it is planned in, one after the other (default 8)
  --parallel N    stacks planned at a time per shard (default 2, the cores here)
  -h, --help      show this help
`;

function main(args: CommandLine): number {
  const options = { members: args.positiveInteger('members') ?? 200, shards: args.positiveInteger('shards') ?? 8, parallel: args.positiveInteger('parallel') ?? 2 };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-cloudtrail-bench-rollout-'));
  try {
    const started = performance.now();
    const current = fs.existsSync(BENCHMARKS) ? fs.readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
    const load = os.loadavg()[0];
    const text = section(measure(options, tmp, synthOf5000(current)), os.availableParallelism(), load);
    fs.writeFileSync(BENCHMARKS, withRolloutSection(current, text));
    console.log(text);
    process.stderr.write(`bench-rollout: ${s((performance.now() - started) / 1000)}\n`);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCommand(
    { name: 'bench-rollout', usage: USAGE, options: { members: { type: 'string' }, shards: { type: 'string' }, parallel: { type: 'string' } } },
    main,
  );
}
