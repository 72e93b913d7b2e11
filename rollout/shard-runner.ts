/**
 * What one CI job of a roll-out does with its shard of stacks (rollout/shard.ts is the
 * command line): `terraform init` of each stack one at a time into one shared plugin cache,
 * then `terraform plan -out` (or `terraform apply <saved plan>`) a few stacks at a time. Every
 * stack runs, whatever happens to the others; the report says how each one ended, and is
 * rewritten as each stack finishes, so that a job killed half-way still says what it did.
 *
 * - One init at a time: the plugin cache "is not guaranteed to be concurrency safe"
 *   (https://developer.hashicorp.com/terraform/cli/config/config-file#provider-plugin-cache,
 *   hashicorp/terraform#31964: parallel inits fail with checksum mismatches).
 * - Every stack gets the lock file of one scratch init: with a lock file, init takes the
 *   provider from the cache and links it (symlink, not a copy of the 675 MB binary:
 *   internal/providercache/package_install.go, installFromLocalDir); without one, init would
 *   download the provider again for every stack.
 * - Apply applies the saved plan only (`terraform apply <planfile>`), so what runs is what was
 *   reviewed. Terraform refuses a plan made before the state changed ("Saved plan is stale")
 *   or against a state of another lineage ("Saved plan does not match the given state",
 *   internal/backend/local/backend_local.go): both reported as `stale`, to be planned again.
 * - Every plan and apply waits for a state lock (`-lock-timeout`), and once more after that;
 *   a stack still locked is `locked`, with the lock's ID, holder and the unlock command.
 * - Every terraform command has a time limit; out of time, or when the job is cancelled,
 *   terraform gets one interrupt (commands/terraform.ts) and the stack is `interrupted`, with
 *   the state lock its command held (terraform's own log, TF_LOG_CORE=INFO) and whether it
 *   released it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readJsonFile } from '../config/json';
import { concurrencyLimit, mapLimit, makeOffline, offlineTerraform, providerInits, runTerraform, terraformProblem, type TerraformRun } from '../commands/terraform';
import { describeStandIn, standInProvider } from '../commands/provider-stand-in';

/**
 * How a stack ended:
 * - plan: `changes` (a saved plan to approve), `no-changes`;
 * - apply: `applied`, `unchanged` (its plan had no changes), `stale` (the state changed after
 *   the plan), `skipped` (a stack it depends on was not applied), `not-planned` (its plan
 *   failed or is missing);
 * - either: `failed`, `locked` (another holds its state lock), `interrupted` (cancelled or out
 *   of time while terraform ran), `cancelled` (the job was cancelled before it started),
 *   `missing` (not synthesized), `pending` (it had not finished when the report was last
 *   written: the job was killed).
 */
export type StackResult =
  | 'changes'
  | 'no-changes'
  | 'applied'
  | 'unchanged'
  | 'stale'
  | 'skipped'
  | 'not-planned'
  | 'failed'
  | 'locked'
  | 'interrupted'
  | 'cancelled'
  | 'missing'
  | 'pending';

/** A state lock, as terraform reports it. */
export interface StateLock {
  /** The ID `terraform force-unlock` takes. */
  id: string;
  who?: string;
  operation?: string;
  created?: string;
  /** For the lock of an interrupted command: whether terraform released it before it ended. */
  released?: boolean;
}

export interface StackOutcome {
  stack: string;
  result: StackResult;
  /** From terraform's "Plan: 1 to add, 0 to change, 0 to destroy." (plan) or "Apply complete!" line. */
  add?: number;
  change?: number;
  destroy?: number;
  /** Seconds of `terraform init`, when it ran. */
  initSeconds?: number;
  /** Seconds of `terraform plan` or `terraform apply`, when it ran. */
  seconds?: number;
  /** Why it failed or was skipped, and what to do, in a line. */
  message?: string;
  /** `locked`: the lock that held it up; `interrupted`: the lock its command held. */
  lock?: StateLock;
  /** `skipped`: the stacks it depends on that were not applied. */
  blockedBy?: string[];
}

export interface ShardReport {
  command: 'plan' | 'apply';
  shard: string;
  offline: boolean;
  /** Whether every stack had ended when this was written; false in a report of a job killed half-way. */
  finished: boolean;
  /** Wall time of the command when this was written. */
  seconds: number;
  stacks: StackOutcome[];
}

export interface ShardOptions {
  command: 'plan' | 'apply';
  stacks: string[];
  /** The synthesized stacks (cdktf.out/stacks); its parent holds cdktf's manifest.json. */
  stacksDir: string;
  /** Saved plans, their lock files, outputs and the reports (plan.json, plan.md, apply.json, apply.md). */
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
  /** The time limit of each terraform command. @default DEFAULT_TIMEOUT_MS */
  timeoutMs?: number;
  /** How long a plan or apply waits for a state lock (`-lock-timeout`), twice. @default DEFAULT_LOCK_TIMEOUT_S */
  lockTimeoutSeconds?: number;
  /** Aborted: interrupt every running terraform once, start nothing more, and report. */
  signal?: AbortSignal;
  /**
   * Aborted: write the report at once, the stacks whose terraform is still stopping as
   * interrupted, since the process may be killed any moment (the GitHub runner kills a step
   * 2.5 s after its SIGTERM).
   */
  deadline?: AbortSignal;
  /** The shared plugin cache. @default $TF_PLUGIN_CACHE_DIR, else a new temporary directory */
  pluginCache?: string;
  env?: NodeJS.ProcessEnv;
  /** Where terraform's output goes, stack by stack. @default stdout */
  log?: (text: string) => void;
}

/**
 * A terraform command's time limit in a roll-out: an apply of these stacks takes minutes (the
 * AWS provider's own waits, such as a Lambda function's creation, are 10 minutes at most);
 * a hung one must not hold its shard until the job's timeout (170 minutes).
 */
export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
/**
 * How long a plan or apply waits for a state lock before it gives up (and once more after
 * that): long enough for someone's `terraform plan` to finish. Roll-outs never overlap, and
 * pull-request and drift plans take no lock.
 */
export const DEFAULT_LOCK_TIMEOUT_S = 180;

/** Results that need attention: the command exits 1. */
export const FAILED_RESULTS: ReadonlySet<string> = new Set<StackResult>(['failed', 'stale', 'skipped', 'not-planned', 'locked', 'interrupted', 'cancelled', 'missing', 'pending']);

const STACK_FILE = 'cdk.tf.json';
const STALE = /Saved plan is stale/;
const OTHER_LINEAGE = /Saved plan does not match the given state/;
const LOCKED = /Error acquiring the state lock/;

type Json = Record<string, unknown>;

export async function runShard(options: ShardOptions): Promise<ShardReport> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((text: string) => process.stdout.write(text));
  const problem = terraformProblem(env);
  if (problem) throw new Error(problem);
  fs.mkdirSync(options.plansDir, { recursive: true });
  const plansDir = path.resolve(options.plansDir);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-cloudtrail-shard-'));
  const report = new ReportFile(options, plansDir);
  const onDeadline = (): void => report.writeInterrupted();
  options.deadline?.addEventListener('abort', onDeadline, { once: true });
  try {
    const context = prepare(options, env, scratch, report);
    if (options.command === 'plan') await plan(options, context, plansDir, log);
    else await apply(options, context, plansDir, log);
    return report.write(true);
  } catch (error) {
    report.writeFailure(error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    options.deadline?.removeEventListener('abort', onDeadline);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * plan.json or apply.json (and the .md beside it), rewritten whenever a stack ends: at first
 * every stack is `pending`. Each write replaces the file whole (a rename), so that a reader
 * never sees half of one.
 */
class ReportFile {
  private readonly outcomes = new Map<string, StackOutcome>();
  /** Stacks whose terraform runs now, with the log terraform writes its state locks to. */
  private readonly running = new Map<string, { command: string; logFile: string }>();
  private readonly started = performance.now();
  private readonly file: string;

  constructor(
    private readonly options: ShardOptions,
    plansDir: string,
  ) {
    this.file = path.join(plansDir, `${options.command}.json`);
    for (const stack of options.stacks) this.outcomes.set(stack, { stack, result: 'pending' });
    this.write(false);
  }

  /** Terraform `command` of `stack` runs now, logging to `logFile`. */
  begin(stack: string, command: string, logFile: string): void {
    this.running.set(stack, { command, logFile });
  }

  /** Terraform of `stack` ended. */
  idle(stack: string): void {
    this.running.delete(stack);
  }

  end(outcome: StackOutcome): StackOutcome {
    this.outcomes.set(outcome.stack, outcome);
    this.write(false);
    return outcome;
  }

  outcome(stack: string): StackOutcome {
    return this.outcomes.get(stack) as StackOutcome;
  }

  /**
   * The report now: each stack whose terraform is still stopping is interrupted, and each
   * that has not started never will.
   */
  writeInterrupted(): void {
    for (const [stack, outcome] of this.outcomes) {
      const running = this.running.get(stack);
      if (running) {
        const cause = 'was interrupted: the run was cancelled, and it was still stopping when the job had to end';
        this.outcomes.set(stack, interrupted(stack, running.command, cause, lockHeld(running.logFile)));
      } else if (outcome.result === 'pending') this.outcomes.set(stack, cancelled(stack));
    }
    this.write(false);
  }

  /** The report of a shard runner that stopped on an error: every stack not ended failed with it. */
  writeFailure(message: string): void {
    for (const [stack, outcome] of this.outcomes) {
      if (outcome.result === 'pending') this.outcomes.set(stack, { stack, result: 'failed', message: `the shard runner stopped: ${message}` });
    }
    this.write(true);
  }

  write(finished: boolean): ShardReport {
    const report: ShardReport = {
      command: this.options.command,
      shard: this.options.shard,
      offline: this.options.offline ?? false,
      finished,
      seconds: round((performance.now() - this.started) / 1000),
      stacks: this.options.stacks.map((stack) => this.outcomes.get(stack) as StackOutcome),
    };
    writeWhole(this.file, `${JSON.stringify(report, null, 2)}\n`);
    writeWhole(this.file.replace(/\.json$/, '.md'), reportMarkdown(report));
    return report;
  }
}

function writeWhole(file: string, text: string): void {
  fs.writeFileSync(`${file}.partial`, text);
  fs.renameSync(`${file}.partial`, file);
}

interface Context {
  env: NodeJS.ProcessEnv;
  offline: boolean;
  /** The stacks that are synthesized; the others are reported missing. */
  present: string[];
  /** The directory terraform runs in for `stack`. */
  dirOf: (stack: string) => string;
  /** The shared init of the stack's provider requirements, whose lock file every stack of them gets. */
  lockFor: (stack: string) => Promise<{ ok: boolean; output: string; dir: string }>;
  /** Stacks each stack must be applied after (cdktf's manifest.json). */
  dependencies: Map<string, string[]>;
  /** Offline, for each stack planned on an older AWS provider than it pins: what that means. */
  standIns: Map<string, string>;
  scratch: string;
  report: ReportFile;
}

function prepare(options: ShardOptions, baseEnv: NodeJS.ProcessEnv, scratch: string, report: ReportFile): Context {
  const stacksDir = path.resolve(options.stacksDir);
  const present = options.stacks.filter((stack) => {
    const file = path.join(stacksDir, stack, STACK_FILE);
    if (fs.existsSync(file)) return true;
    report.end({
      stack,
      result: 'missing',
      message: `not synthesized: ${file} does not exist. The stacks to run and the synthesized config disagree: synthesize the config the shards came from (DD_CLOUDTRAIL_CONFIG), or leave the stack out`,
    });
    return false;
  });
  const offline = options.offline ?? false;
  let env: NodeJS.ProcessEnv;
  let pluginCache: string;
  let awsVersions: string[] | undefined;
  if (offline) {
    ({ env, pluginCache, awsVersions } = offlineTerraform(scratch, baseEnv));
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
    for (const stack of present) {
      const source = path.join(stacksDir, stack);
      fs.cpSync(source, dirOf(stack), { recursive: true, filter: (from) => !/^(\.terraform|.*\.tfstate(\..*)?)$/.test(path.basename(from)) });
      const { config, standIn } = standInProvider(makeOffline(readJson(path.join(source, STACK_FILE))), awsVersions);
      if (standIn) standIns.set(stack, describeStandIn(standIn));
      fs.writeFileSync(path.join(dirOf(stack), STACK_FILE), JSON.stringify(config, null, 2));
    }
  }
  // Offline, the cache holds links into the mirror and no lock file exists yet: the cache's
  // copy is the mirror's, so it may be taken without a lock entry. On CI the scratch init
  // downloads the provider once into the cache, checksums and all.
  const initFor = providerInits(scratch, offline ? { ...env, TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: '1' } : env);
  const lockFor = (stack: string): ReturnType<Context['lockFor']> =>
    initFor((readJson(path.join(dirOf(stack), STACK_FILE)).terraform as Json | undefined)?.required_providers ?? {});
  fs.mkdirSync(path.join(scratch, 'logs'));
  return { env, offline, present, dirOf, lockFor, dependencies: manifestDependencies(stacksDir), standIns, scratch, report };
}

/** An init that worked (its seconds), or the stack's outcome when it did not. */
type Init = { seconds: number } | { failed: StackOutcome };

/** `terraform init` of each stack, one at a time. */
async function initStacks(
  stacks: string[],
  options: ShardOptions,
  context: Context,
  savedLock: (stack: string) => string | undefined,
  log: (text: string) => void,
): Promise<Map<string, Init>> {
  const inits = new Map<string, Init>();
  for (const stack of stacks) {
    if (options.signal?.aborted) {
      inits.set(stack, { failed: cancelled(stack) });
      continue;
    }
    const dir = context.dirOf(stack);
    const lockFile = path.join(dir, '.terraform.lock.hcl');
    const saved = savedLock(stack);
    if (saved) fs.copyFileSync(saved, lockFile);
    else {
      const lock = await context.lockFor(stack);
      if (!lock.ok) {
        inits.set(stack, { failed: { stack, result: 'failed', message: `terraform init of the providers failed: ${errorLine(lock.output)}` } });
        log(group(stack, 'init of the providers', lock.output));
        continue;
      }
      // A stack with no provider to install (built-in ones only) has no lock file.
      copyIfExists(path.join(lock.dir, '.terraform.lock.hcl'), lockFile);
    }
    const init = await terraform(stack, 'init', ['init', '-input=false'], options, context);
    if (init.code === 0) inits.set(stack, { seconds: init.seconds });
    else {
      inits.set(stack, {
        failed: init.stopped ? interrupted(stack, 'init', stopCause(init.stopped, options), undefined) : { stack, result: 'failed', initSeconds: init.seconds, message: `terraform init failed: ${errorLine(init.output)}` },
      });
      log(group(stack, 'init', init.output));
    }
  }
  return inits;
}

async function plan(options: ShardOptions, context: Context, plansDir: string, log: (text: string) => void): Promise<void> {
  const { report } = context;
  if (options.roleName) for (const stack of context.present) writeRoleOverride(context.dirOf(stack), options.roleName);
  const inits = await initStacks(context.present, options, context, () => undefined, log);
  const noLock = options.noLock || context.offline;
  const args = ['plan', '-input=false', '-detailed-exitcode', ...(noLock ? ['-lock=false'] : [lockTimeout(options)]), ...(context.offline ? ['-refresh=false'] : [])];
  await mapLimit(context.present, options.parallel, async (stack) => {
    const init = inits.get(stack) as Init;
    if ('failed' in init) return report.end(init.failed);
    if (options.signal?.aborted) return report.end(cancelled(stack));
    const planFile = path.join(plansDir, `${stack}.tfplan`);
    fs.rmSync(planFile, { force: true });
    const planOutput = path.join(plansDir, `${stack}.plan.txt`);
    const { run, lock } = await stateCommand(stack, 'plan', [...args, `-out=${planFile}`], options, context, planOutput);
    const standIn = context.standIns.get(stack);
    const output = standIn ? `${stack}: ${standIn}\n${run.output}` : run.output;
    if (standIn) fs.writeFileSync(planOutput, output);
    log(group(stack, 'plan', output));
    const timing = { initSeconds: init.seconds, seconds: run.seconds };
    // -detailed-exitcode: 0 no changes, 1 error, 2 changes (internal/command/plan.go).
    if (run.code === 2 && !run.stopped) {
      copyIfExists(path.join(context.dirOf(stack), '.terraform.lock.hcl'), path.join(plansDir, `${stack}.terraform.lock.hcl`));
      return report.end({ stack, result: 'changes', ...planCounts(run.output), ...timing });
    }
    // An interrupted or failed plan may still leave a plan file: never one to apply.
    fs.rmSync(planFile, { force: true });
    if (run.stopped) return report.end({ ...interrupted(stack, 'plan', stopCause(run.stopped, options), lock), ...timing });
    if (run.code === 0) return report.end({ stack, result: 'no-changes', add: 0, change: 0, destroy: 0, ...timing });
    if (LOCKED.test(run.output)) return report.end({ ...locked(stack, run.output, options), ...timing });
    return report.end({ stack, result: 'failed', message: `terraform plan failed: ${errorLine(run.output)}`, ...timing });
  });
}

async function apply(options: ShardOptions, context: Context, plansDir: string, log: (text: string) => void): Promise<void> {
  if (context.offline) throw new Error('apply needs AWS credentials: --offline only plans');
  const { report } = context;
  const planned = readPlanReport(plansDir);
  const toApply = context.present.filter((stack) => planned.get(stack)?.result === 'changes' && fs.existsSync(path.join(plansDir, `${stack}.tfplan`)));
  const inits = await initStacks(toApply, options, context, (stack) => existing(path.join(plansDir, `${stack}.terraform.lock.hcl`)), log);
  const inShard = new Set(options.stacks);
  const limit = concurrencyLimit(options.parallel);
  const outcomes = new Map<string, Promise<StackOutcome>>();
  const applyOne = async (stack: string): Promise<StackOutcome> => {
    if (!context.present.includes(stack)) return report.outcome(stack);
    const before = planned.get(stack);
    if (before?.result === 'no-changes') return report.end({ stack, result: 'unchanged', add: 0, change: 0, destroy: 0 });
    if (!toApply.includes(stack)) {
      const why = !before ? `no plan of it in ${plansDir}/plan.json` : before.result === 'changes' ? 'its saved plan is missing' : `its plan ended ${before.result}${before.message ? `: ${before.message}` : ''}`;
      return report.end({ stack, result: 'not-planned', message: why });
    }
    // Shards list dependencies first (npm run shards), so their outcomes already exist.
    const dependencies = (context.dependencies.get(stack) ?? []).filter((dependency) => inShard.has(dependency));
    const blocked = (await Promise.all(dependencies.map((dependency) => outcomes.get(dependency) as Promise<StackOutcome>))).filter(
      (outcome) => outcome.result !== 'applied' && outcome.result !== 'unchanged',
    );
    if (blocked.length > 0) {
      return report.end({
        stack,
        result: 'skipped',
        blockedBy: blocked.map((o) => o.stack),
        message: `not applied: ${blocked.map((o) => `${o.stack} ${o.result}`).join(', ')}, and it must be applied first`,
      });
    }
    const init = inits.get(stack) as Init;
    if ('failed' in init) return report.end(init.failed);
    return limit(async () => {
      if (options.signal?.aborted) return report.end(cancelled(stack));
      const { run, lock } = await stateCommand(stack, 'apply', ['apply', '-input=false', lockTimeout(options), path.join(plansDir, `${stack}.tfplan`)], options, context, path.join(plansDir, `${stack}.apply.txt`));
      log(group(stack, 'apply', run.output));
      const timing = { initSeconds: init.seconds, seconds: run.seconds };
      if (run.stopped) return report.end({ ...interrupted(stack, 'apply', stopCause(run.stopped, options), lock), ...timing });
      if (run.code === 0) return report.end({ stack, result: 'applied', ...applyCounts(run.output), ...timing });
      if (STALE.test(run.output)) return report.end({ stack, result: 'stale', message: 'the state changed after the plan: plan it again for a new approval', ...timing });
      if (OTHER_LINEAGE.test(run.output)) {
        return report.end({
          stack,
          result: 'stale',
          message: 'the state was replaced by one of another lineage after the plan: plan it again for a new approval (and find out who replaced the state)',
          ...timing,
        });
      }
      if (LOCKED.test(run.output)) return report.end({ ...locked(stack, run.output, options), ...timing });
      return report.end({ stack, result: 'failed', message: `terraform apply failed: ${errorLine(run.output)}`, ...timing });
    });
  };
  for (const stack of options.stacks) outcomes.set(stack, applyOne(stack));
  await Promise.all(outcomes.values());
}

/**
 * A plan or apply, which takes the state lock: run again once when the lock was held by
 * another (after -lock-timeout), with terraform logging its own lock to a file of ours.
 */
async function stateCommand(
  stack: string,
  command: 'plan' | 'apply',
  args: string[],
  options: ShardOptions,
  context: Context,
  outputFile: string,
): Promise<{ run: TerraformRun; lock?: StateLock }> {
  let attempt = 1;
  for (;;) {
    const logFile = path.join(context.scratch, 'logs', `${stack}.${command}.${attempt}.log`);
    const run = await terraform(stack, command, args, options, context, { outputFile, logFile });
    if (attempt === 2 || run.stopped || !LOCKED.test(run.output) || options.signal?.aborted) return { run, lock: lockHeld(logFile) };
    attempt++;
  }
}

/** One terraform command of a stack, interruptible, within the time limit, its state locks logged. */
function terraform(
  stack: string,
  command: string,
  args: string[],
  options: ShardOptions,
  context: Context,
  files: { outputFile?: string; logFile?: string } = {},
): Promise<TerraformRun> {
  // TF_LOG_CORE=INFO writes, among others, "Locked remote state ... tf_backend.lock.id=<ID>"
  // and "Unlocked remote state" (internal/backend/remote-state/s3/logging.go, client.go) to
  // TF_LOG_PATH only: the output stays as it is.
  const logFile = files.logFile ?? path.join(context.scratch, 'logs', `${stack}.${command}.log`);
  const env = { ...context.env, TF_LOG_CORE: 'INFO', TF_LOG_PATH: logFile };
  context.report.begin(stack, command, logFile);
  return runTerraform({ cwd: context.dirOf(stack), args, env, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal, outputFile: files.outputFile }).finally(() =>
    context.report.idle(stack),
  );
}

function lockTimeout(options: ShardOptions): string {
  return `-lock-timeout=${options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_S}s`;
}

/**
 * The state lock a command's log says it took, and whether it released it; none when it took
 * none (the local backend, -lock=false) or never got that far.
 */
function lockHeld(logFile: string): StateLock | undefined {
  let text: string;
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    return undefined;
  }
  const id = /\bLocked remote state\b.*?\btf_backend\.lock\.id=([\w-]+)/.exec(text)?.[1];
  if (!id) return undefined;
  return { id, released: new RegExp(`\\bUnlocked remote state\\b.*?\\btf_backend\\.lock\\.id=${id}\\b`).test(text) };
}

/** The "Lock Info:" block of terraform's "Error acquiring the state lock" (internal/command/clistate/state.go). */
function lockInfo(output: string): StateLock | undefined {
  const block = /Lock Info:\n([\s\S]*?)\n\s*\n/.exec(output)?.[1] ?? '';
  const field = (name: string): string | undefined => new RegExp(`^\\s*${name}:\\s*(.*?)\\s*$`, 'm').exec(block)?.[1] || undefined;
  const id = field('ID');
  return id ? { id, who: field('Who'), operation: field('Operation'), created: field('Created') } : undefined;
}

function locked(stack: string, output: string, options: ShardOptions): StackOutcome {
  const lock = lockInfo(output);
  const wait = `${options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_S} s`;
  if (!lock) return { stack, result: 'locked', message: `its state is locked (waited ${wait}, twice); terraform named no lock: see its output` };
  const holder = [lock.who, lock.operation, lock.created && `since ${lock.created}`].filter(Boolean).join(', ');
  return {
    stack,
    result: 'locked',
    lock,
    message: `its state is locked by ${holder || 'another run'} (waited ${wait}, twice). If nobody is running terraform on it: \`terraform force-unlock -force ${lock.id}\` in its stack directory, then run it again`,
  };
}

/** Why terraform was stopped, as the end of "terraform apply ...". */
function stopCause(stopped: NonNullable<TerraformRun['stopped']>, options: ShardOptions): string {
  return stopped === 'timeout'
    ? `ran out of its time limit (${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s) and was interrupted`
    : 'was interrupted: the run was cancelled';
}

function interrupted(stack: string, command: string, cause: string, lock: StateLock | undefined): StackOutcome {
  const next =
    command === 'apply' ? 'part of its plan may be applied, and the saved plan cannot be applied again: plan it again for a new approval' : `${command} it again`;
  const lockNote = !lock
    ? ''
    : lock.released
      ? ` It released its state lock ${lock.id}.`
      : ` It held state lock ${lock.id}: if the next plan finds the state locked, \`terraform force-unlock -force ${lock.id}\` in its stack directory.`;
  return { stack, result: 'interrupted', ...(lock ? { lock } : {}), message: `terraform ${command} ${cause}: ${next}.${lockNote}` };
}

function cancelled(stack: string): StackOutcome {
  return { stack, result: 'cancelled', message: 'not started: the run was cancelled' };
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

const RESULT_MARK: Record<StackResult, string> = {
  changes: '✏️ changes',
  'no-changes': '✅ no changes',
  applied: '✅ applied',
  unchanged: '✅ unchanged',
  stale: '🔁 stale plan',
  skipped: '⏭️ skipped',
  'not-planned': '❌ not planned',
  failed: '❌ failed',
  locked: '🔒 locked',
  interrupted: '⛔ interrupted',
  cancelled: '⛔ cancelled',
  missing: '❓ missing',
  pending: '⏳ pending',
};

/** The report as Markdown: a line of totals and a row per stack. */
export function reportMarkdown(report: ShardReport): string {
  const counts = new Map<StackResult, number>();
  for (const outcome of report.stacks) counts.set(outcome.result, (counts.get(outcome.result) ?? 0) + 1);
  const totals = [...counts].map(([result, n]) => `${n} ${RESULT_MARK[result] ?? result}`).join(', ');
  const value = (n: number | undefined): string => (n === undefined ? '' : String(n));
  const rows = report.stacks.map(
    (o) => `| ${o.stack} | ${RESULT_MARK[o.result] ?? o.result} | ${value(o.add)} | ${value(o.change)} | ${value(o.destroy)} | ${value(o.initSeconds)} | ${value(o.seconds)} | ${(o.message ?? '').replace(/\|/g, '\\|')} |`,
  );
  return [
    `#### terraform ${report.command}, shard ${report.shard}${report.offline ? ' (offline)' : ''}: ${totals || 'no stacks'} in ${report.seconds} s${report.finished ? '' : ' (not finished)'}`,
    '',
    '| stack | result | add | change | destroy | init s | s | note |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The output as a collapsed group of the GitHub Actions log. */
function group(stack: string, what: string, output: string): string {
  return `::group::${stack}: terraform ${what}\n${output.trimEnd()}\n::endgroup::\n`;
}

function errorLine(output: string): string {
  return /^Error: .*$/m.exec(output)?.[0] ?? output.trim().split('\n').at(-1) ?? '';
}

/** The one JSON reader, which refuses a repeated key (Terraform would read both objects). */
function readJson(file: string): Json {
  try {
    return readJsonFile(file) as Json;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}

function existing(file: string): string | undefined {
  return fs.existsSync(file) ? file : undefined;
}

function copyIfExists(from: string, to: string): void {
  if (fs.existsSync(from)) fs.copyFileSync(from, to);
}

const round = (seconds: number): number => Math.round(seconds * 100) / 100;
