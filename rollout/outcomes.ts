/**
 * The outcome of a roll-out wave, a drift check or a pull request's plans, from the reports
 * (plan.json, apply.json) that every shard job uploads: one line per stack that needs
 * attention, and for a roll-out the command that re-runs only those stacks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAILED_RESULTS, type ShardReport, type StackOutcome, type StackResult } from './shard-runner';

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
export function reportFiles(dir: string): string[] {
  return filesUnder(dir, (name) => name === 'plan.json' || name === 'apply.json');
}

/** The round of a shard id (`w2-r2-001` is round 2); ids without one are round 1. */
export function roundOf(shard: string): number {
  return Number(/(?:^|-)r(\d+)-/.exec(shard)?.[1] ?? 1);
}

/**
 * Each expected stack's final outcome, in the order of `stacks`. In a roll-out (`applies`), a
 * planned change that no apply report covers failed, and the note says whether its shard's
 * apply job wrote no report at all (the approval was rejected or never given, or the job
 * failed before terraform ran); a stack that no report names failed (its job failed before
 * writing one).
 */
export function finalOutcomes(stacks: string[], reports: ShardReport[], { applies }: { applies: boolean }): FinalOutcome[] {
  const latest = new Map<string, { round: number; plan?: FinalOutcome; apply?: FinalOutcome }>();
  const applyReports = new Set(reports.filter((report) => report.command === 'apply').map((report) => report.shard));
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
    const outcome = entry.apply ?? entry.plan;
    if (!outcome) return { stack, result: 'failed', round: entry.round, shard: '', message: 'no plan report in its last round' };
    if (outcome.result === 'pending') return { ...outcome, message: `its job was killed before it ended: ${NEXT_STEP.pending}` };
    if (!applies || entry.apply) return outcome;
    if (outcome.result === 'changes') {
      const why = applyReports.has(outcome.shard)
        ? `the apply report of shard ${outcome.shard} does not name it`
        : `shard ${outcome.shard} wrote no apply report: the approval of the wave was rejected or never given, or its apply job failed before terraform ran (see the workflow run)`;
      return { ...outcome, result: 'failed', message: `planned but not applied: ${why}` };
    }
    if (outcome.result === 'no-changes') return { ...outcome, result: 'unchanged' };
    return outcome;
  });
}

/** What to do about a stack that ended so, in the reports: each result that needs attention has one. */
export const NEXT_STEP: Partial<Record<StackResult, string>> = {
  failed: 'read its terraform output (the job log, or <stack>.plan.txt / <stack>.apply.txt in the artifacts), fix the cause and re-run it',
  stale: 'its state changed after the plan, so Terraform refused the saved plan: the next round plans it again for a new approval; stale in that round too, re-run it',
  skipped:
    'a stack it depends on was not applied: if that one was stale, the next round plans both again; else fix that one and re-run both',
  'not-planned': 'its plan did not end with changes to apply: see its plan',
  locked:
    'another run holds its state lock: once nobody runs terraform on it, `terraform force-unlock -force <ID>` (its note names the ID) in its stack directory, then re-run it',
  interrupted:
    'terraform was interrupted (the run was cancelled, or the command ran out of time): plan it again; an interrupted apply may have applied part of its plan. If its note names a lock it held, force-unlock it should the next plan find the state locked',
  cancelled: 'the run was cancelled before it started: re-run it',
  missing: 'its job synthesized a config without it: run with the config the shards came from (DD_CLOUDTRAIL_CONFIG), or leave it out',
  pending: 'its job was killed before the stack ended: plan it again, and if the state is then locked, force-unlock it',
};

/**
 * The stacks the next round of a wave plans again: those whose saved plan was stale, and those
 * skipped because every stack they wait for is planned again (the management stack behind a
 * stale log-archive stack). `outcomes` are in deploy order, dependencies first.
 */
export function replanStacks(outcomes: StackOutcome[]): string[] {
  const again = new Set<string>();
  for (const outcome of outcomes) {
    const blockers = outcome.blockedBy ?? [];
    if (outcome.result === 'stale' || (outcome.result === 'skipped' && blockers.length > 0 && blockers.every((stack) => again.has(stack)))) again.add(outcome.stack);
  }
  return outcomes.filter((outcome) => again.has(outcome.stack)).map((outcome) => outcome.stack);
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

/** A workflow_dispatch input holds at most this many characters (docs/ROLLOUT.md, "Re-running stacks"). */
const DISPATCH_INPUT_LIMIT = 65_535;

/** The end of a roll-out wave: counts, the failed stacks with what to do for each result, and how to re-run only them. */
export function rolloutMarkdown(wave: number | undefined, outcomes: FinalOutcome[], workflow = 'rollout.yml'): string {
  const failed = outcomes.filter(isFailed);
  const title = `### Roll-out${wave === undefined ? '' : ` of wave ${wave}`}: ${countLine(outcomes)}`;
  if (failed.length === 0) return `${title}\n\nNo stack failed.\n`;
  const results = [...new Set(failed.map((outcome) => outcome.result))];
  const list = names(failed);
  const fromWave = wave === undefined ? '' : ` -f from-wave=${wave}`;
  const rerun =
    list.length < DISPATCH_INPUT_LIMIT - 100
      ? ['Re-run only these stacks (after fixing the cause; the later waves follow once they succeed):', '', '```sh', `gh workflow run ${workflow} --ref main${fromWave} -f stacks="${list}"`, '```']
      : [
          `Too many to name in a re-run (a workflow_dispatch input holds ${DISPATCH_INPUT_LIMIT} characters): re-run the whole wave, whose applied stacks plan no changes:`,
          '',
          '```sh',
          `gh workflow run ${workflow} --ref main${fromWave}`,
          '```',
        ];
  return [
    title,
    '',
    `**${failed.length} of ${outcomes.length} stacks failed:**`,
    '',
    ...table(failed, false),
    '',
    'What to do:',
    '',
    ...results.map((result) => `- **${result}**: ${NEXT_STEP[result] ?? 'see its note'}`),
    '',
    ...rerun,
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
