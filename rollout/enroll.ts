/**
 * `npm run enroll -- --config FILE [--branch NAME] [--app-slug SLUG]` (see USAGE): what
 * .github/workflows/enroll.yml runs, on the default branch, with read-only AWS credentials for
 * AWS Organizations and a GitHub App's token.
 *
 * 1. Lists the organization with the AWS CLI: `list-accounts`, and, when the enrollment scope
 *    names OUs, `list-roots` and each root's and OU's OUs and accounts. A failed call stops
 *    everything: nothing is written, and the run fails with the CLI's message.
 * 2. Runs import-accounts on those files, first against the default branch's config.
 * 3. When that adds accounts the enrollment branch does not have yet: commits them there (on
 *    the open pull request's branch, with whatever people added to it, else on a fresh branch
 *    from the default branch) and pushes. No new account: no commit.
 * 4. Opens the one pull request of that branch, or updates its title and body (accounts added,
 *    accounts that left, external IDs still needed). It is a draft while any account lacks the
 *    external ID synth needs. No change: nothing is edited.
 *
 * The App's token (not GITHUB_TOKEN) makes the pull request start plan.yml like a person's:
 * GitHub starts no workflow for events caused by GITHUB_TOKEN
 * (https://docs.github.com/en/actions/concepts/security/github_token#when-github_token-triggers-workflow-runs).
 */
import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXTERNAL_ID_SOURCE } from '../config/checks';
import { enrollmentScope, scopeNeedsTree } from '../config/enrollment';
import { isObject, parseJson } from '../config/json';
import { formatIssues } from '../config/errors';
import { validateDocument } from '../config/load';
import type { Config } from '../config/types';
import { CommandError, type CommandLine, runCommand, UsageError } from '../commands/cli';
import { type ImportOutcome, importFiles, type LeftAccount, listedAccounts } from '../commands/import-accounts';

/** The branch of the one enrollment pull request. */
export const ENROLLMENT_BRANCH = 'datadog-cloudtrail/enrollment';
/** First line of the pull request's body: how a later run recognizes it. */
export const BODY_MARKER = '<!-- datadog-cloudtrail-enrollment -->';
/** AWS CLI calls in flight at once while listing the OU tree. */
const CONCURRENT_CALLS = 4;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (result.error) throw new CommandError(`${command} could not run: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runAsync(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr: status === null ? `${stderr}${error?.message ?? ''}` : stderr });
    });
  });
}

const firstLines = (text: string): string => text.trim().split('\n').slice(0, 20).join('\n');

/** The AWS CLI's JSON answer, or an error that says which call failed, why, and what to check. */
async function aws(args: string[]): Promise<unknown> {
  const call = `aws organizations ${args.join(' ')}`;
  const result = await runAsync('aws', ['organizations', ...args, '--output', 'json']);
  if (result.status !== 0) {
    const denied = /AccessDenied|not authorized/i.test(result.stderr)
      ? '\nThe enrollment role may list the organization only as far as its policies allow: npm run policies -- --ci prints them (and, outside the management account, the Organizations delegation policy).'
      : '';
    throw new CommandError(`${call} failed (exit code ${result.status ?? 'none'}):\n${firstLines(result.stderr) || '(no message)'}${denied}\nNothing was written.`);
  }
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new CommandError(`${call} printed no JSON: ${firstLines(result.stdout)}\nNothing was written.`);
  }
}

const itemsOf = (output: unknown, key: string): unknown[] => (isObject(output) && Array.isArray(output[key]) ? output[key] : []);

/**
 * The organization tree import-accounts reads: the roots, and each root's and OU's child OUs and
 * accounts, walked breadth first a few calls at a time. The CLI follows NextToken itself
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-pagination.html).
 */
async function listTree(): Promise<unknown> {
  const roots = itemsOf(await aws(['list-roots']), 'Roots') as Array<{ Id: string }>;
  const parents: unknown[] = [];
  let queue = roots.map((root) => root.Id);
  while (queue.length > 0) {
    const next: string[] = [];
    for (let start = 0; start < queue.length; start += CONCURRENT_CALLS) {
      const batch = queue.slice(start, start + CONCURRENT_CALLS);
      const listed = await Promise.all(
        batch.map(async (parentId) => {
          const units = itemsOf(await aws(['list-organizational-units-for-parent', '--parent-id', parentId]), 'OrganizationalUnits') as Array<{ Id: string }>;
          const accounts = itemsOf(await aws(['list-accounts-for-parent', '--parent-id', parentId]), 'Accounts');
          return { ParentId: parentId, OrganizationalUnits: units, Accounts: accounts };
        }),
      );
      for (const parent of listed) {
        parents.push(parent);
        next.push(...parent.OrganizationalUnits.map((unit) => unit.Id));
      }
    }
    queue = next;
  }
  return { Roots: roots, Parents: parents };
}

/** Writes accounts.json (and organization.json when the scope names OUs) into `dir`. */
export async function gather(config: Config, dir: string): Promise<{ listAccounts: string; organization?: string }> {
  const accounts = await aws(['list-accounts']);
  listedAccounts(accounts);
  const tree = scopeNeedsTree(enrollmentScope(config)) ? await listTree() : undefined;
  const listAccounts = path.join(dir, 'accounts.json');
  writeFileSync(listAccounts, JSON.stringify(accounts));
  if (tree === undefined) return { listAccounts };
  const organization = path.join(dir, 'organization.json');
  writeFileSync(organization, JSON.stringify(tree));
  return { listAccounts, organization };
}

/** The files --gather wrote into `dir`. */
function listingIn(dir: string): { listAccounts: string; organization?: string } {
  const organization = path.join(dir, 'organization.json');
  return { listAccounts: path.join(dir, 'accounts.json'), ...(existsSync(organization) ? { organization } : {}) };
}

/** Text from AWS or the config, safe inside a Markdown code span and a table cell: no backtick, pipe or line break. */
const code = (text: string): string => `\`${text.replace(/[`|\r\n]+/g, ' ')}\``;

export interface PullRequestContent {
  title: string;
  body: string;
  /** A draft while any account lacks its external ID. */
  draft: boolean;
}

export interface PullRequestFacts {
  /** Accounts of the branch's config that the default branch does not have, with their AWS names where known. */
  added: Array<{ name: string; accountId: string; wave?: number; region: string; awsName?: string }>;
  externalIdsNeeded: Array<{ name: string; accountId: string }>;
  left: LeftAccount[];
  skipped: ImportOutcome['skipped'];
  outOfScope: number;
  branch: string;
  config: string;
}

/** Rows per table of the body, and the body's length: GitHub refuses a body over 65,536 characters. */
const MAX_ROWS = 100;
const MAX_BODY = 60_000;

/** A table's rows, at most MAX_ROWS, then one saying how many more there are. */
function rows<T>(items: readonly T[], row: (item: T) => string, columns: number): string[] {
  const shown = items.slice(0, MAX_ROWS).map(row);
  return items.length > MAX_ROWS ? [...shown, `| and ${items.length - MAX_ROWS} more |${' |'.repeat(columns - 1)}`] : shown;
}

/** The pull request's title and body, from what import-accounts found. The same facts give the same text. */
export function pullRequestContent(facts: PullRequestFacts): PullRequestContent {
  const count = facts.added.length;
  const title = `datadog-cloudtrail: enroll ${count} new AWS account${count === 1 ? '' : 's'}`;
  const lines = [
    BODY_MARKER,
    `Opened by the enrollment workflow (\`.github/workflows/enroll.yml\`): \`aws organizations list-accounts\` lists ${count === 1 ? 'an account' : 'accounts'} that \`${facts.config}\` does not have. Review it like any change: \`plan.yml\` comments with the diff and the plan, and once merged the roll-out deploys each account in its wave.`,
    '',
    `### Accounts added (${count})`,
    '',
    '| stack | AWS account | AWS name | wave | region |',
    '| --- | --- | --- | --- | --- |',
    ...rows(facts.added, (account) => `| ${code(account.name)} | ${account.accountId} | ${account.awsName === undefined ? '' : code(account.awsName)} | ${account.wave ?? 1} | ${account.region} |`, 5),
  ];
  const draft = facts.externalIdsNeeded.length > 0;
  if (draft) {
    lines.push(
      '',
      `### External IDs still needed (${facts.externalIdsNeeded.length}): this pull request stays a draft until each account has one`,
      '',
      "Datadog issues an external ID for each AWS account, and each account's Datadog role must trust its own: synth refuses an account without one, so `plan.yml` cannot plan these stacks and they cannot deploy.",
      `For each account below: ${EXTERNAL_ID_SOURCE}. Commit them to this pull request's branch, \`${facts.branch}\` (later enrollment runs build on it), then mark the pull request ready for review.`,
      '',
      '| stack | AWS account |',
      '| --- | --- |',
      ...rows(facts.externalIdsNeeded, (account) => `| ${code(account.name)} | ${account.accountId} |`, 2),
    );
  }
  if (facts.left.length > 0) {
    lines.push(
      '',
      `### Accounts that left (${facts.left.length}): still in the config`,
      '',
      'Nothing removes them, and removing an entry destroys nothing by itself: its stack\'s trail, bucket, key, forwarder and Datadog role stay in AWS, no longer managed. To retire one, see docs/ROLLOUT.md, Retiring an account.',
      '',
      '| stack | AWS account | why |',
      '| --- | --- | --- |',
      ...rows(facts.left, (account) => `| ${code(account.name)} | ${account.accountId} | ${code(account.reason)} |`, 3),
    );
  }
  if (facts.skipped.length > 0 || facts.outOfScope > 0) {
    lines.push(
      '',
      '### Not enrolled',
      '',
      ...facts.skipped.slice(0, MAX_ROWS).map((skip) => `- ${skip.name === undefined ? '' : `${code(skip.name)} `}${skip.id}: ${skip.reason}`),
      ...(facts.skipped.length > MAX_ROWS ? [`- and ${facts.skipped.length - MAX_ROWS} more not active`] : []),
      ...(facts.outOfScope > 0 ? [`- ${facts.outOfScope} active account${facts.outOfScope === 1 ? '' : 's'} outside the enrollment scope (\`enrollment\` in the config)`] : []),
    );
  }
  const body = `${lines.join('\n')}\n`;
  const fits = body.length <= MAX_BODY ? body : `${body.slice(0, MAX_BODY)}\n\n…cut here: the job summary of the enrollment run has the whole report.\n`;
  return { title, body: fits, draft };
}

/** The repository's git and the GitHub CLI, in the working tree `cwd`. */
class Repository {
  constructor(
    readonly cwd: string,
    private readonly repo: string | undefined,
  ) {}

  git(...args: string[]): string {
    const result = run('git', [...this.credentials(args[0]), ...args], this.cwd);
    if (result.status !== 0) throw new CommandError(`git ${args.join(' ')} failed (exit code ${result.status}):\n${firstLines(result.stderr || result.stdout)}`);
    return result.stdout;
  }

  tries(...args: string[]): boolean {
    return run('git', args, this.cwd).status === 0;
  }

  /**
   * For the commands that reach the remote: git asks gh for the credentials, that is for
   * GH_TOKEN, the App's token, and for nothing configured before (cli/cli#2944). The checkout
   * keeps no credentials of its own (persist-credentials: false).
   */
  private credentials(command: string): string[] {
    if (!process.env.GH_TOKEN || !['fetch', 'push', 'ls-remote'].includes(command)) return [];
    return ['-c', 'credential.helper=', '-c', 'credential.helper=!gh auth git-credential'];
  }

  gh(...args: string[]): string {
    // `gh pr` takes the repository as --repo; `gh api` names it in its path.
    const result = run('gh', [...args, ...(this.repo && args[0] === 'pr' ? ['--repo', this.repo] : [])], this.cwd);
    if (result.status !== 0) throw new CommandError(`gh ${args[0]} ${args[1] ?? ''} failed (exit code ${result.status}):\n${firstLines(result.stderr || result.stdout)}`);
    return result.stdout;
  }

  /** The remote branch's commit, or undefined when it does not exist. */
  remoteHead(branch: string): string | undefined {
    const line = this.git('ls-remote', '--heads', 'origin', `refs/heads/${branch}`).trim();
    return line === '' ? undefined : line.split(/\s/)[0];
  }
}

interface OpenPullRequest {
  number: number;
  isDraft: boolean;
  title: string;
  body: string;
}

export interface EnrollOptions {
  config: string;
  branch: string;
  /** The GitHub App's slug: its bot user authors the commits. */
  appSlug?: string;
  /** A listing --gather wrote, used instead of calling AWS. */
  listing?: string;
}

/** The config as JSON, valid but for the external IDs new accounts lack: checked before any AWS call. */
function readConfig(file: string): Config {
  let document: unknown;
  try {
    document = parseJson(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CommandError(`npm run enroll: cannot read the config ${file}: ${(error as Error).message}`);
  }
  const issues = validateDocument(document, { allowMissingExternalIds: true });
  if (issues.length > 0) throw new CommandError(formatIssues(file, issues).replace('No Terraform was written.', 'Nothing was listed or written.'));
  return document as Config;
}

/** The commit message: what was added, one line each. */
function commitMessage(outcome: ImportOutcome): string {
  const lines = outcome.added.map((account) => `+ ${account.name} (${account.accountId}) wave ${account.wave}`);
  const shown = lines.length > 50 ? [...lines.slice(0, 50), `and ${lines.length - 50} more`] : lines;
  return `Enroll ${outcome.added.length} new AWS account${outcome.added.length === 1 ? '' : 's'}\n\n${shown.join('\n')}\n`;
}

/** The bot user of a GitHub App, as GitHub's own commits by it name it (actions/create-github-app-token README). */
function appIdentity(repository: Repository, slug: string): Record<string, string> {
  const id = repository.gh('api', `/users/${slug}[bot]`, '--jq', '.id').trim();
  const name = `${slug}[bot]`;
  const email = `${id}+${slug}[bot]@users.noreply.github.com`;
  return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
}

export interface EnrollResult {
  /** What the run did, for the log and the job summary. */
  report: string;
  /** The accounts of the config that left, for the run's warnings. */
  left: LeftAccount[];
}

export async function enroll(options: EnrollOptions, cwd: string = process.cwd()): Promise<EnrollResult> {
  const configFile = path.resolve(cwd, options.config);
  const base = readConfig(configFile);
  const expected = base.github?.repository;
  const actual = process.env.GITHUB_REPOSITORY;
  if (expected !== undefined && actual !== undefined && actual !== expected) {
    throw new CommandError(`${options.config} names the repository ${expected} (github.repository), but this workflow runs in ${actual}: the CI roles trust ${expected} only. Fix github.repository.`);
  }
  const defaultBranch = base.github?.defaultBranch ?? 'main';
  const repository = new Repository(cwd, actual ?? expected);
  const identity = options.appSlug ? appIdentity(repository, options.appSlug) : {};
  Object.assign(process.env, identity);

  const scratch = mkdtempSync(path.join(tmpdir(), 'enroll-'));
  try {
    const listing = options.listing === undefined ? await gather(base, scratch) : listingIn(options.listing);
    const importInto = (dryRun: boolean) => importFiles({ ...listing, config: configFile, options: {}, dryRun });
    const againstBase = importInto(true);
    // Into the checked-out branch: the import already made when its config is the one imported into.
    const importOnBranch = (): ImportOutcome => {
      if (readFileSync(configFile, 'utf8') !== againstBase.before) return importInto(false);
      writeFileSync(configFile, againstBase.after);
      return againstBase;
    };
    const awsNames = new Map(listedAccounts(JSON.parse(readFileSync(listing.listAccounts, 'utf8'))).map((account) => [account.Id, account.Name]));

    const top = repository.git('rev-parse', '--show-toplevel').trim();
    const configPath = path.relative(top, configFile).split(path.sep).join('/');
    repository.git('fetch', '--quiet', 'origin', defaultBranch);
    const branchHead = repository.remoteHead(options.branch);
    const open = JSON.parse(
      repository.gh('pr', 'list', '--head', options.branch, '--base', defaultBranch, '--state', 'open', '--json', 'number,isDraft,title,body', '--limit', '1'),
    ) as OpenPullRequest[];
    const pullRequest = branchHead === undefined ? undefined : open[0];

    let final: ImportOutcome | undefined;
    let pushed = false;
    if (pullRequest) {
      repository.git('fetch', '--quiet', 'origin', options.branch);
      const onBranch = parseJson(repository.git('show', `origin/${options.branch}:${configPath}`)) as Config;
      const known = new Set(onBranch.accounts.map((account) => account.accountId));
      repository.git('checkout', '--quiet', '-B', options.branch, `origin/${options.branch}`);
      if (againstBase.added.some((account) => !known.has(account.accountId))) {
        if (!repository.tries('merge-base', '--is-ancestor', `origin/${defaultBranch}`, 'HEAD')) mergeDefaultBranch(repository, defaultBranch, options.branch);
        final = importOnBranch();
        pushed = commitAndPush(repository, configPath, final, options.branch, branchHead);
      } else {
        final = importInto(true);
      }
    } else if (againstBase.added.length > 0) {
      repository.git('checkout', '--quiet', '-B', options.branch, `origin/${defaultBranch}`);
      final = importOnBranch();
      pushed = commitAndPush(repository, configPath, final, options.branch, branchHead);
    }

    const summary: string[] = [...againstBase.report];
    if (final === undefined) {
      summary.push('No account to enroll: no commit, no pull request.');
      return { report: summary.join('\n'), left: againstBase.left };
    }
    // Added by the pull request: what the default branch, as it is now, does not have.
    const onDefaultBranch = parseJson(repository.git('show', `origin/${defaultBranch}:${configPath}`)) as Config;
    const inBase = new Set(onDefaultBranch.accounts.map((account) => account.accountId));
    const content = pullRequestContent({
      added: final.config.accounts
        .filter((account) => !inBase.has(account.accountId))
        .map((account) => ({ ...account, awsName: awsNames.get(account.accountId) })),
      externalIdsNeeded: final.externalIdsNeeded,
      left: final.left,
      skipped: final.skipped,
      outOfScope: final.outOfScope,
      branch: options.branch,
      config: configPath,
    });
    const bodyFile = path.join(scratch, 'body.md');
    writeFileSync(bodyFile, content.body);
    if (pullRequest === undefined) {
      const url = repository.gh('pr', 'create', '--base', defaultBranch, '--head', options.branch, '--title', content.title, '--body-file', bodyFile, ...(content.draft ? ['--draft'] : [])).trim();
      summary.push(`Opened ${content.draft ? 'the draft pull request' : 'the pull request'} ${url}.`);
    } else {
      if (pullRequest.title !== content.title || pullRequest.body.trim() !== content.body.trim()) {
        repository.gh('pr', 'edit', String(pullRequest.number), '--title', content.title, '--body-file', bodyFile);
        summary.push(`Updated pull request #${pullRequest.number}${pushed ? ' (new commit)' : ''}.`);
      } else {
        summary.push(`Pull request #${pullRequest.number} is up to date: nothing changed.`);
      }
      if (content.draft && !pullRequest.isDraft) {
        repository.gh('pr', 'ready', String(pullRequest.number), '--undo');
        summary.push(`Converted pull request #${pullRequest.number} to a draft: accounts lack their external IDs.`);
      }
    }
    summary.push('', content.body);
    return { report: summary.join('\n'), left: final.left };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Brings the default branch into the enrollment branch, or stops, leaving both as they were. */
function mergeDefaultBranch(repository: Repository, defaultBranch: string, branch: string): void {
  if (repository.tries('merge', '--quiet', '--no-edit', `origin/${defaultBranch}`)) return;
  repository.tries('merge', '--abort');
  throw new CommandError(
    `${branch} conflicts with ${defaultBranch}: merge ${defaultBranch} into it and resolve the conflict, or close its pull request (the next run starts afresh from ${defaultBranch}). Nothing was pushed.`,
  );
}

/** Commits the config and pushes the branch; only over the commit seen at the start (force-with-lease). */
function commitAndPush(repository: Repository, configPath: string, outcome: ImportOutcome, branch: string, expectedHead: string | undefined): boolean {
  if (outcome.after === outcome.before) return false;
  repository.git('add', '--', configPath);
  repository.git('commit', '--quiet', '-m', commitMessage(outcome));
  // A branch left over without an open pull request is replaced; its commits stay in that
  // closed pull request. Anything pushed to it since this run began is never overwritten.
  repository.git('push', '--quiet', `--force-with-lease=refs/heads/${branch}:${expectedHead ?? ''}`, 'origin', `HEAD:refs/heads/${branch}`);
  return true;
}

/** A workflow command's message, escaped as the runner reads it (actions/toolkit, command.ts escapeData). */
const workflowCommandText = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

const USAGE = `Usage: npm run enroll -- --config FILE [--branch NAME] [--app-slug SLUG] [--listing DIR]
       npm run enroll -- --config FILE --gather DIR

What .github/workflows/enroll.yml runs: lists the AWS organization with the AWS CLI
(list-accounts; list-roots and each OU's OUs and accounts when the config's enrollment scope
names OUs), runs import-accounts on those files, and when it adds accounts, commits them to
the enrollment branch and opens or updates its one pull request (gh), a draft while accounts
lack external IDs. Nothing new: no commit, no pull request. A failed AWS call writes nothing.
Needs AWS credentials that may list the organization (npm run policies -- --ci), git with a
remote origin that may be pushed to, and gh authenticated (GH_TOKEN).

With --gather DIR, only lists the organization into DIR/accounts.json (and
DIR/organization.json), for npm run import-accounts by hand; with --listing DIR, enrolls from
such a listing instead of calling AWS.

Options:
  --config FILE     the config (default: $DD_CLOUDTRAIL_CONFIG; one is required)
  --branch NAME     the enrollment branch (default ${ENROLLMENT_BRANCH})
  --app-slug SLUG   the GitHub App whose bot user authors the commits
  --gather DIR      only list the organization into DIR
  --listing DIR     enroll from the listing in DIR, without calling AWS
  -h, --help        show this help
`;

async function main(args: CommandLine): Promise<number> {
  const config = args.string('config') ?? process.env.DD_CLOUDTRAIL_CONFIG;
  if (!config) throw new UsageError('--config FILE is required (or DD_CLOUDTRAIL_CONFIG): the config to enroll accounts into');
  const gatherInto = args.string('gather');
  if (gatherInto !== undefined && args.string('listing') !== undefined) throw new UsageError(`${args.written('gather')} and ${args.written('listing')} contradict each other: give one`);
  if (gatherInto !== undefined) {
    mkdirSync(gatherInto, { recursive: true });
    const written = await gather(readConfig(config), gatherInto);
    console.log(`Wrote ${Object.values(written).join(' and ')}.`);
    return 0;
  }
  const branch = args.string('branch') ?? ENROLLMENT_BRANCH;
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(branch) || branch.includes('..')) throw new UsageError(`${args.written('branch')} must be a plain branch name, got ${JSON.stringify(branch)}`);
  const { report, left } = await enroll({ config, branch, appSlug: args.string('app-slug'), listing: args.string('listing') });
  console.log(report);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${report}\n`);
  // One annotation per account that left, on the run's page
  // (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-a-warning-message).
  if (process.env.GITHUB_ACTIONS === 'true') {
    for (const account of left) console.log(`::warning title=An account left::${workflowCommandText(`${account.name} (${account.accountId}): ${account.reason}`)}`);
  }
  return 0;
}

if (require.main === module) runCommand(
  {
    name: 'enroll',
    usage: USAGE,
    options: { config: { type: 'string' }, branch: { type: 'string' }, 'app-slug': { type: 'string' }, gather: { type: 'string' }, listing: { type: 'string' } },
  },
  main,
);
