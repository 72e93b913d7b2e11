/**
 * Splits the stacks of a roll-out wave into shards, one GitHub Actions matrix job each.
 * GitHub caps a matrix at 256 jobs ("A matrix will generate a maximum of 256 jobs per workflow
 * run", https://docs.github.com/en/actions/reference/limits), so 5,000 stacks cannot get a job
 * each: a shard holds several, and rollout/shard.ts runs them a few at a time.
 */
import * as fs from 'node:fs';
import { CommandError, type CommandLine, UsageError, userPath } from '../commands/cli';
import schema from '../config/schema.json';

/** Stack names given as one string, space- or comma-separated (`--stacks "a b"`), or a file of them, one a line. */
function stackList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The usage lines of --stacks and --stacks-file, the same in every command that takes both. */
export function stacksOptionsUsage(what: string): string {
  return `  --stacks "A B"       ${what}, space- or comma-separated
  --stacks-file FILE   the same, one a line in FILE (as npm run shards -- --out writes them):
                       a workflow's lists go in files, since one environment variable or
                       argument holds at most 128 KiB, less than 5,000 stack names`;
}

/**
 * The stacks of --stacks or --stacks-file (at most one of them); undefined when neither is
 * given. A step of a workflow cannot take 5,000 stack names in an environment variable or an
 * argument: Linux refuses a single string over 128 KiB (MAX_ARG_STRLEN, execve(2)). Every
 * name must be a stack name, given once (stackListProblem).
 */
export function stacksOption(args: CommandLine): string[] | undefined {
  const inline = args.string('stacks');
  const file = args.string('stacks-file');
  if (inline !== undefined && file !== undefined) throw new UsageError(`${args.written('stacks')} and ${args.written('stacks-file')} contradict each other: give one`);
  if (file === undefined && inline === undefined) return undefined;
  let names: string[];
  if (file === undefined) names = stackList(inline as string);
  else {
    try {
      names = stackList(fs.readFileSync(userPath(file), 'utf8'));
    } catch (error) {
      throw new CommandError(`${args.written('stacks-file')} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const problem = stackListProblem(names);
  if (problem) throw new UsageError(`${args.written(file === undefined ? 'stacks' : 'stacks-file')}: ${problem}`);
  return names;
}

/** A stack name is an account's name, as config/schema.json allows it. */
const STACK_NAME = new RegExp(schema.definitions.account.properties.name.pattern);

/**
 * What is wrong with `names` as a list of stacks to run, or undefined: each must be a stack
 * name (a name becomes a path: `../x` would run terraform outside the stacks and the saved
 * plans), and each may appear once (twice, its saved plan would be applied twice at once).
 */
export function stackListProblem(names: string[]): string | undefined {
  const bad = names.filter((name) => !STACK_NAME.test(name));
  if (bad.length > 0) return `${bad.map((name) => JSON.stringify(name)).join(', ')} ${bad.length === 1 ? 'is not a stack name' : 'are not stack names'} (a letter, then letters, digits, - or _, at most 64: an account's name)`;
  const twice = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (twice.length > 0) return `${twice.join(', ')} ${twice.length === 1 ? 'is' : 'are'} listed more than once: give each stack once`;
  return undefined;
}

/** The most jobs one matrix may generate on GitHub Actions. */
export const GITHUB_MATRIX_LIMIT = 256;

export interface ShardInput {
  name: string;
  /** Stacks that must be applied before this one. Those outside the list count as done. */
  dependsOn: string[];
}

/** A shard: its id and its stacks, in order. */
export interface Shard {
  shard: string;
  stacks: string[];
}

export interface ShardOptions {
  /** At most this many shards. */
  maxJobs: number;
  /** Prefix of every shard id (`w2-` gives `w2-001`, ...); ids name artifacts, unique per run. */
  prefix: string;
}

/**
 * At most `maxJobs` shards covering every stack exactly once, each a run of consecutive
 * stacks, their sizes as equal as the dependencies allow: a stack and the stacks it depends
 * on stay in one shard, so that the shard applies them in order (with one such pair, as in an
 * organization, sizes differ by at most one). Stacks keep the order of `stacks`, which must
 * list each dependency before its dependents (deploy order). Deterministic.
 */
export function planShards(stacks: ShardInput[], options: ShardOptions): Shard[] {
  if (!Number.isInteger(options.maxJobs) || options.maxJobs < 1) throw new Error(`maxJobs must be a whole number from 1, got ${options.maxJobs}`);
  const position = new Map<string, number>();
  for (const [index, stack] of stacks.entries()) {
    if (position.has(stack.name)) throw new Error(`Stack ${stack.name} is listed twice`);
    position.set(stack.name, index);
  }
  const units = dependencyUnits(stacks, position);
  const count = Math.min(options.maxJobs, units.length);
  // Consecutive units, so that a shard holds neighbours in deploy order; each shard filled up
  // to an even share of what is left, and never so full that a later shard would get none.
  const shards: number[][] = [];
  let next = 0;
  let left = stacks.length;
  for (let shard = 0; shard < count; shard++) {
    const shardsLeft = count - shard;
    const target = Math.ceil(left / shardsLeft);
    const members: number[] = [];
    while (next < units.length && units.length - next > shardsLeft - 1 && (members.length === 0 || members.length + units[next].length <= target)) {
      members.push(...units[next++]);
    }
    left -= members.length;
    shards.push(members);
  }
  const width = String(count).length < 3 ? 3 : String(count).length;
  return shards.map((members, i) => ({
    shard: `${options.prefix}${String(i + 1).padStart(width, '0')}`,
    stacks: members.map((index) => stacks[index].name),
  }));
}

/** Groups of stack positions linked by dependencies, each sorted, in order of their first stack. */
function dependencyUnits(stacks: ShardInput[], position: Map<string, number>): number[][] {
  const parent = stacks.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]];
    return index;
  };
  for (const [index, stack] of stacks.entries()) {
    for (const dependency of stack.dependsOn) {
      const at = position.get(dependency);
      if (at === undefined) continue;
      if (at > index) throw new Error(`Stack ${stack.name} is listed before ${dependency}, which it depends on`);
      parent[root(index)] = root(at);
    }
  }
  const groups = new Map<number, number[]>();
  for (const index of stacks.keys()) {
    const key = root(index);
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  }
  return [...groups.values()].sort((a, b) => a[0] - b[0]);
}
