/**
 * Which AWS provider the offline harness plans with. The stacks pin one version
 * (`required_providers.aws.version`, from @cdktf/provider-aws); the harness uses exactly that
 * one wherever it can get it: the registry (no mirror configured: `terraform init` downloads
 * it, through TF_PLUGIN_CACHE_DIR), or, offline, a filesystem mirror or plugin cache holding
 * it. Only when the local directories hold nothing but older versions does it plan against
 * the newest of those as a stand-in: in its scratch copy it rewrites the version constraint
 * and the values that older provider's validators refuse, from the one table below, and says
 * so. A stack that needs any other rewrite fails, with Terraform's own message.
 * docs/DEPLOYING.md, "Checking the stacks with real Terraform".
 */
import * as fs from 'fs';
import * as path from 'path';
import { isObject } from '../config/json';

type Json = Record<string, unknown>;

/** Where the unpacked layout (filesystem mirror or plugin cache) keeps the AWS provider's versions. */
const AWS_PROVIDER_PATH = path.join('registry.terraform.io', 'hashicorp', 'aws');

/** One value a stand-in provider's validators refuse, and what its plan uses instead. */
export interface StandInRewrite {
  /** The resource type whose attribute is rewritten. */
  resourceType: string;
  attribute: string;
  /** The value the pinned provider accepts. */
  value: string;
  /** What the stand-in plans with instead: a value it accepts that means the same to the plan. */
  standIn: string;
  /** The first provider version that accepts `value`: older stand-ins need the rewrite. */
  acceptedFrom: string;
  /** Why the rewrite is needed, and why it hides nothing the plan checks. */
  reason: string;
}

/**
 * Every rewrite a stand-in plan may make, besides the version constraint itself (which only
 * says which provider to install). Add a row only with its source; a stack needing a
 * rewrite not listed here fails on the stand-in, as it should.
 */
export const STAND_IN_REWRITES: readonly StandInRewrite[] = [
  {
    resourceType: 'aws_lambda_function',
    attribute: 'runtime',
    value: 'python3.14',
    standIn: 'python3.13',
    acceptedFrom: '6.21.0',
    reason:
      'Datadog Forwarder 5.2.0 and later (layer 94+) run on python3.14, which the AWS provider accepts from 6.21.0 ' +
      '(CHANGELOG: "resource/aws_lambda_function: Add support for python3.14 runtime value (#45024)"; ' +
      'hashicorp/terraform-provider-aws issue 44984). The runtime is a plain string to the plan: ' +
      'python3.13 exercises the same attribute, and the rule table checks the real value in cdk.tf.json.',
  },
];

/** What a stand-in plan changed in one stack's scratch copy. */
export interface StandIn {
  /** The AWS provider version the stack pins. */
  pinned: string;
  /** The older version it was planned with. */
  version: string;
  /** Each value rewritten, by resource address. */
  rewrites: Array<{ address: string; rewrite: StandInRewrite }>;
}

/**
 * The directories the harness installs providers from offline: the configured mirror, and
 * the developer's or CI's TF_PLUGIN_CACHE_DIR, which has the same unpacked layout and may
 * hold the pinned version the mirror lacks. Terraform combines the versions of every
 * filesystem_mirror block.
 */
export function localProviderDirs(mirror: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (!mirror) return [];
  const cache = env.TF_PLUGIN_CACHE_DIR ? path.resolve(env.TF_PLUGIN_CACHE_DIR) : undefined;
  return cache && cache !== mirror && fs.existsSync(path.join(cache, AWS_PROVIDER_PATH)) ? [mirror, cache] : [mirror];
}

/** The AWS provider versions the directories hold, for this machine's platform, newest first. */
export function localAwsVersions(dirs: string[]): string[] {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const versions = dirs.flatMap((dir) => {
    const root = path.join(dir, AWS_PROVIDER_PATH);
    try {
      return fs.readdirSync(root).filter((version) => fs.existsSync(path.join(root, version, platform)));
    } catch {
      return [];
    }
  });
  return [...new Set(versions)].sort((a, b) => compareVersions(b, a));
}

/**
 * The stack as the harness plans it: unchanged when the pinned AWS provider is available
 * (`available` undefined means the registry, which has every version), else rewritten for the
 * newest older version available, with what was rewritten. Returns a copy when it rewrites.
 */
export function standInProvider(config: Json, available: readonly string[] | undefined): { config: Json; standIn?: StandIn } {
  const requirement = isObject(config.terraform) && isObject(config.terraform.required_providers) ? config.terraform.required_providers.aws : undefined;
  if (!available || !isObject(requirement)) return { config };
  const pinned = requirement.version;
  // Only an exact pin has one version to miss; a range is Terraform's to resolve.
  if (typeof pinned !== 'string' || !/^\d+\.\d+\.\d+$/.test(pinned) || available.includes(pinned)) return { config };
  const version = available.find((candidate) => compareVersions(candidate, pinned) < 0);
  if (!version) return { config };

  const copy = structuredClone(config);
  ((copy.terraform as Json).required_providers as Json).aws = { ...requirement, version };
  const rewrites: StandIn['rewrites'] = [];
  const resources = isObject(copy.resource) ? copy.resource : {};
  for (const rewrite of STAND_IN_REWRITES) {
    if (compareVersions(version, rewrite.acceptedFrom) >= 0) continue;
    const byName = resources[rewrite.resourceType];
    if (!isObject(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isObject(body) || body[rewrite.attribute] !== rewrite.value) continue;
      body[rewrite.attribute] = rewrite.standIn;
      rewrites.push({ address: `${rewrite.resourceType}.${name}`, rewrite });
    }
  }
  return { config: copy, standIn: { pinned, version, rewrites } };
}

/** One line for a stack planned on a stand-in: which provider, and every value rewritten. */
export function describeStandIn(standIn: StandIn): string {
  const rewritten = standIn.rewrites.map(({ address, rewrite }) => `${address}.${rewrite.attribute} ${rewrite.value} -> ${rewrite.standIn}`);
  return (
    `planned on a stand-in: AWS provider ${standIn.version}, not the pinned ${standIn.pinned}, which no local provider directory holds` +
    (rewritten.length > 0 ? `; rewritten in the scratch copy: ${rewritten.join(', ')}` : '; nothing else rewritten')
  );
}

/** Compares dotted release versions ("1.9.8" < "1.10.0"); a pre-release suffix is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('-')[0].split('.').map((n) => Number(n) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
