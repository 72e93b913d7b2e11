/**
 * `npm run approvals -- --waves "1 2"`: refuses a roll-out whose wave environments would let it
 * apply without anyone's approval (rollout/approval-gates.ts). Run by rollout.yml before the
 * first wave, and by each round before its approval.
 */
import * as fs from 'node:fs';
import { CommandError, runCommand, UsageError } from '../commands/cli';
import { environmentOf, gatesMarkdown, gateWarnings, HOW_TO_PROTECT, OPT_OUT_VARIABLE, readGates } from './approval-gates';

const USAGE = `Usage: npm run approvals -- --waves "N ..." [--summary FILE]

Reads the protection rules of each wave's GitHub environment (wave-N) and exits 1, saying what
to configure, unless each one requires reviewers: GitHub creates an environment that does not
exist on first use, with no reviewers, and the wave would apply without anyone's approval.
Prints who the reviewers are, whether self-review is prevented and whether administrators may
bypass (a warning each, not a failure).

Reads GITHUB_REPOSITORY (owner/name), GITHUB_TOKEN (permissions: actions: read) and
GITHUB_API_URL (default https://api.github.com), as a GitHub Actions job has them. With
${OPT_OUT_VARIABLE}=true (a repository variable the workflow passes), every problem is a
warning and it exits 0: the repository rolls out without approvals, on purpose.

Options:
  --waves "N ..."   the waves (numbers, space- or comma-separated)
  --summary FILE    append the table of environments to FILE ($GITHUB_STEP_SUMMARY)
  -h, --help        show this help
`;

runCommand(
  { name: 'approvals', usage: USAGE, options: { waves: { type: 'string' }, summary: { type: 'string' } } },
  async (args) => {
    const text = args.string('waves');
    if (text === undefined) throw new UsageError('--waves is required: the waves whose environments gate an apply');
    const waves = text.split(/[\s,]+/).filter(Boolean);
    const bad = waves.find((wave) => !/^[1-9]\d{0,5}$/.test(wave));
    if (bad !== undefined) throw new UsageError(`--waves takes wave numbers (1, 2, ...), got ${JSON.stringify(bad)}`);
    if (waves.length === 0) throw new UsageError('--waves names no wave');

    const env = process.env;
    const optOut = env[OPT_OUT_VARIABLE] ?? '';
    if (optOut !== '' && optOut !== 'true') throw new CommandError(`${OPT_OUT_VARIABLE}=${JSON.stringify(optOut)}: set it to true to roll out without approvals, or unset it.`);
    const repository = env.GITHUB_REPOSITORY ?? '';
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new CommandError(`GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(repository)}: run this in a GitHub Actions job.`);
    if (!env.GITHUB_TOKEN) throw new CommandError('GITHUB_TOKEN is not set: pass the job\'s token (env: GITHUB_TOKEN: ${{ github.token }}).');

    const gates = await readGates(
      [...new Set(waves.map(Number))].map(environmentOf),
      { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository, token: env.GITHUB_TOKEN },
    );
    const table = gatesMarkdown(gates);
    const summary = args.string('summary');
    if (summary !== undefined) fs.appendFileSync(summary, `### Approval of each wave\n\n${table}\n`);
    console.log(table);

    // Workflow commands: annotations on the run (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands).
    const annotate = env.GITHUB_ACTIONS === 'true';
    const say = (level: 'error' | 'warning', message: string): void => console.log(annotate ? `::${level}::${message}` : `${level}: ${message}`);
    for (const warning of gateWarnings(gates)) say('warning', warning);
    const problems = gates.flatMap((gate) => (gate.problem === undefined ? [] : [gate.problem]));
    if (problems.length === 0) return 0;
    if (optOut === 'true') {
      say('warning', `${problems.join('; ')}. ${OPT_OUT_VARIABLE} is true: rolling out without approvals.`);
      return 0;
    }
    say('error', `Nothing was applied: ${problems.join('; ')}. A wave would apply without anyone's approval. ${HOW_TO_PROTECT}`);
    return 1;
  },
);
