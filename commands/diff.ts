/**
 * `npm run diff -- --base <ref>`: what a change does to the synthesized Terraform, offline,
 * for reviewers without AWS credentials. See HELP and docs/REVIEWING.md.
 */
import { statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CommandError, configFile, runCommand, UsageError, userPath, type CommandLine } from './cli';
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
  --config <path>     the config both revisions synthesize (default: $DD_CLOUDTRAIL_CONFIG;
                      one of them is required), each revision its own copy of it. A config
                      that the base revision lacks counts as no stacks there.
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
  const config = configFile(args).file;
  for (const option of ['json-file', 'markdown-file']) {
    const file = args.string(option);
    if (file !== undefined && !isFolder(path.dirname(userPath(file)))) {
      throw new CommandError(`${args.written(option)} ${file}: its folder does not exist; name a file in an existing folder.`);
    }
  }
  try {
    const report = await runDiff({
      cwd: process.cwd(),
      base,
      head: args.string('head'),
      config,
      log: (line) => console.error(line),
    });
    const json = toJson(report);
    const jsonText = `${JSON.stringify(json, null, 2)}\n`;
    if (jsonFile) writeReport(args.written('json-file'), jsonFile, jsonText);
    if (markdownFile) writeReport(args.written('markdown-file'), markdownFile, toMarkdown(report, { limit: Number.POSITIVE_INFINITY }));
    process.stdout.write(args.flag('json') ? jsonText : toMarkdown(report, markdownFile ? { fullReport: `the full report, ${markdownFile}` } : {}));
    return json.exitCode;
  } catch (error) {
    if (!(error instanceof DiffError)) throw error;
    console.error(error.message);
    if (error.detail) console.error(error.detail);
    return 1;
  }
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Writes a report where the user asked, from the folder they ran the command in. */
function writeReport(option: string, file: string, text: string): void {
  try {
    writeFileSync(userPath(file), text);
  } catch (error) {
    throw new CommandError(`${option} ${file}: cannot write the report there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); name a file in an existing folder.`);
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
