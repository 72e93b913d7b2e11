/**
 * `npm run policies -- [--stack NAME] [--dir DIR]`: every IAM, bucket and key policy of the
 * synthesized stacks, pretty-printed, each headed by its stack and Terraform address. In
 * cdk.tf.json a policy is a JSON string inside JSON, unreadable in review.
 * `npm run policies -- --ci [--config FILE]`: the roles the GitHub workflows need, where each
 * lives, and its policies, from the config's `github` section.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { POLICY_ATTRIBUTES } from '../stacks/policy-json';
import { ConfigError } from '../config/errors';
import { isObject } from '../config/json';
import { readJsonInput } from '../config/json-file';
import { loadConfig } from '../config/load';
import { scopeNeedsTree } from '../config/enrollment';
import { type CiRole, ciRoles } from '../policies/ci-roles';
import type { PolicyDocument } from '../policies/types';
import { type CommandLine, configFile, displayPath, runCommand, UsageError, userPath } from './cli';
import { STACK_FILE } from '../synth/synth';
import { listStacks } from './terraform';

const USAGE = `Usage: npm run policies -- [--stack NAME] [--dir DIR]
       npm run policies -- --ci [--config FILE]

Prints every policy document of the synthesized stacks (${Object.entries(POLICY_ATTRIBUTES)
  .map(([type, attribute]) => `${type}.${attribute}`)
  .join(', ')}), pretty-printed as AWS receives it, each under a line naming the stack and
the Terraform address. Run npm run synth first.

With --ci, prints instead the roles the GitHub workflows assume, from the config's github
section: in which account each must exist, for which workflow, its trust policy and the
permissions it needs; and the Organizations delegation policy the enrollment needs when the
CI account is not the management account.

Options:
  --stack NAME    only this stack (an account's name)
  --dir DIR       the stacks directory (default cdktf.out/stacks)
  --ci            the CI roles of the config instead
  --config FILE   with --ci: the config (default: $DD_CLOUDTRAIL_CONFIG; one of them is required)
  -h, --help      show this help

Exit status: 0 the policies were printed, 2 unusable input (no stacks, a stack that is not
JSON, a bad option, with --ci a config without a github section), as npm run check.
`;

export interface PolicyEntry {
  stack: string;
  /** `type.name.attribute`. */
  address: string;
  /** The document pretty-printed, or the attribute as written when it is not literal JSON. */
  text: string;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The policies of one synthesized stack, in address order. */
export function stackPolicies(stack: string, config: { resource?: Resources }): PolicyEntry[] {
  const entries: PolicyEntry[] = [];
  for (const [type, attribute] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const [name, resource] of Object.entries(config.resource?.[type] ?? {})) {
      const value = resource[attribute];
      if (typeof value === 'string') entries.push({ stack, address: `${type}.${name}.${attribute}`, text: readable(value) });
    }
  }
  return entries.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/**
 * The document as AWS receives it: Terraform turns the `$${...}` escapes of IAM policy
 * variables back into `${...}`. A whole-attribute interpolation is shown as it is.
 */
function readable(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value.replace(/\$\$\{/g, '${')), null, 2);
  } catch {
    return value;
  }
}

export function formatPolicies(entries: PolicyEntry[]): string {
  return entries.map(({ stack, address, text }) => `# ${stack}: ${address}\n${text}\n`).join('\n');
}

const json = (document: PolicyDocument): string => JSON.stringify(document, null, 2);

/** Each role as `# where: name: which policy` headers over its documents, and its purpose and note as comments. */
export function formatCiRoles(roles: CiRole[]): string {
  return roles
    .map((role) => {
      const head = `# ${role.where}: ${role.name}`;
      const about = [`#   for ${role.purpose}`, ...(role.note ? [`#   ${role.note}`] : [])].join('\n');
      const documents = [
        ['trust policy', role.trustPolicy],
        ['permissions policy', role.permissionsPolicy],
        ['resource-based policy', role.resourcePolicy],
      ].filter((entry): entry is [string, PolicyDocument] => entry[1] !== undefined);
      if (documents.length === 0) return `${head}\n${about}\n`;
      return documents.map(([kind, document], i) => `${head}: ${kind}\n${i === 0 ? `${about}\n` : ''}${json(document)}\n`).join('\n');
    })
    .join('\n');
}

function printCiRoles(args: CommandLine): number {
  for (const option of ['stack', 'dir']) {
    if (args.string(option) !== undefined) throw new UsageError(`${args.written(option)} is for the stacks' policies; --ci prints the CI roles of the config`);
  }
  const { file } = configFile(args);
  // The roles do not depend on the accounts' external IDs, which new accounts lack for a while.
  const config = loadConfig(file, displayPath(file), { allowMissingExternalIds: true });
  if (!config.github) {
    console.error(`${displayPath(file)} has no github section: add one naming the repository and the CI account (docs/REVIEWING.md, AWS credentials through OIDC)`);
    return UNUSABLE;
  }
  const { github } = config;
  const management = config.organization?.management.accountId;
  const roles = ciRoles({
    github,
    accounts: config.accounts,
    organization: config.organization && { id: config.organization.id, managementAccountId: config.organization.management.accountId },
    backend: config.backend,
    listsTree: scopeNeedsTree(config.enrollment),
  });
  process.stdout.write(
    `# The roles the GitHub workflows of ${github.repository} assume, from the github section of ${file}.\n` +
      `# Account ${github.oidcAccount}${github.oidcAccount === management ? ' (the management account)' : ''} holds GitHub's OIDC identity provider: URL https://token.actions.githubusercontent.com, audience sts.amazonaws.com.\n\n` +
      formatCiRoles(roles),
  );
  return 0;
}

/** The exit code of unusable input, as npm run check's: 1 would read as a finding. */
const UNUSABLE = 2;

const COMMAND = {
  name: 'policies',
  usage: USAGE,
  options: { stack: { type: 'string' }, dir: { type: 'string' }, ci: { type: 'boolean' }, config: { type: 'string' } },
  usageExitCode: UNUSABLE,
} as const;

runCommand(COMMAND, (args) => {
  if (args.flag('ci')) return printCiRoles(args);
  if (args.string('config') !== undefined) throw new UsageError(`${args.written('config')} goes with --ci: the stacks' policies are read from the synthesized stacks (--dir)`);
  const dir = args.string('dir') === undefined ? path.resolve('cdktf.out', 'stacks') : userPath(args.string('dir') as string);
  const unusable = (message: string): number => {
    console.error(message);
    return UNUSABLE;
  };
  if (!fs.existsSync(dir)) return unusable(`${dir} does not exist: run npm run synth first, or name the stacks directory with --dir.`);
  if (!fs.statSync(dir).isDirectory()) return unusable(`${dir} is a file: name the stacks directory (cdktf.out/stacks) with --dir.`);
  const all = listStacks(dir);
  if (all.length === 0) return unusable(`${dir} holds no <stack>/${STACK_FILE}: run npm run synth first, or name the stacks directory with --dir.`);
  const wanted = args.string('stack');
  if (wanted !== undefined && !all.includes(wanted)) return unusable(`No stack ${JSON.stringify(wanted)} in ${dir}; its stacks: ${all.join(', ')}.`);
  let entries: PolicyEntry[];
  try {
    entries = (wanted ? [wanted] : all).flatMap((stack) => {
      const file = path.join(dir, stack, STACK_FILE);
      const json = readJsonInput(file, { kind: 'stack', name: displayPath(file), unreadableFix: 'synthesize it again: npm run synth' });
      if (!isObject(json)) throw new ConfigError(displayPath(file), [{ path: '(top level)', problem: 'is not a Terraform JSON object', fix: 'synthesize it again: npm run synth' }], 'stack');
      return stackPolicies(stack, json as { resource?: Resources });
    });
  } catch (error) {
    if (error instanceof ConfigError) return unusable(error.message);
    throw error;
  }
  process.stdout.write(formatPolicies(entries));
  return 0;
});
