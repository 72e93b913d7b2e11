/**
 * `npm run rollout-report -- DIR --stacks "a b" [--wave N] [--replan | --drift | --plan]`: the
 * outcome of the shard jobs whose reports (plan.json, apply.json) were downloaded into DIR.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type ConfigIssue } from '../config/errors';
import { readJsonInput } from '../config/json-file';
import { isObject } from '../config/json';
import { CommandError, displayPath, runCommand, UsageError, userPath } from '../commands/cli';
import { driftMarkdown, filesUnder, finalOutcomes, isFailed, planMarkdown, replanStacks, reportFiles, rolloutMarkdown } from './outcomes';
import type { ShardReport } from './shard-runner';
import { stacksOption, stacksOptionsUsage } from './sharding';

const USAGE = `Usage: npm run rollout-report -- DIR --stacks "NAME ..." | --stacks-file FILE [--wave N]
                              [--replan | --drift | --plan]

Reads every plan.json and apply.json under DIR (the reports of npm run shard, one folder per
downloaded artifact) and prints, as Markdown, the outcome of each stack of --stacks: its last
round's apply, else its plan; a stack no report names failed.

  (default)  a roll-out: counts, the failed stacks, what to do for each result, and the
             command that re-runs only them; exit 1 if any stack failed (including planned
             but not applied), else 0
  --replan   print only the stacks the next round plans again, one a line (exit 0): those
             whose saved plan was stale, and those skipped because the stacks they depend on
             are planned again
  --drift    a drift check (plans only): the stacks whose plan shows changes, and those that
             could not be planned; exit 2 on drift, 1 if a plan failed, else 0
  --plan     pull-request plans: each stack's plan, its output (DIR/**/<stack>.plan.txt)
             collapsed; exit 1 if a plan failed, else 0

Options:
${stacksOptionsUsage('the stacks that were to run')}
  --wave N        the wave, for the title and the re-run command
  -h, --help      show this help
`;

runCommand(
  {
    name: 'rollout-report',
    usage: USAGE,
    options: {
      stacks: { type: 'string' },
      'stacks-file': { type: 'string' },
      wave: { type: 'string' },
      replan: { type: 'boolean' },
      drift: { type: 'boolean' },
      plan: { type: 'boolean' },
    },
    positionals: { min: 1, max: 1 },
  },
  (args) => {
    const modes = ['replan', 'drift', 'plan'].filter((mode) => args.flag(mode));
    if (modes.length > 1) throw new UsageError(`--${modes[0]} and --${modes[1]} contradict each other: give one`);
    const stacks = stacksOption(args);
    if (stacks === undefined) throw new UsageError('--stacks or --stacks-file is required: the stacks that were to run');
    const dir = userPath(args.positionals[0]);
    const reports = readReports(dir, args.positionals[0]);
    const outcomes = finalOutcomes(stacks, reports, { applies: modes.length === 0 || modes[0] === 'replan' });
    if (args.flag('replan')) {
      const again = replanStacks(outcomes);
      if (again.length > 0) console.log(again.join('\n'));
      return 0;
    }
    if (args.flag('drift')) {
      console.log(driftMarkdown(outcomes));
      return outcomes.some(isFailed) ? 1 : outcomes.some((o) => o.result === 'changes') ? 2 : 0;
    }
    if (args.flag('plan')) {
      const outputs = planOutputs(dir);
      console.log(planMarkdown(outcomes, (stack) => outputs.get(stack)));
      return outcomes.some(isFailed) ? 1 : 0;
    }
    console.log(rolloutMarkdown(args.positiveInteger('wave'), outcomes));
    return outcomes.some(isFailed) ? 1 : 0;
  },
);

/**
 * The reports under DIR, each read once. Refuses a DIR that is not there (a typo would report
 * every stack failed, or with --replan none stale) and a report that is not what `npm run
 * shard` writes, naming the file, where and what.
 */
function readReports(dir: string, written: string): ShardReport[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CommandError(`${written} is not a folder: name the folder the shard reports (plan.json, apply.json) were downloaded into.`);
  }
  const fix = 'give the plan.json or apply.json that npm run shard wrote, unchanged';
  return reportFiles(dir).map((file) => {
    const name = displayPath(file);
    const report = readJsonInput(file, { kind: 'shard report', name, unreadableFix: fix });
    const issues: ConfigIssue[] = [];
    if (!isObject(report)) issues.push({ path: '(top level)', problem: 'is not an object', fix });
    else {
      if (report.command !== 'plan' && report.command !== 'apply') issues.push({ path: 'command', problem: 'is not "plan" or "apply"', value: report.command ?? null, fix });
      if (typeof report.shard !== 'string') issues.push({ path: 'shard', problem: 'is not a shard id', value: report.shard ?? null, fix });
      if (!Array.isArray(report.stacks)) issues.push({ path: 'stacks', problem: 'is not a list of stack outcomes', value: report.stacks ?? null, fix });
      else {
        report.stacks.forEach((outcome: unknown, index) => {
          for (const field of ['stack', 'result']) {
            const value = isObject(outcome) ? outcome[field] : undefined;
            if (typeof value !== 'string') issues.push({ path: `stacks[${index}].${field}`, problem: 'is not text', value: value ?? null, fix });
          }
        });
      }
    }
    if (issues.length > 0) throw new ConfigError(name, issues, 'shard report');
    return report as ShardReport;
  });
}

/** `<stack>.plan.txt` files under `dir`, by stack. */
function planOutputs(dir: string): Map<string, string> {
  const suffix = '.plan.txt';
  return new Map(filesUnder(dir, (name) => name.endsWith(suffix)).map((file) => [path.basename(file, suffix), fs.readFileSync(file, 'utf8')]));
}
