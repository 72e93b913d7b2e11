/**
 * `npm run diff -- --base <ref>`: what a change does to the synthesized Terraform, offline,
 * for reviewers without AWS credentials. See HELP and docs/REVIEWING.md.
 */
import { writeFileSync } from 'node:fs';
import { runCommand, UsageError, type CommandLine } from './cli';
import { DiffError } from './diff/git';
import { toJson, toMarkdown } from './diff/render';
import { runDiff } from './diff/run';

const HELP = `Usage: npm run diff -- --base <git ref> [--head <git ref>] [--config <path>] [--json] [--json-file <path>] [--markdown-file <path>]

Synthesizes two revisions offline, each with its own code (its main.ts, with this checkout's
node_modules), and compares them stack by stack: stacks and resources added, changed,
destroyed or replaced, and every IAM policy statement by statement, each change classified
as widening, narrowing or neutral. Needs git and node_modules; no AWS credentials, no terraform.

Options:
  --base <ref>        the revision to compare against (a branch, tag or commit: origin/main)
  --head <ref>        the new revision (default: the working tree, uncommitted changes included)
  --config <path>     the config both revisions synthesize, relative to the repository
                      (default: examples/single-account.json). A config that the base revision
                      lacks counts as no stacks there.
  --json              print the JSON report instead of Markdown
  --json-file <path>  also write the JSON report to <path> (Markdown still goes to stdout)
  --markdown-file <path>
                      also write the full Markdown report to <path>, with no length limit
  -h, --help          show this help

Output: Markdown for a pull-request comment (the verdict and its reasons, a summary table, then
one <details> section per change; stacks that change the same way, but for their own account ID,
external ID and name, share one), at most
60,000 characters: what does not fit is left out, saying so (the full report: --markdown-file);
or with --json: {version: 1, base, head, config, exitCode, needsReview,
reviewReasons[], changedStacks[], notes[], summary, stacks[]}; docs/REVIEWING.md documents
every field. Progress goes to stderr.

Exit codes:
  0  nothing needs a security review: no change, or only narrowing and neutral changes
  2  needs a security review: a policy widens, a resource is destroyed or replaced (or a
     stack is removed), or log protection weakens (shorter retention; versioning, access
     logging, KMS, log file validation or multi-region off; event selectors changed)
  1  error: unknown ref, synthesis failed (its output is printed), bad arguments
`;

async function main(args: CommandLine): Promise<number> {
  const base = args.string('base');
  if (!base) throw new UsageError('--base <git ref> is required (for example --base origin/main)');
  const jsonFile = args.string('json-file');
  const markdownFile = args.string('markdown-file');
  try {
    const report = await runDiff({
      cwd: process.cwd(),
      base,
      head: args.string('head'),
      config: args.string('config'),
      log: (line) => console.error(line),
    });
    const json = toJson(report);
    const jsonText = `${JSON.stringify(json, null, 2)}\n`;
    if (jsonFile) writeFileSync(jsonFile, jsonText);
    if (markdownFile) writeFileSync(markdownFile, toMarkdown(report, { limit: Number.POSITIVE_INFINITY }));
    process.stdout.write(args.flag('json') ? jsonText : toMarkdown(report, markdownFile ? { fullReport: `the full report, ${markdownFile}` } : {}));
    return json.exitCode;
  } catch (error) {
    if (!(error instanceof DiffError)) throw error;
    console.error(error.message);
    if (error.detail) console.error(error.detail);
    return 1;
  }
}

runCommand(
  {
    name: 'diff',
    usage: HELP,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      'json-file': { type: 'string' },
      'markdown-file': { type: 'string' },
    },
  },
  main,
);
