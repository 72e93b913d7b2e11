/**
 * `npm run policies -- [--stack NAME] [--dir DIR]`: every IAM, bucket and key policy of the
 * synthesized stacks, pretty-printed, each headed by its stack and Terraform address. In
 * cdk.tf.json a policy is a JSON string inside JSON, unreadable in review.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { POLICY_ATTRIBUTES } from '../stacks/policy-json';
import { ConfigError } from '../config/errors';
import { isObject } from '../config/json';
import { readJsonInput } from '../config/json-file';
import { displayPath, runCommand, userPath } from './cli';
import { STACK_FILE } from '../synth/synth';
import { listStacks } from './terraform';

const USAGE = `Usage: npm run policies -- [--stack NAME] [--dir DIR]

Prints every policy document of the synthesized stacks (${Object.entries(POLICY_ATTRIBUTES)
  .map(([type, attribute]) => `${type}.${attribute}`)
  .join(', ')}), pretty-printed as AWS receives it, each under a line naming the stack and
the Terraform address. Run npm run synth first.

Options:
  --stack NAME    only this stack (an account's name)
  --dir DIR       the stacks directory (default cdktf.out/stacks)
  -h, --help      show this help

Exit status: 0 the policies were printed, 2 unusable input (no stacks, a stack that is not
JSON, a bad option), as npm run check.
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

/** The exit code of unusable input, as npm run check's: 1 would read as a finding. */
const UNUSABLE = 2;

runCommand(
  { name: 'policies', usage: USAGE, options: { stack: { type: 'string' }, dir: { type: 'string' } }, usageExitCode: UNUSABLE },
  (args) => {
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
  },
);
