/**
 * Offline Terraform harness: runs the real `terraform plan`, which validates first, and
 * `terraform validate` where a plan fails (with the real AWS provider schema and validators)
 * against copies of synthesized cdktf stacks, without AWS credentials. The AWS provider comes
 * from the filesystem mirror named by DD_CLOUDTRAIL_PROVIDER_MIRROR (no network at all), or,
 * without one, Terraform's normal installation (`terraform init` downloads it once per run,
 * or reuses TF_PLUGIN_CACHE_DIR). docs/DEPLOYING.md, "Checking the stacks with real Terraform".
 */
import { spawn, spawnSync } from 'child_process';
import * as dns from 'dns/promises';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { isObject, readJsonFile } from '../config/json';
import { compareVersions, localAwsVersions, localProviderDirs, type StandIn, standInProvider } from './provider-stand-in';

export interface CommandResult {
  ok: boolean;
  /** terraform's stdout and stderr, without colour codes. */
  output: string;
}

export interface StackCheck {
  stack: string;
  /** The stack's offline copy; it only survives the call when DD_CLOUDTRAIL_KEEP_TFWORK=1. */
  dir: string;
  /**
   * Whether Terraform accepts the configuration. `terraform plan` runs the same validation
   * as `terraform validate` before it plans, so with plan a separate `terraform validate`
   * (2 s of loading the provider) only runs when the plan fails, to tell an invalid
   * configuration (its errors here) from a valid one that fails to plan. After a successful
   * plan this is ok with an empty output.
   */
  validate: CommandResult;
  /**
   * Absent when plan: false or when validation failed. For a stack planned in a batch (see
   * checkStackDirs), the output is the whole batch's plan, its resources under
   * `module.stack<N>`.
   */
  plan?: CommandResult & {
    /** `terraform show -json plan.bin`, only with planJson: true and when the plan succeeded. */
    json?: unknown;
  };
  /** Set when the stack was checked against an older AWS provider than it pins (commands/provider-stand-in.ts). */
  standIn?: StandIn;
}

export interface CheckOptions {
  /** Stack names (directories under stacksDir). @default every directory with a cdk.tf.json */
  stacks?: string[];
  /** @default true */
  plan?: boolean;
  /**
   * Also read the plan back as JSON (`terraform show -json`, another 2 s of loading the
   * provider per stack) into `plan.json`.
   * @default false
   */
  planJson?: boolean;
  /** Parent of the harness's fresh work directory. @default os.tmpdir() */
  workDir?: string;
  /**
   * Stacks (or batches of stacks) checked at the same time. Each terraform command keeps one
   * core busy loading the provider (about 530 MB of RAM): on 2 cores, 4 stacks took 28 s one
   * at a time, 19 s two at a time and 23 s three at a time.
   * @default $DD_CLOUDTRAIL_TERRAFORM_CONCURRENCY, else the number of CPUs, at most 4
   */
  concurrency?: number;
  /** Called with each stack's check as soon as it is done (a batch's stacks when the batch is), for progress. */
  onResult?: (check: StackCheck) => void;
}

/**
 * Set by jest.config.js to the cores each jest worker may use, so that the suites that run
 * terraform side by side do not run more terraform processes than there are cores.
 */
const CONCURRENCY_ENV = 'DD_CLOUDTRAIL_TERRAFORM_CONCURRENCY';

function defaultConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env[CONCURRENCY_ENV]);
  return Number.isInteger(configured) && configured > 0 ? configured : Math.min(4, os.availableParallelism());
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

/**
 * A filesystem mirror (unpacked layout, `<dir>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`)
 * to install the AWS provider from instead of the registry: for machines without internet.
 */
export const PROVIDER_MIRROR_ENV = 'DD_CLOUDTRAIL_PROVIDER_MIRROR';
export const KEEP_WORK_ENV = 'DD_CLOUDTRAIL_KEEP_TFWORK';
/**
 * The oldest Terraform the harness runs on: the stacks' S3 backend uses S3 native locking
 * (`use_lockfile`), new in 1.10 (https://developer.hashicorp.com/terraform/language/backend/s3).
 * CI runs 1.11.4.
 */
export const MIN_TERRAFORM_VERSION = '1.10.0';
export const CI_TERRAFORM_VERSION = '1.11.4';

const STACK_FILE = 'cdk.tf.json';

type Json = Record<string, unknown>;

const OFFLINE_DROPPED_PROVIDER_KEYS = new Set([
  // These call STS or read the developer's AWS files.
  'assume_role',
  'assume_role_with_web_identity',
  'profile',
  'shared_config_files',
  'shared_credentials_files',
  'token',
  'custom_ca_bundle',
  // Compared with the caller's account ID, which skip_requesting_account_id leaves empty:
  // the provider would fail every plan with "AWS account ID not allowed".
  'allowed_account_ids',
  'forbidden_account_ids',
]);

/** Directories of `stacksDir` that hold a synthesized stack, sorted. */
export function listStacks(stacksDir: string): string[] {
  return fs
    .readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(stacksDir, entry.name, STACK_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The stack rewritten so that plan needs neither credentials nor network. Returns a copy.
 */
export function makeOffline(config: Json): Json {
  const copy = standInForDatadog(structuredClone(config));
  const terraform = copy.terraform;
  if (isObject(terraform)) {
    // A remote backend would need credentials at plan time; with none, Terraform uses the
    // implicit local one, which also needs no `terraform init` of its own.
    delete terraform.backend;
    delete terraform.cloud;
  }
  const providers = isObject(copy.provider) ? copy.provider : undefined;
  const aws = providers?.aws;
  if (providers && aws !== undefined) {
    // cdktf writes an array (one entry per alias); hand-written JSON may use one object.
    const blocks = Array.isArray(aws) ? aws : [aws];
    providers.aws = blocks.map((block: unknown) => {
      if (!isObject(block)) return block;
      const kept = Object.fromEntries(Object.entries(block).filter(([key]) => !OFFLINE_DROPPED_PROVIDER_KEYS.has(key)));
      return {
        ...kept,
        access_key: 'AKIAOFFLINEHARNESS00',
        secret_key: 'offline-harness-fake-secret',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      };
    });
  }
  return copy;
}

/** Resource types of the Datadog provider, whose binary these machines do not have. */
const DATADOG_TYPE = /^datadog_/;
/**
 * Attributes the Datadog provider computes when the config leaves them out, by resource type:
 * a stack may reference them, so a stand-in exposes them, unknown until apply like the real
 * ones. `auth_config.aws_auth_config_role.external_id` is Optional and Computed: "If omitted,
 * one will be generated" (resource_datadog_integration_aws_account.go at v3.82.0 of
 * https://github.com/DataDog/terraform-provider-datadog), and the role's trust references it.
 */
const COMPUTED_ATTRIBUTES: Record<string, string[][]> = {
  datadog_integration_aws_account: [['auth_config', 'aws_auth_config_role', 'external_id']],
};
// Meta-arguments, not attributes: a stand-in keeps only depends_on, whose addresses it rewrites.
const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'provider', 'lifecycle', 'depends_on', 'provisioner', 'connection']);

/**
 * Stands in for the Datadog provider's resources (TERRAFORM.md item 4), so that the AWS half of
 * a stack that also registers the account with Datadog still validates and plans here: each
 * `datadog_<type>.<name>` becomes a built-in `terraform_data.<type>_<name>` whose `input`
 * holds the resource's attributes (so their references to AWS resources must resolve) and
 * whose depends_on names the stand-ins and AWS resources the original waited for. References
 * to it elsewhere are rewritten: `.id` to the stand-in's `id`, unknown until apply like the
 * real ID; any other attribute to `output.<attribute>`. The datadog provider block and its
 * required_providers entry are dropped. Not checked: the Datadog provider's own schema and
 * validators, and anything Datadog's API would say. A Datadog data source is left as it is, and
 * fails init: the stacks have none, since a data source would call the Datadog API at plan.
 * Mutates and returns `config`.
 */
export function standInForDatadog(config: Json): Json {
  if (isObject(config.provider)) delete config.provider.datadog;
  if (isObject(config.terraform) && isObject(config.terraform.required_providers)) delete config.terraform.required_providers.datadog;
  const resources = isObject(config.resource) ? config.resource : {};
  const standIns = new Map<string, string>();
  const standInData: Json = {};
  for (const [type, byName] of Object.entries(resources)) {
    if (!DATADOG_TYPE.test(type) || !isObject(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      const attributes = isObject(body) ? body : {};
      standIns.set(`${type}.${name}`, `terraform_data.${type}_${name}`);
      const input = structuredClone(Object.fromEntries(Object.entries(attributes).filter(([key]) => !META_ARGUMENTS.has(key))));
      for (const attributePath of COMPUTED_ATTRIBUTES[type] ?? []) {
        // The id of a terraform_data of its own: unknown until apply, as the computed value is
        // (named apart from the stand-ins, which datadogStandIns counts).
        const unknown = `unknown_${type}_${name}_${attributePath.join('_')}`;
        if (setIfAbsent(input, attributePath, `\${terraform_data.${unknown}.id}`)) standInData[unknown] = {};
      }
      standInData[`${type}_${name}`] = {
        input,
        ...(Array.isArray(attributes.depends_on) ? { depends_on: attributes.depends_on } : {}),
      };
    }
    delete resources[type];
  }
  if (standIns.size === 0) return config;
  resources.terraform_data = { ...(isObject(resources.terraform_data) ? resources.terraform_data : {}), ...standInData };

  const address = /\b(datadog_\w+\.[\w-]+)(?:\.(\w+))?/g;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(address, (match: string, original: string, attribute?: string) => {
        const standIn = standIns.get(original);
        if (!standIn) return match;
        if (attribute === undefined) return standIn;
        return attribute === 'id' ? `${standIn}.id` : `${standIn}.output.${attribute}`;
      });
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]));
    return value;
  };
  return rewrite(config) as Json;
}

/** Sets `value` at `attributePath` of `object` unless something is there; whether it did. */
function setIfAbsent(object: Json, attributePath: string[], value: string): boolean {
  const [key, ...rest] = attributePath;
  if (rest.length === 0) {
    if (object[key] !== undefined) return false;
    object[key] = value;
    return true;
  }
  if (object[key] === undefined) object[key] = {};
  return isObject(object[key]) && setIfAbsent(object[key], rest, value);
}

/** Resource changes of a plan (`terraform show -json`) that are standInForDatadog's stand-ins. */
export function datadogStandIns(planJson: unknown): number {
  const changes = isObject(planJson) && Array.isArray(planJson.resource_changes) ? planJson.resource_changes : [];
  return changes.filter((change) => isObject(change) && change.type === 'terraform_data' && DATADOG_TYPE.test(String(change.name))).length;
}

/**
 * The environment for terraform: the caller's, minus anything that could pick up real AWS
 * credentials or change Terraform's behaviour behind the harness's back.
 */
export function terraformEnv(base: NodeJS.ProcessEnv, cliConfigFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('AWS_')) continue;
    // TF_VAR_* are the developer's variable values and TF_LOG* debugging; every other TF_*
    // (TF_CLI_ARGS, TF_DATA_DIR, TF_WORKSPACE, TF_TOKEN_*, ...) would change what runs.
    if (key.startsWith('TF_') && !key.startsWith('TF_VAR_') && !key.startsWith('TF_LOG')) continue;
    env[key] = value;
  }
  return {
    ...env,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    TF_CLI_CONFIG_FILE: cliConfigFile,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The provider still reads the shared AWS files next to static keys (a profile's
    // ca_bundle or region would leak in); empty files keep the result the same everywhere.
    AWS_CONFIG_FILE: os.devNull,
    AWS_SHARED_CREDENTIALS_FILE: os.devNull,
  };
}

/** Counts resource changes the way `terraform plan` does (a replacement adds and destroys). */
export function planSummary(planJson: unknown): PlanSummary {
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0 };
  const changes = isObject(planJson) && Array.isArray(planJson.resource_changes) ? planJson.resource_changes : [];
  for (const change of changes) {
    const actions: unknown = isObject(change) && isObject(change.change) ? change.change.actions : undefined;
    if (!Array.isArray(actions)) continue;
    if (actions.includes('create')) summary.add++;
    if (actions.includes('delete')) summary.destroy++;
    if (actions.includes('update')) summary.change++;
  }
  return summary;
}

/**
 * Validates and (unless plan: false) plans each stack of `stacksDir` (cdktf's
 * `cdktf.out/stacks` layout) offline. Throws when terraform is missing or a named stack does
 * not exist; a stack that Terraform rejects is a result with ok: false, not an exception.
 */
export async function checkStacks(stacksDir: string, options: CheckOptions = {}): Promise<StackCheck[]> {
  const root = path.resolve(stacksDir);
  const stacks = options.stacks ?? listStacks(root);
  for (const stack of stacks) {
    const file = path.join(root, stack, STACK_FILE);
    if (!fs.existsSync(file)) throw new Error(`No synthesized stack "${stack}": ${file} does not exist`);
  }
  const parent = path.resolve(options.workDir ?? os.tmpdir());
  if (isInside(parent, root)) {
    throw new Error(`The Terraform work directory (${parent}) must not be inside the stacks directory (${root})`);
  }
  return checkStackDirs(stacks.map((stack) => path.join(root, stack)), options);
}

/**
 * checkStacks for stack directories (each holding a cdk.tf.json) from any number of
 * synthesized apps, in one pool and with one shared `terraform init`: cheaper than a
 * checkStacks call per app, which pays its own init and leaves cores idle while its last
 * stack finishes. Results are in the order of `stackDirs`.
 *
 * Without planJson, stacks are planned in batches: each batch is one `terraform plan` of a
 * root module that calls its stacks' copies as modules, since every terraform command first
 * spends 2 s of CPU loading the provider schema, and a stack's own planning takes a fraction
 * of that (16 example stacks: 12 s in two batches, 28 s one by one). Only stacks that mean
 * the same as a module as at the root are batched (see batchableConfig), and a batch that
 * fails is checked again stack by stack, so every failure is reported as Terraform reports
 * it for that stack alone.
 */
export async function checkStackDirs(stackDirs: string[], options: Omit<CheckOptions, 'stacks'> = {}): Promise<StackCheck[]> {
  const sources = stackDirs.map((dir) => path.resolve(dir));
  for (const source of sources) {
    const file = path.join(source, STACK_FILE);
    if (!fs.existsSync(file)) throw new Error(`No synthesized stack "${path.basename(source)}": ${file} does not exist`);
  }
  const problem = terraformProblem();
  if (problem) throw new Error(problem);
  // A mistyped mirror is refused before anything is written.
  providerMirror(process.env);

  const parent = path.resolve(options.workDir ?? os.tmpdir());
  const holder = sources.find((source) => isInside(parent, source));
  if (holder) {
    throw new Error(`The Terraform work directory (${parent}) must not be inside the stack directory ${holder}`);
  }
  fs.mkdirSync(parent, { recursive: true });
  const work = fs.mkdtempSync(path.join(parent, 'dd-cloudtrail-tf-'));
  try {
    const { env, pluginCache, awsVersions } = offlineTerraform(work, process.env);
    // No lock file exists yet; the cache holds exactly what the filesystem mirror would install.
    const initFor = providerInits(work, { ...env, TF_PLUGIN_CACHE_DIR: pluginCache, TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: '1' });
    const context: StackContext = { env, pluginCache, plan: options.plan ?? true, planJson: options.planJson ?? false, initFor, awsVersions };
    const concurrency = Math.max(1, options.concurrency ?? defaultConcurrency());
    const stacks: StackCopy[] = sources.map((source, index) => ({
      stack: path.basename(source),
      source,
      // Prefixed: stacks of different apps may share a name.
      dir: path.join(work, 'stacks', `${index}-${path.basename(source)}`),
      index,
    }));
    const { batched, alone } = context.plan && !context.planJson ? batches(stacks, concurrency, awsVersions) : { batched: [], alone: stacks };
    const results = new Array<StackCheck>(stacks.length);
    const jobs = [
      ...batched.map((batch, index) => async () => {
        const checks = await checkBatch(batch, path.join(work, 'batches', String(index)), context);
        batch.stacks.forEach((stack, i) => (results[stack.index] = checks[i]));
        checks.forEach((check) => options.onResult?.(check));
      }),
      ...alone.map((stack) => async () => {
        results[stack.index] = await checkStack(stack, context);
        options.onResult?.(results[stack.index]);
      }),
    ];
    await mapLimit(jobs, concurrency, (job) => job());
    return results;
  } finally {
    if (process.env[KEEP_WORK_ENV] !== '1') fs.rmSync(work, { recursive: true, force: true });
  }
}

interface StackContext {
  env: NodeJS.ProcessEnv;
  pluginCache: string;
  plan: boolean;
  planJson: boolean;
  initFor: (requiredProviders: unknown) => Promise<ProviderInit>;
  /** The AWS provider versions installable offline; undefined when the registry is used. */
  awsVersions?: string[];
}

interface StackCopy {
  stack: string;
  /** Set by batches(): the stand-in its batch is planned with. */
  standIn?: StandIn;
  /** The synthesized stack directory. */
  source: string;
  /** Its offline copy. */
  dir: string;
  /** Its position in checkStackDirs' argument. */
  index: number;
}

interface Batch {
  requiredProviders: unknown;
  stacks: Array<StackCopy & { outputs: string[] }>;
}

/**
 * The plan of a batch starts one provider process per stack (about 70 MB of memory of its
 * own) and keeps them all until it ends: this bounds its memory. It also bounds the work a
 * failing batch throws away.
 */
const MAX_BATCH = 10;

// What a stack may hold to be planned as a module: all of it means the same in a module as
// at the root. Anything else (input variables, module calls, import blocks, ...) and remote
// state, which reads paths relative to the working directory, is planned on its own.
const BATCHABLE_KEYS = new Set(['//', 'data', 'locals', 'output', 'provider', 'resource', 'terraform']);
// makeOffline drops backend and cloud.
const BATCHABLE_TERRAFORM_KEYS = new Set(['backend', 'cloud', 'required_providers', 'required_version']);

/** The stack's offline cdk.tf.json if the stack can be planned as a module of a batch, and its stand-in. */
function batchableConfig(stack: StackCopy, awsVersions: string[] | undefined): { config: Json; standIn?: StandIn } | undefined {
  let config: unknown;
  try {
    config = readJsonFile(path.join(stack.source, STACK_FILE));
  } catch {
    return undefined; // checkStack reports it.
  }
  if (!isObject(config) || !isObject(config.terraform)) return undefined;
  const ok =
    Object.keys(config).every((key) => BATCHABLE_KEYS.has(key)) &&
    Object.keys(config.terraform).every((key) => BATCHABLE_TERRAFORM_KEYS.has(key)) &&
    !(isObject(config.data) && 'terraform_remote_state' in config.data);
  // The offline copy's providers, which the batch installs: without the Datadog stand-ins' provider.
  return ok ? standInProvider(makeOffline(config), awsVersions) : undefined;
}

/**
 * Batchable stacks grouped by provider requirements (a batch installs one set), in about
 * `concurrency` batches so that they run side by side, of at most MAX_BATCH stacks; and the
 * other stacks.
 */
function batches(stacks: StackCopy[], concurrency: number, awsVersions: string[] | undefined): { batched: Batch[]; alone: StackCopy[] } {
  const groups = new Map<string, Batch>();
  const alone: StackCopy[] = [];
  for (const stack of stacks) {
    const batchable = batchableConfig(stack, awsVersions);
    if (!batchable) {
      alone.push(stack);
      continue;
    }
    const { config, standIn } = batchable;
    const requiredProviders = (config.terraform as Json).required_providers;
    const key = JSON.stringify(requiredProviders ?? {});
    const group = groups.get(key) ?? { requiredProviders, stacks: [] };
    group.stacks.push({ ...stack, standIn, outputs: Object.keys(isObject(config.output) ? config.output : {}) });
    groups.set(key, group);
  }
  const batched = [...groups.values()].flatMap(({ requiredProviders, stacks: group }) => {
    const size = Math.min(MAX_BATCH, Math.ceil(group.length / concurrency));
    return Array.from({ length: Math.ceil(group.length / size) }, (_, i) => ({
      requiredProviders,
      stacks: group.slice(i * size, (i + 1) * size),
    }));
  });
  return { batched, alone };
}

/** One plan of a root module calling every stack of the batch; stack by stack if it fails. */
async function checkBatch(batch: Batch, dir: string, context: StackContext): Promise<StackCheck[]> {
  const prepared = await Promise.all(batch.stacks.map((stack) => prepareStack(stack, context)));
  const plan = prepared.every((failure) => failure === undefined) ? await planBatch(batch, dir, context) : undefined;
  if (plan?.ok) {
    return batch.stacks.map((stack) => withStandIn({ stack: stack.stack, dir: stack.dir, validate: { ok: true, output: '' }, plan }, stack));
  }
  // One stack at a time: the batch holds one place of the concurrency.
  const checks: StackCheck[] = [];
  for (const [i, stack] of batch.stacks.entries()) checks.push(withStandIn(prepared[i] ?? (await runStack(stack, context)), stack));
  return checks;
}

/** The check, saying which stand-in provider it ran on, if any. */
function withStandIn(check: StackCheck, copy: StackCopy): StackCheck {
  return copy.standIn ? { ...check, standIn: copy.standIn } : check;
}

/** `terraform plan` of a root module that calls each stack of the batch as a module. */
async function planBatch(batch: Batch, dir: string, context: StackContext): Promise<CommandResult> {
  const modules = batch.stacks.map((stack, i) => ({ name: `stack${i}`, ...stack }));
  // A root module refuses an output with a sensitive value unless it is marked sensitive; a
  // module does not. Re-exported here, each stack's outputs meet that check too.
  const outputs = modules.flatMap(({ name, outputs: names }) =>
    names.map((output) => [`${name}_${output}`, { value: `\${module.${name}.${output}}` }]),
  );
  const root = {
    terraform: { required_providers: batch.requiredProviders },
    module: Object.fromEntries(modules.map(({ name, dir: stackDir }) => [name, { source: path.relative(dir, stackDir) }])),
    // Terraform rejects an empty output object.
    ...(outputs.length > 0 ? { output: Object.fromEntries(outputs) } : {}),
  };
  try {
    const init = await context.initFor(batch.requiredProviders);
    if (!init.ok) return init;
    fs.mkdirSync(path.join(dir, '.terraform'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(root, null, 2));
    // The shared providers, as for a single stack: `terraform init` here would spend 2 s
    // hashing the 700 MB provider binary against the lock file.
    fs.copyFileSync(path.join(init.dir, '.terraform.lock.hcl'), path.join(dir, '.terraform.lock.hcl'));
    fs.symlinkSync(path.join(init.dir, '.terraform', 'providers'), path.join(dir, '.terraform', 'providers'));
  } catch (error) {
    return { ok: false, output: error instanceof Error ? error.message : String(error) };
  }
  // Records the module calls (0.05 s).
  const get = await terraform(dir, ['get'], context.env);
  if (!get.ok) return get;
  return terraform(dir, ['plan', '-refresh=false', '-input=false', '-lock=false'], context.env);
}

/** Prepares and checks one stack on its own. */
async function checkStack(stack: StackCopy, context: StackContext): Promise<StackCheck> {
  return withStandIn((await prepareStack(stack, context)) ?? (await runStack(stack, context)), stack);
}

/**
 * Writes the stack's offline copy, ready for terraform, on a stand-in provider if need be
 * (recorded in `copy.standIn`). Returns the stack's failed check if it cannot be prepared.
 */
async function prepareStack(copy: StackCopy, context: StackContext): Promise<StackCheck | undefined> {
  const { stack, source, dir } = copy;
  try {
    // A key given twice is refused: the copy would keep only the last, Terraform reads both.
    const config = readJsonFile(path.join(source, STACK_FILE)) as Json;
    // The whole directory, since resources may reference cdktf assets next to cdk.tf.json;
    // but not the state or providers a real `cdktf deploy` may have left there.
    fs.cpSync(source, dir, {
      recursive: true,
      filter: (from) => !/^(\.terraform|\.terraform\.lock\.hcl|.*\.tfstate(\..*)?)$/.test(path.basename(from)),
    });
    const { config: offline, standIn } = standInProvider(makeOffline(config), context.awsVersions);
    copy.standIn = standIn;
    fs.writeFileSync(path.join(dir, STACK_FILE), JSON.stringify(offline, null, 2));

    const terraformBlock = isObject(offline.terraform) ? offline.terraform : {};
    const init = await context.initFor(terraformBlock.required_providers);
    if (!init.ok) return { stack, dir, validate: { ok: false, output: `terraform init failed:\n${init.output}` } };
    fs.copyFileSync(path.join(init.dir, '.terraform.lock.hcl'), path.join(dir, '.terraform.lock.hcl'));
    if (config.module === undefined) {
      // Providers are all a module-free stack needs from init: link the shared ones instead of
      // paying another init per stack.
      fs.mkdirSync(path.join(dir, '.terraform'));
      fs.symlinkSync(path.join(init.dir, '.terraform', 'providers'), path.join(dir, '.terraform', 'providers'));
      return undefined;
    }
    const moduleInit = await terraform(dir, ['init', '-input=false', '-backend=false'], {
      ...context.env,
      TF_PLUGIN_CACHE_DIR: context.pluginCache,
    });
    return moduleInit.ok ? undefined : { stack, dir, validate: { ok: false, output: `terraform init failed:\n${moduleInit.output}` } };
  } catch (error) {
    // A result rather than a rejection: a rejection would delete the work directory under
    // the terraform commands other stacks still have running.
    const message = error instanceof Error ? error.message : String(error);
    return { stack, dir, validate: { ok: false, output: `Could not prepare the stack: ${message}` } };
  }
}

/** Validates and plans a prepared stack on its own. */
async function runStack({ stack, dir }: StackCopy, context: StackContext): Promise<StackCheck> {
  if (!context.plan) return { stack, dir, validate: await terraform(dir, ['validate'], context.env) };
  // Plan validates the configuration exactly as `terraform validate` does (and prints the
  // same errors) before it plans.
  const plan = await terraform(
    dir,
    ['plan', '-refresh=false', '-input=false', '-lock=false', '-out=plan.bin'],
    context.env,
  );
  if (!plan.ok) {
    // On failure Terraform may still write an (errored) plan file: never read it as a result.
    const validate = await terraform(dir, ['validate'], context.env);
    return validate.ok ? { stack, dir, validate, plan } : { stack, dir, validate };
  }
  const validate = { ok: true, output: '' };
  if (!context.planJson) return { stack, dir, validate, plan };
  const show = await terraform(dir, ['show', '-json', 'plan.bin'], context.env, { stdoutOnly: true });
  if (!show.ok) return { stack, dir, validate, plan: { ok: false, output: `${plan.output}\n${show.output}` } };
  return { stack, dir, validate, plan: { ...plan, json: JSON.parse(show.output) } };
}

/** A `terraform init` of a scratch directory that holds nothing but provider requirements. */
export interface ProviderInit extends CommandResult {
  /** The directory: its `.terraform.lock.hcl` and `.terraform/providers` are the shared ones. */
  dir: string;
}

/**
 * One `terraform init` per set of provider requirements, in a scratch directory under `work`,
 * shared by every stack that has that set (the harness links its providers; the shard runner
 * gives every stack its lock file, so that each stack's own init links the cached provider
 * instead of unpacking it again). `env` names the plugin cache.
 */
export function providerInits(work: string, env: NodeJS.ProcessEnv): (requiredProviders: unknown) => Promise<ProviderInit> {
  const inits = new Map<string, Promise<ProviderInit>>();
  return (requiredProviders) => {
    const key = JSON.stringify(requiredProviders ?? {});
    let init = inits.get(key);
    if (!init) {
      const dir = path.join(work, 'init', String(inits.size));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: requiredProviders ?? {} } }, null, 2));
      init = terraform(dir, ['init', '-input=false', '-backend=false'], env).then((result) => ({ ...result, dir }));
      inits.set(key, init);
    }
    return init;
  };
}

/**
 * Terraform's environment for offline work under `work`: the harness's CLI config (the
 * provider mirror, when DD_CLOUDTRAIL_PROVIDER_MIRROR names one, and the other local provider
 * directories) and environment; the plugin cache: links into them, else where the one download
 * lands; and the AWS provider versions they hold (none without a mirror: the registry has all).
 */
export function offlineTerraform(work: string, base: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; pluginCache: string; awsVersions?: string[] } {
  const mirror = providerMirror(base);
  // Offline, the provider directories; undefined without a mirror: the registry has every version.
  const localDirs = localProviderDirs(mirror, base);
  const env = terraformEnv(base, writeCliConfig(work, localDirs));
  const pluginCache = mirror ? linkPluginCache(work, localDirs) : downloadPluginCache(work, base);
  return { env, pluginCache, ...(mirror ? { awsVersions: localAwsVersions(localDirs) } : {}) };
}

function writeCliConfig(work: string, mirrors: string[]): string {
  const file = path.join(work, 'terraform.tfrc');
  fs.writeFileSync(file, cliConfig(mirrors));
  return file;
}

/**
 * The harness's own CLI config (the developer's could change what runs): with a mirror, the
 * hashicorp providers come only from it (and the other local directories given, whose
 * versions Terraform combines with the mirror's), never from the network; without one it is
 * empty, which leaves Terraform's normal provider installation.
 */
export function cliConfig(mirrors: string | readonly string[] | undefined): string {
  const dirs = [mirrors ?? []].flat();
  if (dirs.length === 0) return '';
  const blocks = dirs.map(
    (dir) => `  filesystem_mirror {
    path    = ${JSON.stringify(dir)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
`,
  );
  return `provider_installation {
${blocks.join('')}  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`;
}

/**
 * The mirror directory named by DD_CLOUDTRAIL_PROVIDER_MIRROR, or undefined when it is unset
 * or empty. Throws when it names no directory: a typo must not turn into a 150 MB download.
 */
export function providerMirror(env: NodeJS.ProcessEnv): string | undefined {
  const mirror = env[PROVIDER_MIRROR_ENV];
  if (!mirror) return undefined;
  if (!safeIsDirectory(mirror)) {
    throw new Error(
      `${PROVIDER_MIRROR_ENV}=${mirror} is not a directory. Point it at a Terraform filesystem mirror ` +
        '(registry.terraform.io/hashicorp/aws/<version>/<os_arch>/ inside), or unset it to let terraform init download the provider.',
    );
  }
  const root = path.resolve(mirror);
  if (!safeIsDirectory(path.join(root, MIRRORED_PROVIDER))) {
    // A path into the mirror (…/registry.terraform.io/hashicorp/aws, or a version below it)
    // is the common slip: Terraform looks for <mirror>/<host>/<namespace>/<type>/.
    const parts = root.split(path.sep);
    const host = parts.lastIndexOf(MIRRORED_PROVIDER.split('/')[0]);
    const meant = host > 0 ? parts.slice(0, host).join(path.sep) || path.sep : undefined;
    throw new Error(
      `${PROVIDER_MIRROR_ENV}=${mirror} holds no ${MIRRORED_PROVIDER}/: it must name the mirror's root, the folder that holds ` +
        `registry.terraform.io/. ${meant ? `Set ${PROVIDER_MIRROR_ENV}=${meant}` : 'Point it at the folder `terraform providers mirror` wrote'} ` +
        '(docs/DEPLOYING.md, "Checking the stacks with real Terraform").',
    );
  }
  return root;
}

/** Where in a filesystem mirror the AWS provider is (unpacked layout, https://developer.hashicorp.com/terraform/cli/config/config-file#filesystem_mirror). */
const MIRRORED_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** The host terraform init downloads providers from without a mirror. */
export const REGISTRY_HOST = 'registry.terraform.io';

/**
 * Why terraform init could not download the provider here, or undefined when it may: with no
 * mirror, the registry must resolve (an offline machine would fail every stack with the same
 * `no such host`). Behind a proxy (HTTPS_PROXY) the proxy resolves it, so this does not ask.
 */
export async function registryProblem(env: NodeJS.ProcessEnv = process.env, lookup: (host: string) => Promise<unknown> = (host) => dns.lookup(host)): Promise<string | undefined> {
  if (providerMirror(env) || env.HTTPS_PROXY || env.https_proxy) return undefined;
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
  try {
    if ((await Promise.race([lookup(REGISTRY_HOST), timeout])) === 'timeout') throw new Error('no answer in 5 s');
    return undefined;
  } catch (error) {
    return (
      `terraform init would download the AWS provider from ${REGISTRY_HOST}, which cannot be reached here ` +
      `(${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Set ${PROVIDER_MIRROR_ENV} to a Terraform filesystem mirror ` +
      'that holds hashicorp/aws, the version the stacks pin or an older one to plan on as a stand-in (docs/DEPLOYING.md, "Checking the stacks with real Terraform")'
    );
  }
}

/**
 * A plugin cache whose entries are symlinks into the mirror. Installing from the mirror
 * itself copies the 700 MB provider binary (2.2 s, and RAM when /tmp is a tmpfs); from a
 * cache, Terraform only links it (0.5 s).
 */
function linkPluginCache(work: string, mirrors: string | readonly string[]): string {
  const cache = path.join(work, 'plugin-cache');
  fs.mkdirSync(cache);
  // Unpacked mirror layout: <host>/<namespace>/<type>/<version>/<os_arch>/
  const walk = (mirror: string, relative: string, depth: number): void => {
    const from = path.join(mirror, relative);
    if (depth === 5) {
      fs.mkdirSync(path.dirname(path.join(cache, relative)), { recursive: true });
      // The first directory holding a version wins, as in the CLI config's order.
      if (!fs.existsSync(path.join(cache, relative))) fs.symlinkSync(from, path.join(cache, relative));
      return;
    }
    for (const entry of safeReaddir(from)) {
      if (entry.isDirectory()) walk(mirror, path.join(relative, entry.name), depth + 1);
    }
  };
  for (const mirror of [mirrors].flat()) walk(mirror, '', 0);
  return cache;
}

/**
 * Without a mirror, where the one download of the run lands: the developer's (or CI's)
 * TF_PLUGIN_CACHE_DIR, so that the next run downloads nothing, else the work directory.
 */
function downloadPluginCache(work: string, env: NodeJS.ProcessEnv): string {
  const cache = env.TF_PLUGIN_CACHE_DIR ? path.resolve(env.TF_PLUGIN_CACHE_DIR) : path.join(work, 'plugin-cache');
  fs.mkdirSync(cache, { recursive: true });
  return cache;
}

function safeIsDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** How to get Terraform, for every message that finds it missing or too old. */
export const INSTALL_TERRAFORM =
  `Install Terraform ${MIN_TERRAFORM_VERSION} or newer (CI uses ${CI_TERRAFORM_VERSION}): ` +
  'https://developer.hashicorp.com/terraform/install, or on GitHub Actions hashicorp/setup-terraform. ' +
  'See docs/DEPLOYING.md, "Checking the stacks with real Terraform".';

/**
 * Why the harness cannot run terraform (missing from PATH, not runnable, older than
 * MIN_TERRAFORM_VERSION), or undefined when it can.
 */
export function terraformProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const probe = spawnSync('terraform', ['version', '-json'], {
    env: { ...env, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return `terraform is not on PATH. ${INSTALL_TERRAFORM}`;
  }
  if (probe.error || probe.status !== 0) {
    return `Cannot run terraform (${probe.error?.message ?? `terraform version exited ${probe.status}`}). ${INSTALL_TERRAFORM}`;
  }
  let version: unknown;
  try {
    version = (JSON.parse(probe.stdout) as { terraform_version?: unknown }).terraform_version;
  } catch {
    version = undefined;
  }
  if (typeof version !== 'string') return `Cannot read the version of terraform on PATH. ${INSTALL_TERRAFORM}`;
  if (compareVersions(version, MIN_TERRAFORM_VERSION) < 0) return `terraform on PATH is ${version}, too old. ${INSTALL_TERRAFORM}`;
  return undefined;
}


/** A terraform command of the harness: its result as ok and output. */
async function terraform(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  { stdoutOnly = false }: { stdoutOnly?: boolean } = {},
): Promise<CommandResult> {
  const run = await runTerraform({ cwd, args, env });
  return { ok: run.code === 0, output: run.code === 0 && stdoutOnly ? run.stdout : run.output.trim() };
}

// The one way this repository runs terraform (the harness above, `npm run validate`, and the
// roll-out's shard runner): its process, its time limit, how it is interrupted, and the pool.

/** How long one terraform command may run unless the caller says otherwise: an offline command takes seconds. */
const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60 * 1000;
/**
 * How long terraform may take to stop after the interrupt of a command out of time, before it
 * is killed. One interrupt makes terraform stop gracefully: it lets running operations end,
 * writes the state and releases the lock (docs/ROLLOUT.md, "When a job is cancelled").
 */
const DEFAULT_STOP_GRACE_MS = 60 * 1000;

export interface TerraformCommand {
  cwd: string;
  /** The arguments after `terraform`; `-no-color` is added. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Interrupt terraform after this long. @default DEFAULT_COMMAND_TIMEOUT_MS */
  timeoutMs?: number;
  /** After that interrupt, kill terraform if it has not stopped within this long. @default DEFAULT_STOP_GRACE_MS */
  stopGraceMs?: number;
  /**
   * Aborting it interrupts terraform once (SIGINT, as Ctrl-C does): terraform stops gracefully.
   * A command given a signal runs in a process group of its own, so that a terminal's Ctrl-C,
   * which reaches the whole foreground group, reaches terraform only through the caller, once:
   * a second interrupt makes terraform exit at once, leaving its state lock behind ("Two
   * interrupts received. Exiting immediately", internal/command/views/operation.go).
   */
  signal?: AbortSignal;
  /**
   * Where terraform writes stdout and stderr, instead of a pipe to this process: terraform
   * can then finish stopping even when this process is killed first (a write to a pipe
   * nobody reads would end it). @default a pipe
   */
  outputFile?: string;
}

export interface TerraformRun {
  /** The exit code; null when terraform could not start or was ended by a signal. */
  code: number | null;
  /** stdout and stderr, without colour codes, and a last line when terraform was stopped. */
  output: string;
  /** stdout alone (empty with outputFile). */
  stdout: string;
  seconds: number;
  /** Why terraform was interrupted: its time ran out, or the caller's signal. */
  stopped?: 'timeout' | 'interrupt';
}

/** Runs one terraform command; never rejects: a command that cannot start is a result with code null. */
export function runTerraform(command: TerraformCommand): Promise<TerraformRun> {
  const { cwd, args, env, signal, outputFile } = command;
  const timeoutMs = command.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const stopGraceMs = command.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const started = performance.now();
  const seconds = (): number => Math.round((performance.now() - started) / 10) / 100;
  if (signal?.aborted) return Promise.resolve({ code: null, output: `terraform ${args[0]}: not started, interrupted before`, stdout: '', seconds: 0, stopped: 'interrupt' });
  return new Promise((resolve) => {
    const file = outputFile === undefined ? undefined : fs.openSync(outputFile, 'w');
    const child = spawn('terraform', [...args, '-no-color'], {
      cwd,
      env,
      stdio: ['ignore', file ?? 'pipe', file ?? 'pipe'],
      detached: signal !== undefined,
    });
    if (file !== undefined) fs.closeSync(file);
    const output: Buffer[] = [];
    const stdout: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      output.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    let stopped: TerraformRun['stopped'];
    let kill: NodeJS.Timeout | undefined;
    let killed = false;
    const interrupt = (why: NonNullable<TerraformRun['stopped']>): void => {
      if (stopped !== undefined || child.exitCode !== null || child.signalCode !== null) return;
      stopped = why;
      child.kill('SIGINT');
    };
    const timer = setTimeout(() => {
      interrupt('timeout');
      kill = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, stopGraceMs);
    }, timeoutMs);
    const onAbort = (): void => interrupt('interrupt');
    signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    const finish = (code: number | null, note: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(kill);
      signal?.removeEventListener('abort', onAbort);
      const text = outputFile === undefined ? Buffer.concat(output).toString('utf8') : readIfExists(outputFile);
      resolve({ code, output: `${text}${note}`, stdout: Buffer.concat(stdout).toString('utf8'), seconds: seconds(), ...(stopped ? { stopped } : {}) });
    };
    child.on('error', (error) => finish(null, `\nterraform ${args[0]}: ${error.message}`));
    child.on('close', (code, killedBy) => {
      const why =
        stopped === 'timeout'
          ? `\n(terraform ${args[0]} interrupted after ${timeoutMs / 1000} s, its time limit${killed ? `, and killed ${stopGraceMs / 1000} s later` : ''})`
          : stopped === 'interrupt'
            ? `\n(terraform ${args[0]} interrupted: the run was cancelled)`
            : killedBy
              ? `\n(terraform ${args[0]} ended by ${killedBy})`
              : '';
      finish(code, why);
    });
  });
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * A pool of `limit` places: each task waits for a place, and a finishing task hands its place
 * to the next waiting one, in order, so that no newcomer slips in between.
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
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

/** `fn` of every item, at most `limit` at a time, the results in the order of `items`. */
export function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const run = concurrencyLimit(Math.max(1, limit));
  return Promise.all(items.map((item) => run(() => fn(item))));
}

function isInside(candidate: string, dir: string): boolean {
  const relative = path.relative(dir, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
