/**
 * What one CI job of a roll-out does with its shard of stacks (rollout/shard.ts is the
 * command line): `terraform init` of each stack one at a time into one shared plugin cache,
 * then `terraform plan -out` (or `terraform apply <saved plan>`) a few stacks at a time. Every
 * stack runs, whatever happens to the others; the report says how each one ended.
 *
 * - One init at a time: the plugin cache "is not guaranteed to be concurrency safe"
 *   (https://developer.hashicorp.com/terraform/cli/config/config-file#provider-plugin-cache,
 *   hashicorp/terraform#31964: parallel inits fail with checksum mismatches).
 * - Every stack gets the lock file of one scratch init: with a lock file, init takes the
 *   provider from the cache and links it (symlink, not a copy of the 675 MB binary:
 *   internal/providercache/package_install.go, installFromLocalDir); without one, init would
 *   download the provider again for every stack.
 * - Apply applies the saved plan only (`terraform apply <planfile>`), so what runs is what was
 *   reviewed. Terraform refuses a plan made before the state changed ("Saved plan is stale",
 *   internal/backend/local/backend_local.go): reported as `stale`, to be planned again.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliConfig, linkPluginCache, makeOffline, providerMirror, terraformEnv, terraformProblem } from '../commands/terraform';
import { describeStandIn, localAwsVersions, localProviderDirs, standInProvider } from '../commands/provider-stand-in';

export type PlanResult = 'changes' | 'no-changes' | 'failed';
export type ApplyResult = 'applied' | 'unchanged' | 'stale' | 'failed' | 'skipped' | 'not-planned';

export interface StackOutcome {
  stack: string;
  result: PlanResult | ApplyResult;
  /** From terraform's "Plan: 1 to add, 0 to change, 0 to destroy." (plan) or "Apply complete!" line. */
  add?: number;
  change?: number;
  destroy?: number;
  /** Seconds of `terraform init`, when it ran. */
  initSeconds?: number;
  /** Seconds of `terraform plan` or `terraform apply`, when it ran. */
  seconds?: number;
  /** Why it failed or was skipped, in a line. */
  message?: string;
}

export interface ShardReport {
  command: 'plan' | 'apply';
  shard: string;
  offline: boolean;
  /** Wall time of the whole command. */
  seconds: number;
  stacks: StackOutcome[];
}

export interface ShardOptions {
  command: 'plan' | 'apply';
  stacks: string[];
  /** The synthesized stacks (cdktf.out/stacks); its parent holds cdktf's manifest.json. */
  stacksDir: string;
  /** Saved plans, their lock files, logs and the reports (plan.json, plan.md, apply.json, apply.md). */
  plansDir: string;
  /** Stacks planned or applied at the same time. */
  parallel: number;
  /** Shard id for the reports. */
  shard: string;
  /** Plan without credentials: the offline harness's overrides, in copies of the stacks (never apply). */
  offline?: boolean;
  /** Plan with -lock=false: a plan nobody will apply (pull requests, drift) must not block a deploy. */
  noLock?: boolean;
  /**
   * Plan through this role name in each account instead of the role of its assumeRoleArn (the
   * deploy role): a read-only role for pull requests and drift.
   */
  roleName?: string;
  /** The shared plugin cache. @default $TF_PLUGIN_CACHE_DIR, else a new temporary directory */
  pluginCache?: string;
  env?: NodeJS.ProcessEnv;
  /** Where terraform's output goes, stack by stack. @default stdout */
  log?: (text: string) => void;
}

/** Plan or apply results that mean the stack needs attention: the command exits 1. */
export const FAILED_RESULTS: ReadonlySet<string> = new Set(['failed', 'stale', 'skipped', 'not-planned']);

const STACK_FILE = 'cdk.tf.json';
const STALE = /Saved plan is stale/;

type Json = Record<string, unknown>;

interface Terraform {
  code: number | null;
  output: string;
  seconds: number;
}

export async function runShard(options: ShardOptions): Promise<ShardReport> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const log = options.log ?? ((text: string) => process.stdout.write(text));
  const problem = terraformProblem(env);
  if (problem) throw new Error(problem);
  fs.mkdirSync(options.plansDir, { recursive: true });
  const plansDir = path.resolve(options.plansDir);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-cloudtrail-shard-'));
  try {
    const context = prepare(options, env, scratch);
    const stacks = options.command === 'plan' ? await plan(options, context, plansDir, log) : await apply(options, context, plansDir, log);
    const report: ShardReport = {
      command: options.command,
      shard: options.shard,
      offline: options.offline ?? false,
      seconds: round((performance.now() - started) / 1000),
      stacks,
    };
    fs.writeFileSync(path.join(plansDir, `${options.command}.json`), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(plansDir, `${options.command}.md`), reportMarkdown(report));
    return report;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

interface Context {
  env: NodeJS.ProcessEnv;
  offline: boolean;
  /** The directory terraform runs in for `stack`. */
  dirOf: (stack: string) => string;
  /** A lock file for the stack's provider requirements, from one scratch init per set. */
  lockFor: (stack: string) => Promise<string | Terraform>;
  /** Stacks each stack must be applied after (cdktf's manifest.json). */
  dependencies: Map<string, string[]>;
  /** Offline, for each stack planned on an older AWS provider than it pins: what that means. */
  standIns: Map<string, string>;
}

function prepare(options: ShardOptions, baseEnv: NodeJS.ProcessEnv, scratch: string): Context {
  const stacksDir = path.resolve(options.stacksDir);
  for (const stack of options.stacks) {
    if (!fs.existsSync(path.join(stacksDir, stack, STACK_FILE))) throw new Error(`No synthesized stack "${stack}": ${path.join(stacksDir, stack, STACK_FILE)} does not exist (run npm run synth first)`);
  }
  const offline = options.offline ?? false;
  let env: NodeJS.ProcessEnv;
  let pluginCache: string;
  let awsVersions: string[] | undefined;
  if (offline) {
    const mirror = providerMirror(baseEnv);
    const localDirs = localProviderDirs(mirror, baseEnv);
    awsVersions = mirror ? localAwsVersions(localDirs) : undefined;
    const cliConfigFile = path.join(scratch, 'terraform.tfrc');
    fs.writeFileSync(cliConfigFile, cliConfig(localDirs));
    env = terraformEnv(baseEnv, cliConfigFile);
    pluginCache = mirror ? linkPluginCache(scratch, localDirs) : path.resolve(options.pluginCache ?? fs.mkdtempSync(path.join(scratch, 'plugins-')));
  } else {
    env = { ...baseEnv, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    pluginCache = path.resolve(options.pluginCache ?? baseEnv.TF_PLUGIN_CACHE_DIR ?? path.join(scratch, 'plugin-cache'));
  }
  fs.mkdirSync(pluginCache, { recursive: true });
  env = { ...env, TF_PLUGIN_CACHE_DIR: pluginCache };

  const copies = path.join(scratch, 'stacks');
  const dirOf = (stack: string): string => (offline ? path.join(copies, stack) : path.join(stacksDir, stack));
  const standIns = new Map<string, string>();
  if (offline) {
    for (const stack of options.stacks) {
      const source = path.join(stacksDir, stack);
      fs.cpSync(source, dirOf(stack), { recursive: true, filter: (from) => !/^(\.terraform|.*\.tfstate(\..*)?)$/.test(path.basename(from)) });
      const { config, standIn } = standInProvider(makeOffline(readJson(path.join(source, STACK_FILE))), awsVersions);
      if (standIn) standIns.set(stack, describeStandIn(standIn));
      fs.writeFileSync(path.join(dirOf(stack), STACK_FILE), JSON.stringify(config, null, 2));
    }
  }

  const locks = new Map<string, Promise<string | Terraform>>();
  const lockFor = (stack: string): Promise<string | Terraform> => {
    const terraformBlock = readJson(path.join(dirOf(stack), STACK_FILE)).terraform as Json | undefined;
    const requiredProviders = terraformBlock?.required_providers ?? {};
    const key = JSON.stringify(requiredProviders);
    let lock = locks.get(key);
    if (!lock) {
      const dir = path.join(scratch, 'lock', String(locks.size));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: requiredProviders } }));
      // Offline, the cache holds links into the mirror and no lock file exists yet: the
      // cache's copy is the mirror's, so it may be taken without a lock entry. On CI the
      // scratch init downloads the provider once into the cache, checksums and all.
      const scratchEnv = offline ? { ...env, TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: '1' } : env;
      lock = terraform(dir, ['init', '-input=false', '-backend=false'], scratchEnv).then((init) =>
        init.code === 0 ? path.join(dir, '.terraform.lock.hcl') : init,
      );
      locks.set(key, lock);
    }
    return lock;
  };
  return { env, offline, dirOf, lockFor, dependencies: manifestDependencies(stacksDir), standIns };
}

/** An init that worked (its seconds), or the stack's outcome when it did not. */
type Init = { seconds: number } | { failed: StackOutcome };

/** `terraform init` of each stack, one at a time. */
async function initStacks(
  stacks: string[],
  context: Context,
  savedLock: (stack: string) => string | undefined,
  log: (text: string) => void,
): Promise<Map<string, Init>> {
  const inits = new Map<string, Init>();
  for (const stack of stacks) {
    const dir = context.dirOf(stack);
    const lockFile = path.join(dir, '.terraform.lock.hcl');
    const saved = savedLock(stack);
    if (saved) fs.copyFileSync(saved, lockFile);
    else if (!fs.existsSync(lockFile)) {
      const lock = await context.lockFor(stack);
      if (typeof lock !== 'string') {
        inits.set(stack, { failed: { stack, result: 'failed', message: `terraform init of the providers failed: ${errorLine(lock.output)}` } });
        log(group(stack, 'init of the providers', lock.output));
        continue;
      }
      fs.copyFileSync(lock, lockFile);
    }
    const init = await terraform(dir, ['init', '-input=false'], context.env);
    if (init.code === 0) inits.set(stack, { seconds: init.seconds });
    else {
      inits.set(stack, { failed: { stack, result: 'failed', initSeconds: init.seconds, message: `terraform init failed: ${errorLine(init.output)}` } });
      log(group(stack, 'init', init.output));
    }
  }
  return inits;
}

async function plan(options: ShardOptions, context: Context, plansDir: string, log: (text: string) => void): Promise<StackOutcome[]> {
  if (options.roleName) for (const stack of options.stacks) writeRoleOverride(context.dirOf(stack), options.roleName);
  const inits = await initStacks(options.stacks, context, () => undefined, log);
  const args = ['plan', '-input=false', '-detailed-exitcode', ...(options.noLock || context.offline ? ['-lock=false'] : []), ...(context.offline ? ['-refresh=false'] : [])];
  return mapLimit(options.stacks, options.parallel, async (stack) => {
    const init = inits.get(stack) as Init;
    if ('failed' in init) return init.failed;
    const planFile = path.join(plansDir, `${stack}.tfplan`);
    fs.rmSync(planFile, { force: true });
    const run = await terraform(context.dirOf(stack), [...args, `-out=${planFile}`], context.env);
    const standIn = context.standIns.get(stack);
    const output = standIn ? `${stack}: ${standIn}\n${run.output}` : run.output;
    fs.writeFileSync(path.join(plansDir, `${stack}.plan.txt`), output);
    log(group(stack, 'plan', output));
    const timing = { initSeconds: init.seconds, seconds: run.seconds };
    // -detailed-exitcode: 0 no changes, 1 error, 2 changes (internal/command/plan.go).
    if (run.code === 2) {
      fs.copyFileSync(path.join(context.dirOf(stack), '.terraform.lock.hcl'), path.join(plansDir, `${stack}.terraform.lock.hcl`));
      return { stack, result: 'changes', ...planCounts(run.output), ...timing };
    }
    fs.rmSync(planFile, { force: true });
    if (run.code === 0) return { stack, result: 'no-changes', add: 0, change: 0, destroy: 0, ...timing };
    return { stack, result: 'failed', message: `terraform plan failed: ${errorLine(run.output)}`, ...timing };
  });
}

async function apply(options: ShardOptions, context: Context, plansDir: string, log: (text: string) => void): Promise<StackOutcome[]> {
  if (context.offline) throw new Error('apply needs AWS credentials: --offline only plans');
  const planned = readPlanReport(plansDir);
  const toApply = options.stacks.filter((stack) => planned.get(stack)?.result === 'changes' && fs.existsSync(path.join(plansDir, `${stack}.tfplan`)));
  const inits = await initStacks(toApply, context, (stack) => existing(path.join(plansDir, `${stack}.terraform.lock.hcl`)), log);
  const inShard = new Set(options.stacks);
  const limit = semaphore(options.parallel);
  const outcomes = new Map<string, Promise<StackOutcome>>();
  for (const stack of options.stacks) {
    outcomes.set(
      stack,
      (async (): Promise<StackOutcome> => {
        const before = planned.get(stack);
        if (before?.result === 'no-changes') return { stack, result: 'unchanged', add: 0, change: 0, destroy: 0 };
        if (!toApply.includes(stack)) {
          return { stack, result: 'not-planned', message: before ? `its plan ${before.result === 'failed' ? 'failed' : 'file is missing'}` : `no plan of it in ${plansDir}/plan.json` };
        }
        // Shards list dependencies first (npm run shards), so their outcomes already exist.
        const dependencies = (context.dependencies.get(stack) ?? []).filter((dependency) => inShard.has(dependency));
        const blocked = (await Promise.all(dependencies.map((dependency) => outcomes.get(dependency) as Promise<StackOutcome>))).filter(
          (outcome) => outcome.result !== 'applied' && outcome.result !== 'unchanged',
        );
        if (blocked.length > 0) return { stack, result: 'skipped', message: `not applied: ${blocked.map((o) => `${o.stack} ${o.result}`).join(', ')}, and it must be applied first` };
        const init = inits.get(stack) as Init;
        if ('failed' in init) return init.failed;
        return limit(async () => {
          const run = await terraform(context.dirOf(stack), ['apply', '-input=false', path.join(plansDir, `${stack}.tfplan`)], context.env);
          fs.writeFileSync(path.join(plansDir, `${stack}.apply.txt`), run.output);
          log(group(stack, 'apply', run.output));
          const timing = { initSeconds: init.seconds, seconds: run.seconds };
          if (run.code === 0) return { stack, result: 'applied', ...applyCounts(run.output), ...timing };
          if (STALE.test(run.output)) return { stack, result: 'stale', message: 'the state changed after the plan: plan it again for a new approval', ...timing };
          return { stack, result: 'failed', message: `terraform apply failed: ${errorLine(run.output)}`, ...timing };
        });
      })(),
    );
  }
  return Promise.all(options.stacks.map((stack) => outcomes.get(stack) as Promise<StackOutcome>));
}

/** The plan results recorded by `plan` in plansDir/plan.json, by stack. */
function readPlanReport(plansDir: string): Map<string, StackOutcome> {
  const file = path.join(plansDir, 'plan.json');
  if (!fs.existsSync(file)) return new Map();
  const report = readJson(file) as unknown as ShardReport;
  return new Map(report.stacks.map((outcome) => [outcome.stack, outcome]));
}

/**
 * Points the provider's assume_role at `roleName` in the same account, in a
 * plan_override.tf.json beside the stack (Terraform merges *_override.tf.json files last).
 */
export function writeRoleOverride(dir: string, roleName: string): void {
  const provider = (readJson(path.join(dir, STACK_FILE)).provider as Json | undefined)?.aws;
  const blocks = (Array.isArray(provider) ? provider : provider ? [provider] : []) as Json[];
  const roleArn = (blocks[0]?.assume_role as Json[] | undefined)?.[0]?.role_arn;
  if (typeof roleArn !== 'string') return;
  const override = { provider: { aws: [{ assume_role: [{ role_arn: roleArn.replace(/:role\/.*$/, `:role/${roleName}`), session_name: 'datadog-cloudtrail-plan' }] }] } };
  fs.writeFileSync(path.join(dir, 'plan_override.tf.json'), `${JSON.stringify(override, null, 2)}\n`);
}

/** Each stack's dependencies from cdktf's manifest.json beside the stacks directory. */
function manifestDependencies(stacksDir: string): Map<string, string[]> {
  const file = path.join(path.dirname(stacksDir), 'manifest.json');
  if (!fs.existsSync(file)) return new Map();
  const stacks = (readJson(file).stacks ?? {}) as Record<string, { dependencies?: string[] }>;
  return new Map(Object.entries(stacks).map(([name, stack]) => [name, stack.dependencies ?? []]));
}

function planCounts(output: string): Pick<StackOutcome, 'add' | 'change' | 'destroy'> {
  const match = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(output);
  return match ? { add: Number(match[1]), change: Number(match[2]), destroy: Number(match[3]) } : {};
}

function applyCounts(output: string): Pick<StackOutcome, 'add' | 'change' | 'destroy'> {
  const match = /Resources: (\d+) added, (\d+) changed, (\d+) destroyed/.exec(output);
  return match ? { add: Number(match[1]), change: Number(match[2]), destroy: Number(match[3]) } : {};
}

const RESULT_MARK: Record<string, string> = {
  changes: '✏️ changes',
  'no-changes': '✅ no changes',
  applied: '✅ applied',
  unchanged: '✅ unchanged',
  stale: '🔁 stale plan',
  skipped: '⏭️ skipped',
  'not-planned': '❌ not planned',
  failed: '❌ failed',
};

/** The report as Markdown: a line of totals and a row per stack. */
export function reportMarkdown(report: ShardReport): string {
  const counts = new Map<string, number>();
  for (const outcome of report.stacks) counts.set(outcome.result, (counts.get(outcome.result) ?? 0) + 1);
  const totals = [...counts].map(([result, n]) => `${n} ${RESULT_MARK[result] ?? result}`).join(', ');
  const value = (n: number | undefined): string => (n === undefined ? '' : String(n));
  const rows = report.stacks.map(
    (o) => `| ${o.stack} | ${RESULT_MARK[o.result] ?? o.result} | ${value(o.add)} | ${value(o.change)} | ${value(o.destroy)} | ${value(o.initSeconds)} | ${value(o.seconds)} | ${(o.message ?? '').replace(/\|/g, '\\|')} |`,
  );
  return [
    `#### terraform ${report.command}, shard ${report.shard}${report.offline ? ' (offline)' : ''}: ${totals || 'no stacks'} in ${report.seconds} s`,
    '',
    '| stack | result | add | change | destroy | init s | s | note |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n');
}

function terraform(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Terraform> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('terraform', [...args, '-no-color'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = (code: number | null, extra = ''): void =>
      resolve({ code, output: `${Buffer.concat(chunks).toString('utf8')}${extra}`, seconds: round((performance.now() - started) / 1000) });
    child.on('error', (error) => done(null, `terraform ${args[0]}: ${error.message}`));
    child.on('close', (code) => done(code));
  });
}

/** The output as a collapsed group of the GitHub Actions log. */
function group(stack: string, what: string, output: string): string {
  return `::group::${stack}: terraform ${what}\n${output.trimEnd()}\n::endgroup::\n`;
}

function errorLine(output: string): string {
  return /^Error: .*$/m.exec(output)?.[0] ?? output.trim().split('\n').at(-1) ?? '';
}


function semaphore(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A finishing task hands its place to the next waiting one, so that no newcomer slips in between.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const run = semaphore(limit);
  return Promise.all(items.map((item) => run(() => fn(item))));
}

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
}

function existing(file: string): string | undefined {
  return fs.existsSync(file) ? file : undefined;
}

const round = (seconds: number): number => Math.round(seconds * 100) / 100;
