/**
 * `npm run shards -- [--wave N] [--stacks "a b"] [--max-jobs 256] [--prefix ID] [--out DIR] [--config FILE]`:
 * a GitHub Actions matrix that runs the stacks of a wave (or of the whole config) in at most
 * --max-jobs jobs, each job a shard of stacks for rollout/shard.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config/load';
import { dependenciesByName } from '../config/plan';
import { deployOrder } from '../config/topology';
import { configWarnings } from '../config/warnings';
import { CommandError, CONFIG_OPTION_USAGE, configFile, displayPath, runCommand, UsageError } from '../commands/cli';
import { GITHUB_MATRIX_LIMIT, planShards, type Shard, stacksOption, stacksOptionsUsage } from './sharding';

const USAGE = `Usage: npm run shards -- [--wave N] [--stacks "NAME ..." | --stacks-file FILE] [--max-jobs N]
                      [--prefix ID] [--out DIR] [--config FILE]

Prints a GitHub Actions matrix, {"include":[{"shard":"w1-001","stacks":"log-archive management"}, ...]},
that covers every stack of the wave exactly once in at most --max-jobs jobs of balanced size.
A stack stays in the shard of the stacks it depends on, after them (the management stack
after the log-archive stack). A wave without stacks prints {"include":[]}.

With --out DIR, the lists go to files instead, one stack a line: DIR/<shard>.txt for each
shard, DIR/stacks.txt for all of them, in deploy order; the matrix names the shards and their
sizes only ({"include":[{"shard":"w1-001","size":2}, ...]}). The workflows work so: a step
cannot take 5,000 stack names in one environment variable or argument (128 KiB at most).

  strategy:
    matrix: \${{ fromJSON(needs.shards.outputs.matrix) }}

Options:
  --wave N          only the stacks of the accounts whose wave is N (default: every stack)
${stacksOptionsUsage('only these stacks (of the wave, with --wave)')}
  --max-jobs N      at most N shards, from 1 to ${GITHUB_MATRIX_LIMIT}, GitHub's limit per matrix (default ${GITHUB_MATRIX_LIMIT})
  --prefix ID       prefix of the shard ids, which name the jobs' artifacts (default: w<N>- with
                    --wave, else all-)
  --out DIR         write the stack lists to DIR (see above)
${CONFIG_OPTION_USAGE}
  -h, --help        show this help
`;

runCommand(
  {
    name: 'shards',
    usage: USAGE,
    options: {
      wave: { type: 'string' },
      stacks: { type: 'string' },
      'stacks-file': { type: 'string' },
      out: { type: 'string' },
      'max-jobs': { type: 'string' },
      prefix: { type: 'string' },
      config: { type: 'string' },
    },
  },
  (args) => {
    const wave = args.positiveInteger('wave');
    const maxJobs = args.positiveInteger('max-jobs') ?? GITHUB_MATRIX_LIMIT;
    if (maxJobs > GITHUB_MATRIX_LIMIT) {
      throw new UsageError(`${args.written('max-jobs')} is at most ${GITHUB_MATRIX_LIMIT}: GitHub runs no more jobs from one matrix, got ${maxJobs}`);
    }
    const prefix = args.string('prefix') ?? (wave === undefined ? 'all-' : `w${wave}-`);
    if (!/^[A-Za-z0-9_-]*$/.test(prefix)) throw new UsageError(`${args.written('prefix')} takes letters, digits, - and _ only (it names artifacts), got ${JSON.stringify(prefix)}`);
    const chosen = configFile(args).file;
    const file = displayPath(chosen);
    const config = loadConfig(chosen, file);
    for (const warning of configWarnings(config)) console.error(`Warning: ${warning}`);
    let accounts = deployOrder(config).filter((account) => wave === undefined || account.wave === wave);
    const names = stacksOption(args);
    if (names !== undefined) {
      const known = new Set(accounts.map((account) => account.name));
      const unknown = names.filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new CommandError(`Not ${wave === undefined ? 'stacks' : `stacks of wave ${wave}`} of ${file}: ${unknown.join(', ')}. \`npm run stacks -- --json\` lists them.`);
      }
      const wanted = new Set(names);
      accounts = accounts.filter((account) => wanted.has(account.name));
    }
    const dependencies = dependenciesByName(config.plans);
    const shards = planShards(
      accounts.map((account) => ({ name: account.name, dependsOn: dependencies.get(account.name) ?? [] })),
      { maxJobs, prefix },
    );
    const where = wave === undefined ? file : `wave ${wave} of ${file}`;
    if (shards.length === 0) console.error(`No stacks in ${where}.`);
    else {
      const sizes = shards.map((shard) => shard.stacks.length);
      console.error(`${accounts.length} stacks of ${where} in ${shards.length} shards of ${Math.min(...sizes)} to ${Math.max(...sizes)} stacks.`);
    }
    const out = args.string('out');
    if (out === undefined) {
      console.log(JSON.stringify({ include: shards.map(({ shard, stacks }) => ({ shard, stacks: stacks.join(' ') })) }));
      return 0;
    }
    writeLists(out, shards);
    console.log(JSON.stringify({ include: shards.map(({ shard, stacks }) => ({ shard, size: stacks.length })) }));
    return 0;
  },
);

/** DIR/<shard>.txt per shard and DIR/stacks.txt, one stack a line. */
function writeLists(dir: string, shards: Shard[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const lines = (stacks: string[]): string => stacks.map((stack) => `${stack}\n`).join('');
  for (const { shard, stacks } of shards) fs.writeFileSync(path.join(dir, `${shard}.txt`), lines(stacks));
  fs.writeFileSync(path.join(dir, 'stacks.txt'), lines(shards.flatMap((shard) => shard.stacks)));
}
