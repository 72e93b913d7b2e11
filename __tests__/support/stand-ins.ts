/**
 * Stand-in `aws` and `gh` commands for running rollout/enroll.ts end to end offline, put first
 * on the PATH. Each is a small Node script that answers from, and records into, files of one
 * directory:
 *
 * - `aws`: answers `aws organizations <call> [--parent-id ID] --output json` from aws.json,
 *   `{ "<call> [--parent-id ID]": <the JSON the CLI prints> | { "exit": n, "stderr": "…" } }`,
 *   and fails like the CLI (exit 252, a message on stderr) for a call it has no answer for.
 *   Every call is appended to aws-calls.log.
 * - `gh`: keeps the repository's pull requests in gh.json and implements what the script uses:
 *   `api /users/<slug>[bot] --jq .id`, `pr list --head B --base M --state open --json … --limit 1`,
 *   `pr create --base M --head B --title T --body-file F [--draft]` (refused, as GitHub does,
 *   when the branch is not on the remote), `pr edit N --title T --body-file F`,
 *   `pr ready N --undo`. Every call, with the token it ran with, is appended to gh-calls.log.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const AWS = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const dir = process.env.STAND_IN_DIR;
const args = process.argv.slice(2);
const at = args.indexOf('--output');
if (at >= 0) args.splice(at, 2);
fs.appendFileSync(path.join(dir, 'aws-calls.log'), args.join(' ') + '\\n');
const [service, ...call] = args;
const answers = JSON.parse(fs.readFileSync(path.join(dir, 'aws.json'), 'utf8'));
const answer = service === 'organizations' ? answers[call.join(' ')] : undefined;
if (answer === undefined) {
  process.stderr.write('\\naws: error: argument operation: Invalid choice: ' + args.join(' ') + '\\n');
  process.exit(252);
}
if (answer.exit !== undefined) {
  process.stderr.write(answer.stderr);
  process.exit(answer.exit);
}
process.stdout.write(JSON.stringify(answer, null, 4) + '\\n');
`;

const GH = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const dir = process.env.STAND_IN_DIR;
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'gh-calls.log'), JSON.stringify({ args, token: process.env.GH_TOKEN }) + '\\n');
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const stateFile = path.join(dir, 'gh.json');
const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : { pullRequests: [] };
const save = () => fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
const fail = (message) => { process.stderr.write(message + '\\n'); process.exit(1); };
const [group, command, subject] = args;
if (group === 'api' && /^\\/users\\/[^/]+\\[bot\\]$/.test(command) && option('--jq') === '.id') {
  process.stdout.write('4242\\n');
} else if (group === 'pr' && command === 'list') {
  const found = state.pullRequests.filter((pr) => pr.state === 'OPEN' && pr.head === option('--head') && pr.base === option('--base'));
  const fields = option('--json').split(',');
  process.stdout.write(JSON.stringify(found.slice(0, Number(option('--limit') || 30)).map((pr) => Object.fromEntries(fields.map((f) => [f, pr[f]])))) + '\\n');
} else if (group === 'pr' && command === 'create') {
  const head = option('--head');
  const remote = execFileSync('git', ['ls-remote', '--heads', process.env.STAND_IN_REMOTE, 'refs/heads/' + head], { encoding: 'utf8' });
  if (remote.trim() === '') fail('pull request create failed: GraphQL: Head sha can\\'t be blank, Base sha can\\'t be blank, No commits between main and ' + head + ', Head ref must be a branch (createPullRequest)');
  const number = state.pullRequests.length + 1;
  state.pullRequests.push({ number, state: 'OPEN', head, base: option('--base'), title: option('--title'), body: fs.readFileSync(option('--body-file'), 'utf8'), isDraft: args.includes('--draft') });
  save();
  process.stdout.write('https://github.com/acme/datadog-cloudtrail/pull/' + number + '\\n');
} else if (group === 'pr' && (command === 'edit' || command === 'ready')) {
  const pr = state.pullRequests.find((p) => String(p.number) === subject);
  if (!pr) fail('no pull requests found for ' + subject);
  if (command === 'edit') { pr.title = option('--title'); pr.body = fs.readFileSync(option('--body-file'), 'utf8'); }
  else pr.isDraft = args.includes('--undo');
  save();
} else {
  fail('stand-in gh: unsupported: ' + args.join(' '));
}
`;

export interface PullRequest {
  number: number;
  state: 'OPEN' | 'CLOSED';
  head: string;
  base: string;
  title: string;
  body: string;
  isDraft: boolean;
}

export class StandIns {
  readonly bin: string;

  constructor(
    readonly dir: string,
    /** The git remote the pull requests' branches must be on. */
    readonly remote: string,
  ) {
    this.bin = path.join(dir, 'bin');
    mkdirSync(this.bin, { recursive: true });
    for (const [name, source] of [['aws', AWS], ['gh', GH]]) {
      writeFileSync(path.join(this.bin, name), source);
      chmodSync(path.join(this.bin, name), 0o755);
    }
  }

  /** What `aws organizations …` answers, by call. */
  answer(answers: Record<string, unknown>): void {
    writeFileSync(path.join(this.dir, 'aws.json'), JSON.stringify(answers));
  }

  env(): Record<string, string> {
    return { PATH: `${this.bin}${path.delimiter}${process.env.PATH ?? ''}`, STAND_IN_DIR: this.dir, STAND_IN_REMOTE: this.remote };
  }

  pullRequests(): PullRequest[] {
    const file = path.join(this.dir, 'gh.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pullRequests: PullRequest[] }).pullRequests : [];
  }

  setPullRequests(pullRequests: PullRequest[]): void {
    writeFileSync(path.join(this.dir, 'gh.json'), JSON.stringify({ pullRequests }));
  }

  awsCalls(): string[] {
    return readLines(path.join(this.dir, 'aws-calls.log'));
  }

  ghCalls(): Array<{ args: string[]; token?: string }> {
    return readLines(path.join(this.dir, 'gh-calls.log')).map((line) => JSON.parse(line) as { args: string[]; token?: string });
  }
}

function readLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
