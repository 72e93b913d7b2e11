/**
 * The outcome of a roll-out wave, a drift check or a pull request's plans, from the reports
 * (plan.json, apply.json) that every shard job uploads: one line per stack that needs
 * attention, and for a roll-out the command that re-runs only those stacks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAILED_RESULTS, type ShardReport, type StackOutcome } from './shard-runner';

/** A stack's final outcome: the last round it ran in, its apply if that round applied it, else its plan. */
export interface FinalOutcome extends StackOutcome {
  round: number;
  shard: string;
}

/** Files under `dir`, at any depth, whose name matches; none when `dir` does not exist. */
export function filesUnder(dir: string, match: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(file, match);
    return match(entry.name) ? [file] : [];
  });
}

/** Every plan.json and apply.json under `dir` (download-artifact puts each artifact in a folder of its name). */
export function readReports(dir: string): ShardReport[] {
  return filesUnder(dir, (name) => name === 'plan.json' || name === 'apply.json').map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as ShardReport);
}

/** The round of a shard id (`w2-r2-001` is round 2); ids without one are round 1. */
export function roundOf(shard: string): number {
  return Number(/(?:^|-)r(\d+)-/.exec(shard)?.[1] ?? 1);
}

/**
 * Each expected stack's final outcome, in the order of `stacks`. In a roll-out (`applies`), a
 * planned change that no apply report covers (the approval was rejected, the apply job never
 * ran) failed; so did, always, a stack that no report names (its job failed before writing one).
 */
export function finalOutcomes(stacks: string[], reports: ShardReport[], { applies }: { applies: boolean }): FinalOutcome[] {
  const latest = new Map<string, { round: number; plan?: FinalOutcome; apply?: FinalOutcome }>();
  for (const report of reports) {
    if (!applies && report.command === 'apply') continue;
    const round = roundOf(report.shard);
    for (const outcome of report.stacks) {
      const entry = latest.get(outcome.stack);
      if (entry && entry.round > round) continue;
      const fresh = !entry || entry.round < round ? { round } : entry;
      fresh[report.command] = { ...outcome, round, shard: report.shard };
      latest.set(outcome.stack, fresh);
    }
  }
  return stacks.map((stack): FinalOutcome => {
    const entry = latest.get(stack);
    if (!entry) return { stack, result: 'failed', round: 0, shard: '', message: 'no report: its job failed before writing one, see the workflow run' };
    if (entry.apply) return entry.apply;
    const plan = entry.plan;
    if (!plan) return { stack, result: 'failed', round: entry.round, shard: '', message: 'no plan report in its last round' };
    if (!applies) return plan;
    if (plan.result === 'changes') return { ...plan, result: 'failed', message: 'planned but not applied: the approval was rejected or the apply job failed' };
    if (plan.result === 'no-changes') return { ...plan, result: 'unchanged' };
    return plan;
  });
}

export const isFailed = (outcome: StackOutcome): boolean => FAILED_RESULTS.has(outcome.result);

/** Space-separated names; stack names are letters, digits, `-` and `_` (config/schema.json), safe in double quotes. */
const names = (outcomes: StackOutcome[]): string => outcomes.map((o) => o.stack).join(' ');

function countLine(outcomes: StackOutcome[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome.result, (counts.get(outcome.result) ?? 0) + 1);
  return [...counts].map(([result, n]) => `${n} ${result}`).join(', ') || 'no stacks';
}

function table(outcomes: StackOutcome[], withCounts: boolean): string[] {
  const cell = (text: string | number | undefined): string => String(text ?? '').replace(/\|/g, '\\|');
  return [
    withCounts ? '| stack | result | add | change | destroy | note |' : '| stack | result | note |',
    withCounts ? '| --- | --- | ---: | ---: | ---: | --- |' : '| --- | --- | --- |',
    ...outcomes.map((o) =>
      withCounts ? `| ${o.stack} | ${o.result} | ${cell(o.add)} | ${cell(o.change)} | ${cell(o.destroy)} | ${cell(o.message)} |` : `| ${o.stack} | ${o.result} | ${cell(o.message)} |`,
    ),
  ];
}

/** The end of a roll-out wave: counts, the failed stacks, and how to re-run only them. */
export function rolloutMarkdown(wave: number | undefined, outcomes: FinalOutcome[], workflow = 'rollout.yml'): string {
  const failed = outcomes.filter(isFailed);
  const title = `### Roll-out${wave === undefined ? '' : ` of wave ${wave}`}: ${countLine(outcomes)}`;
  if (failed.length === 0) return `${title}\n\nNo stack failed.\n`;
  return [
    title,
    '',
    `**${failed.length} of ${outcomes.length} stacks failed:**`,
    '',
    ...table(failed, false),
    '',
    'Re-run only these stacks (after fixing the cause; the later waves follow once they succeed):',
    '',
    '```sh',
    `gh workflow run ${workflow} --ref main${wave === undefined ? '' : ` -f from-wave=${wave}`} -f stacks="${names(failed)}"`,
    '```',
    '',
  ].join('\n');
}

/** A drift check: the stacks whose real state differs from the code, and those that failed to plan. */
export function driftMarkdown(outcomes: FinalOutcome[]): string {
  const drifted = outcomes.filter((o) => o.result === 'changes');
  const failed = outcomes.filter(isFailed);
  const lines = [`### Drift: ${drifted.length} of ${outcomes.length} stacks drifted, ${failed.length} could not be planned`, ''];
  if (drifted.length > 0) lines.push('**Drifted** (terraform plan shows changes):', '', ...table(drifted, true), '');
  if (failed.length > 0) lines.push('**Could not be planned:**', '', ...table(failed, false), '');
  if (drifted.length === 0 && failed.length === 0) lines.push('Every stack matches its code.', '');
  return lines.join('\n');
}

/** Pull-request plans: every changed stack's plan, its output collapsed below. */
export function planMarkdown(outcomes: FinalOutcome[], output: (stack: string) => string | undefined): string {
  const lines = ['#### terraform plan of the changed stacks', '', countLine(outcomes), ''];
  for (const outcome of outcomes) {
    const summary =
      outcome.result === 'changes'
        ? `Plan: ${outcome.add} to add, ${outcome.change} to change, ${outcome.destroy} to destroy`
        : outcome.result === 'no-changes'
          ? 'No changes'
          : `❌ ${outcome.message ?? outcome.result}`;
    const text = output(outcome.stack);
    lines.push(`<details><summary><b>${outcome.stack}</b>: ${summary}</summary>`, '');
    if (text !== undefined) lines.push('````text', text.length > 30000 ? `…${text.slice(-30000)}` : text.trimEnd(), '````');
    lines.push('</details>', '');
  }
  return lines.join('\n');
}
