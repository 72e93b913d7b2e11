/**
 * `npm run policies -- [--stack NAME] [--dir DIR]`: every IAM, bucket and key policy of the
 * synthesized stacks, pretty-printed, each headed by its stack and Terraform address. In
 * cdk.tf.json a policy is a JSON string inside JSON, unreadable in review.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { POLICY_ATTRIBUTES } from '../stacks/policy-json';
import { CommandError, runCommand } from './cli';
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

runCommand({ name: 'policies', usage: USAGE, options: { stack: { type: 'string' }, dir: { type: 'string' } } }, (args) => {
  const dir = path.resolve(args.string('dir') ?? path.join('cdktf.out', 'stacks'));
  if (!fs.existsSync(dir)) throw new CommandError(`${dir} does not exist: run npm run synth first, or name the stacks directory with --dir.`);
  const all = listStacks(dir);
  const wanted = args.string('stack');
  if (wanted !== undefined && !all.includes(wanted)) {
    throw new CommandError(`No stack ${JSON.stringify(wanted)} in ${dir}; its stacks: ${all.join(', ') || 'none'}.`);
  }
  const entries = (wanted ? [wanted] : all).flatMap((stack) =>
    stackPolicies(stack, JSON.parse(fs.readFileSync(path.join(dir, stack, STACK_FILE), 'utf8')) as { resource?: Resources }),
  );
  process.stdout.write(formatPolicies(entries));
  return 0;
});
