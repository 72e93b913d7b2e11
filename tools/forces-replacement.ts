/**
 * `npx ts-node --transpile-only tools/forces-replacement.ts`: regenerates
 * forces-replacement.json, which attributes of each resource type the stacks use make Terraform
 * destroy and re-create the resource, as the real AWS provider (the version the stacks pin)
 * answers it, offline. It asks the provider itself rather than a copied list: for every example
 * resource type, a probe resource per top-level argument is planned against a state in which
 * that resource already exists, with only that argument changed, and the plan's
 * `replace_paths` (https://developer.hashicorp.com/terraform/internals/json-format#change-representation)
 * name the arguments that force the replacement.
 *
 * 1. Every example is synthesized; the first resource of each type is its sample, references
 *    replaced by literals.
 * 2. One plan creates every sample: its planned values (the provider's defaults filled in)
 *    become the prior state of the probes, so that a default is no change.
 *    The same plan says which attributes of each type are unknown until the resource exists
 *    (`after_unknown`: computed ones such as `arn`, `id`, `unique_id`): a replacement changes
 *    them, and so replaces every resource whose replace-forcing argument refers to one.
 * 3. Per type, probes: one changing each argument the sample sets (a string gets a suffix, a
 *    number +1, a bool flips, a block its first value), one setting each argument it leaves out,
 *    and one changing nothing, which must plan no replacement. A value the provider's validator
 *    refuses is retried with what its message asks for (see repair). A probe that Terraform
 *    still refuses is dropped, and listed with the reason under `unprobed`.
 *
 * Needs terraform and the AWS provider, as the tests do (DD_CLOUDTRAIL_PROVIDER_MIRROR). Where
 * only an older provider is at hand, it answers as a stand-in (commands/provider-stand-in.ts),
 * and the file says so (`standInFor`): replacement rules rarely change between versions, but
 * an attribute the pinned version added is then missing from the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import awsBindings from '@cdktf/provider-aws/package.json';
import { isObject } from '../config/json';
import { synthesize, STACK_FILE } from '../synth/synth';
import { makeOffline, offlineTerraform, runTerraform } from '../commands/terraform';
import { standInProvider } from '../commands/provider-stand-in';

type Json = Record<string, unknown>;

const ROOT = path.join(__dirname, '..');
export const FORCES_REPLACEMENT_FILE = path.join(ROOT, 'commands', 'diff', 'forces-replacement.json');
const META = new Set(['//', 'count', 'for_each', 'provider', 'lifecycle', 'depends_on', 'provisioner', 'connection']);
const PROBE_ARN = 'arn:aws:iam::111111111111:role/probe';

interface Schema {
  version: number;
  block: { attributes?: Record<string, { type: unknown; optional?: boolean; required?: boolean; computed?: boolean }>; block_types?: Record<string, unknown> };
}

/** The first resource of each AWS type in the synthesized examples, with references as literals. */
function samples(work: string): Map<string, Json> {
  const found = new Map<string, Json>();
  const examples = path.join(ROOT, 'examples');
  for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.json')).sort()) {
    const outdir = path.join(work, 'synth', path.basename(file, '.json'));
    synthesize(path.join(examples, file), { outdir, log: () => undefined });
    for (const stack of fs.readdirSync(path.join(outdir, 'stacks')).sort()) {
      const config = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, STACK_FILE), 'utf8')) as Json;
      for (const [type, byName] of Object.entries(isObject(config.resource) ? config.resource : {})) {
        if (!type.startsWith('aws_') || found.has(type) || !isObject(byName)) continue;
        const [first] = Object.values(byName);
        if (isObject(first)) found.set(type, literal(Object.fromEntries(Object.entries(first).filter(([key]) => !META.has(key)))) as Json);
      }
    }
  }
  return found;
}

/** A reference (`${aws_kms_key.k.arn}`) as a literal of its kind: an ARN for `.arn`, a name otherwise. */
function literal(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{[a-z0-9_]+\.[\w-]+\.(\w+)\}/g, (_m, attribute: string) => (attribute === 'arn' ? PROBE_ARN : 'probe'));
  if (Array.isArray(value)) return value.map(literal);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literal(item)]));
  return value;
}

/**
 * `value` with its first scalar (depth first, keys sorted) replaced by `leaf(scalar)`: the
 * smallest change of an argument, in a block as in a plain attribute. Undefined when `value`
 * holds no scalar.
 */
function withFirstLeaf(value: unknown, leaf: (scalar: unknown) => unknown): unknown {
  if (Array.isArray(value)) {
    const first = value.length > 0 ? withFirstLeaf(value[0], leaf) : undefined;
    return first === undefined ? undefined : [first, ...value.slice(1)];
  }
  if (isObject(value)) {
    for (const key of Object.keys(value).sort()) {
      const item = withFirstLeaf(value[key], leaf);
      if (item !== undefined) return { ...value, [key]: item };
    }
    return undefined;
  }
  return value === null || value === undefined ? undefined : leaf(value);
}

/** A scalar changed the least that still changes it. */
function changedScalar(value: unknown): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  const text = String(value);
  try {
    const document: unknown = JSON.parse(text);
    // A JSON document (a policy, an event pattern) stays one.
    if (isObject(document)) return JSON.stringify(document.Statement ? { ...document, Id: 'probe' } : { ...document, account: ['111111111111'] });
  } catch {
    // not JSON
  }
  // A letter: validators of names and actions take letters where some refuse digits.
  return `${text}x`;
}

/** A value of an attribute's type, for an argument the sample leaves out. */
function valueOfType(type: unknown): unknown {
  if (type === 'string') return 'probe';
  if (type === 'number') return 1;
  if (type === 'bool') return true;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [valueOfType(type[1])];
  if (Array.isArray(type) && type[0] === 'map') return { probe: valueOfType(type[1]) };
  return undefined;
}

interface Probe {
  type: string;
  name: string;
  /** The argument changed; undefined for the control probe. */
  argument?: string;
  config: Json;
}

async function run(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string; stdout: string }> {
  const result = await runTerraform({ cwd: dir, args, env });
  return { ok: result.code === 0, output: result.output, stdout: result.stdout };
}

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

function writeRoot(dir: string, requiredProviders: unknown, resources: Array<{ type: string; name: string; config: Json }>, available: string[] | undefined): void {
  const resource: Record<string, Json> = {};
  for (const { type, name, config } of resources) resource[type] = { ...resource[type], [name]: config };
  const { config: root } = standInProvider(
    makeOffline({ terraform: { required_providers: requiredProviders }, provider: { aws: [{ region: 'us-east-1' }] }, ...(resources.length > 0 ? { resource } : {}) }),
    available,
  );
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(root, null, 1));
}

/** Errors of a terraform run by resource address (`with <address>,` under each error). */
function errorsByAddress(output: string): Map<string, string> {
  const errors = new Map<string, string>();
  for (const block of output.split(/^Error: /m).slice(1)) {
    const match = /^\s+with ([\w.-]+),/m.exec(block) ?? /in resource\.([\w-]+\.[\w-]+):/.exec(block);
    const address = match?.[1];
    if (address) errors.set(address, errors.has(address) ? `${errors.get(address)}\n${block}` : block);
  }
  return errors;
}

export async function generate(): Promise<Json> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-cloudtrail-replace-'));
  try {
    const offline = offlineTerraform(work, process.env);
    const available = offline.awsVersions;
    const env = { ...offline.env, TF_PLUGIN_CACHE_DIR: offline.pluginCache, TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: '1' };
    const dir = path.join(work, 'probe');
    fs.mkdirSync(dir);
    const bySample = samples(work);
    const requiredProviders = { aws: { source: 'aws', version: awsVersion() } };
    const standIn = standInProvider({ terraform: { required_providers: requiredProviders } }, available).standIn;

    writeRoot(dir, requiredProviders, [], available);
    const init = await run(dir, ['init', '-input=false', '-backend=false'], env);
    if (!init.ok) throw new Error(`terraform init failed:\n${init.output}`);
    const schemas = (JSON.parse((await run(dir, ['providers', 'schema', '-json'], env)).stdout) as { provider_schemas: Record<string, { resource_schemas: Record<string, Schema> }> })
      .provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas;

    // 2. The samples' planned values, defaults included.
    const bases = [...bySample].map(([type, config]) => ({ type, name: 'sample', config }));
    writeRoot(dir, requiredProviders, bases, available);
    const created = await plan(dir, env);
    const planned = new Map<string, Json>();
    const unknownOnCreate: Record<string, string[]> = {};
    for (const change of created.changes) {
      const { after, after_unknown: unknown = {} } = change.change as { after: Json; after_unknown?: Json };
      planned.set(String(change.type), after);
      unknownOnCreate[String(change.type)] = Object.keys(unknown).filter((attribute) => holdsUnknown(unknown[attribute])).sort();
    }

    // 3. The probes.
    const unprobed: Record<string, Record<string, string>> = {};
    let probes: Probe[] = [];
    for (const [type, sample] of bySample) {
      if (!planned.has(type)) {
        unprobed[type] = { '*': created.errors.get(`${type}.sample`) ?? 'the sample does not plan' };
        continue;
      }
      const { attributes = {}, block_types: blocks = {} } = schemas[type].block;
      probes.push({ type, name: 'control', config: sample });
      for (const [argument, attribute] of Object.entries(attributes)) {
        if (argument === 'id' || !(attribute.optional || attribute.required)) continue;
        // Left out, an argument has the provider's default, if any: the probe must differ from it.
        const current = argument in sample ? sample[argument] : planned.get(type)?.[argument];
        const value = current === undefined || current === null ? valueOfType(attribute.type) : withFirstLeaf(current, changedScalar);
        if (value !== undefined) probes.push({ type, name: `probe_${argument}`, argument, config: { ...sample, [argument]: value } });
      }
      for (const argument of Object.keys(blocks)) {
        const value = argument in sample ? withFirstLeaf(sample[argument], changedScalar) : undefined;
        if (value !== undefined) probes.push({ type, name: `probe_${argument}`, argument, config: { ...sample, [argument]: value } });
      }
    }

    // Terraform refuses a probe: retry with what its validator asks for, else drop it.
    const attempts = new Map<string, number>();
    for (;;) {
      writeRoot(dir, requiredProviders, probes, available);
      writeState(dir, probes, planned, schemas);
      const result = await plan(dir, env);
      if (result.ok) return record(result.changes, probes, unprobed, unknownOnCreate, standIn?.version ?? awsVersion());
      const addresses = new Set(probes.map((probe) => `${probe.type}.${probe.name}`));
      if (result.errors.size === 0 || [...result.errors.keys()].some((address) => !addresses.has(address))) {
        throw new Error(`terraform plan failed outside the probes:\n${result.output}`);
      }
      probes = probes.flatMap((probe) => {
        const key = `${probe.type}.${probe.name}`;
        const error = result.errors.get(key);
        if (error === undefined) return [probe];
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const repaired = attempt <= 3 && probe.argument !== undefined ? repair(probe, probe.argument, { ...planned.get(probe.type), ...bySample.get(probe.type) }, error) : undefined;
        if (repaired) return [repaired];
        (unprobed[probe.type] ??= {})[probe.argument ?? '(control)'] = error.split('\n')[0].trim();
        return [];
      });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The probe with the value its validator's message asks for, other than the argument's value
 * `before` (the sample's, or the provider's default): another of the values it lists
 * (`one of [...]`), a bound of its range, an ARN, an account ID or a JSON document; or without
 * the arguments it conflicts with. Undefined when the message asks for nothing of these.
 */
function repair(probe: Probe, argument: string, before: Json, error: string): Probe | undefined {
  const original = before[argument] ?? undefined;
  let current: unknown;
  withFirstLeaf(original, (scalar) => (current = scalar));
  const replace = (value: unknown): Probe => ({
    ...probe,
    config: { ...probe.config, [argument]: original === undefined ? (Array.isArray(probe.config[argument]) ? [value] : value) : withFirstLeaf(original, () => value) },
  });
  const listed = /one of:? \[([^\]]*)\]/.exec(error)?.[1].match(/"[^"]*"|[^\s"]+/g)?.map((v) => (v.startsWith('"') ? (JSON.parse(v) as string) : Number(v)));
  const alternative = listed?.find((v) => v !== current);
  if (alternative !== undefined) return replace(alternative);
  const range = /in the range \((\d+) - (\d+)\)/.exec(error);
  if (range) return replace(Number(range[1]) !== current ? Number(range[1]) : Number(range[2]));
  if (/invalid ARN/.test(error)) return replace(current === PROBE_ARN ? `${PROBE_ARN}2` : PROBE_ARN);
  if (/AWS Account ID/.test(error)) return replace(current === '111111111111' ? '222222222222' : '111111111111');
  if (/invalid JSON/.test(error)) return replace('{}');
  const conflicts = [...error.matchAll(/"([\w.]+)": conflicts with ([\w, ]+)/g)]
    .flatMap(([, one, others]) => [one, ...others.split(/[ ,]+/)])
    .filter((name) => name in probe.config && name !== argument);
  if (conflicts && conflicts.length > 0) return { ...probe, config: Object.fromEntries(Object.entries(probe.config).filter(([name]) => !conflicts.includes(name))) };
  return undefined;
}

async function plan(dir: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; changes: Json[]; errors: Map<string, string>; output: string }> {
  const result = await run(dir, ['plan', '-refresh=false', '-input=false', '-lock=false', '-out=plan.bin'], env);
  if (!result.ok) return { ok: false, changes: [], errors: errorsByAddress(result.output), output: result.output };
  const show = await run(dir, ['show', '-json', 'plan.bin'], env);
  const changes = (JSON.parse(show.output.slice(show.output.indexOf('{'))) as { resource_changes?: Json[] }).resource_changes ?? [];
  return { ok: true, changes, errors: new Map(), output: result.output };
}

/** A state in which every probe exists with its sample's planned values. */
function writeState(dir: string, probes: Probe[], planned: Map<string, Json>, schemas: Record<string, Schema>): void {
  const resources = probes.map(({ type, name }) => ({
    mode: 'managed',
    type,
    name,
    provider: PROVIDER,
    instances: [{ schema_version: schemas[type].version, attributes: { ...planned.get(type), id: 'probe' } }],
  }));
  fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.10.0', serial: 1, lineage: 'probe', outputs: {}, resources }));
}

/** `after_unknown` marks an unknown value `true`, at any depth of a block. */
function holdsUnknown(marker: unknown): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(holdsUnknown);
  return isObject(marker) && Object.values(marker).some(holdsUnknown);
}

/** The file's content; `version` is the provider that answered: the pinned one, or its stand-in. */
function record(changes: Json[], probes: Probe[], unprobed: Record<string, Record<string, string>>, unknownOnCreate: Record<string, string[]>, version: string): Json {
  const forces: Record<string, Set<string>> = {};
  for (const probe of probes) forces[probe.type] ??= new Set();
  for (const change of changes) {
    const probe = probes.find((p) => p.type === change.type && p.name === change.name);
    const { actions, replace_paths: paths = [] } = change.change as { actions: string[]; replace_paths?: unknown[][] };
    if (!probe || !actions.includes('delete')) continue;
    if (probe.argument === undefined) {
      (unprobed[probe.type] ??= {})['(control)'] = `replaced with no change: ${JSON.stringify(paths)}`;
      delete forces[probe.type];
    } else if (paths.some((p) => p[0] === probe.argument) && forces[probe.type]) {
      forces[probe.type].add(probe.argument);
    }
  }
  const standIn = version !== awsVersion();
  return {
    '//':
      `Generated by tools/forces-replacement.ts from offline terraform plans (replace_paths) with hashicorp/aws ${version}` +
      (standIn ? `, standing in for the pinned ${awsVersion()}, which was not at hand` : '') +
      '; do not edit.',
    provider: `registry.terraform.io/hashicorp/aws ${version}`,
    ...(standIn ? { standInFor: `registry.terraform.io/hashicorp/aws ${awsVersion()}` } : {}),
    forcesReplacement: Object.fromEntries(Object.keys(forces).sort().map((type) => [type, [...forces[type]].sort()])),
    unknownOnCreate: Object.fromEntries(Object.keys(unknownOnCreate).sort().map((type) => [type, unknownOnCreate[type]])),
    unprobed: Object.fromEntries(Object.keys(unprobed).sort().map((type) => [type, unprobed[type]])),
  };
}

/** The AWS provider version the stacks pin (cdktf's bindings are generated from it). */
function awsVersion(): string {
  return awsBindings.cdktf.provider.version;
}

if (require.main === module) {
  generate().then(
    (table) => {
      fs.writeFileSync(FORCES_REPLACEMENT_FILE, `${JSON.stringify(table, null, 2)}\n`);
      process.stdout.write(`Wrote ${path.relative(process.cwd(), FORCES_REPLACEMENT_FILE)}\n`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      process.exitCode = 1;
    },
  );
}
