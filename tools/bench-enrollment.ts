/**
 * `npm run bench-enrollment -- [--accounts N] [--reps N]`: how long one enrollment run takes for
 * an organization of N accounts (default 5,000), its offline part: everything after the AWS
 * calls. Lists nothing: it writes the listing `npm run enroll -- --gather` would write, then
 * measures `npm run import-accounts` on it, and `npm run enroll -- --listing` (the import, the
 * git commit and push to a local remote, the pull request body, a stand-in `gh`). Writes the
 * "Enrollment" section of docs/BENCHMARKS.md (between its markers; `npm run bench` keeps it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CommandLine, runCommand } from '../commands/cli';
import type { Config } from '../config/types';
import { ENROLLMENT_BRANCH } from '../rollout/enroll';
import { generateOrganization } from './generate-organization';
import { withSectionBetween } from './generated-section';

const ROOT = path.resolve(__dirname, '..');
const BENCHMARKS = path.join(ROOT, 'docs', 'BENCHMARKS.md');
export const ENROLLMENT_START = '<!-- enrollment:start -->';
export const ENROLLMENT_END = '<!-- enrollment:end -->';
const REGISTER = path.join(ROOT, 'synth', 'register.js');

/** New accounts under the enrolled OUs, accounts in an OU outside the scope, and suspended accounts of the config. */
const NEW = 10;
const OUTSIDE = 20;
const SUSPENDED = 5;
/** Top OUs, each with as many child OUs, holding the members; and one more top OU outside the scope. */
const TOP_UNITS = 10;

interface Organization {
  config: Config;
  accounts: { Accounts: Array<{ Id: string; Name: string; State: string }> };
  tree: { Roots: Array<{ Id: string; Name: string }>; Parents: Array<{ ParentId: string; OrganizationalUnits: Array<{ Id: string; Name: string }>; Accounts: Array<{ Id: string }> }> };
  units: number;
}

const ouId = (top: number, child?: number) => `ou-ab12-${String(top).padStart(4, '0')}${child === undefined ? 'zzzz' : String(child).padStart(4, '0')}`;

/** An organization of `total` accounts, as the AWS CLI lists it, and its config before the new accounts. */
export function organization(total: number): Organization {
  const config = generateOrganization(total - NEW - OUTSIDE - 2);
  config.github = { repository: 'acme/datadog-cloudtrail', oidcAccount: '100000000000' };
  config.enrollment = { organizationalUnits: Array.from({ length: TOP_UNITS }, (_, top) => ouId(top)) };
  const members = config.accounts.slice(2).map((account) => account.accountId);
  const fresh = Array.from({ length: NEW }, (_, i) => String(800000000000 + i));
  const outside = Array.from({ length: OUTSIDE }, (_, i) => String(900000000000 + i));
  const suspended = new Set(members.slice(-SUSPENDED));
  const leaves = TOP_UNITS * TOP_UNITS;
  const byLeaf = Array.from({ length: leaves }, () => [] as Array<{ Id: string }>);
  [...members, ...fresh].forEach((id, i) => byLeaf[i % leaves].push({ Id: id }));
  const parents: Organization['tree']['Parents'] = [
    {
      ParentId: 'r-ab12',
      OrganizationalUnits: [...Array.from({ length: TOP_UNITS }, (_, top) => ({ Id: ouId(top), Name: `Workloads ${top}` })), { Id: 'ou-ab12-sandbox0', Name: 'Sandbox' }],
      Accounts: config.accounts.slice(0, 2).map((account) => ({ Id: account.accountId })),
    },
    ...Array.from({ length: TOP_UNITS }, (_, top) => ({
      ParentId: ouId(top),
      OrganizationalUnits: Array.from({ length: TOP_UNITS }, (__, child) => ({ Id: ouId(top, child), Name: `Team ${top}.${child}` })),
      Accounts: [],
    })),
    ...byLeaf.map((accounts, leaf) => ({ ParentId: ouId(Math.floor(leaf / TOP_UNITS), leaf % TOP_UNITS), OrganizationalUnits: [], Accounts: accounts })),
    { ParentId: 'ou-ab12-sandbox0', OrganizationalUnits: [], Accounts: outside.map((id) => ({ Id: id })) },
  ];
  const listed = [...config.accounts.map((account) => account.accountId), ...fresh, ...outside].map((id) => ({ Id: id, Name: `Account ${id}`, State: suspended.has(id) ? 'SUSPENDED' : 'ACTIVE' }));
  return { config, accounts: { Accounts: listed }, tree: { Roots: [{ Id: 'r-ab12', Name: 'Root' }], Parents: parents }, units: parents.length };
}

interface Run {
  seconds: number;
  /** Peak resident memory in bytes, and CPU seconds (user + system), when /usr/bin/time is there to tell. */
  rss?: number;
  cpu?: number;
}

/**
 * Runs `node --require register.js <args>` in `cwd`, timed, with GNU time's peak memory and CPU
 * time when available: on a busy machine the CPU time says more than the wall time.
 */
function measure(args: string[], cwd: string, env: NodeJS.ProcessEnv, rssFile: string): Run {
  const gnuTime = fs.existsSync('/usr/bin/time');
  const command = gnuTime ? ['/usr/bin/time', '-f', '%M %U %S', '-o', rssFile, process.execPath] : [process.execPath];
  const started = performance.now();
  const child = spawnSync(command[0], [...command.slice(1), '--require', REGISTER, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${child.status}):\n${`${child.stdout}${child.stderr}`.slice(-4000)}`);
  const [kib, user, system] = gnuTime ? (fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number) : [];
  return { seconds, ...(Number.isFinite(kib) ? { rss: kib * 1024, cpu: user + system } : {}) };
}

const GH = `#!/bin/sh
case "$1 $2" in
  "api "*) echo 4242 ;;
  "pr list") echo '[]' ;;
  "pr create") echo https://github.com/acme/datadog-cloudtrail/pull/1 ;;
esac
`;

interface Measured {
  total: number;
  configured: number;
  units: number;
  importRuns: Run[];
  enrollRuns: Run[];
  added: number;
}

function run(options: { accounts: number; reps: number }, tmp: string): Measured {
  const org = organization(options.accounts);
  const listing = path.join(tmp, 'listing');
  fs.mkdirSync(listing);
  fs.writeFileSync(path.join(listing, 'accounts.json'), JSON.stringify(org.accounts));
  fs.writeFileSync(path.join(listing, 'organization.json'), JSON.stringify(org.tree));
  const origin = path.join(tmp, 'origin.git');
  const work = path.join(tmp, 'work');
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'gh'), GH, { mode: 0o755 });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: tmp,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GITHUB_REPOSITORY: 'acme/datadog-cloudtrail',
    GITHUB_ACTIONS: '',
    GITHUB_STEP_SUMMARY: '',
    GH_TOKEN: '',
  };
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  git(tmp, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  fs.mkdirSync(path.join(work, 'configs'), { recursive: true });
  git(work, 'init', '--quiet', '--initial-branch=main');
  git(work, 'remote', 'add', 'origin', origin);
  fs.writeFileSync(path.join(work, 'configs', 'organization.json'), `${JSON.stringify(org.config, null, 2)}\n`);
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'organization');
  git(work, 'push', '--quiet', 'origin', 'main');

  const rssFile = path.join(tmp, 'rss');
  const importRuns: Run[] = [];
  const enrollRuns: Run[] = [];
  for (let rep = 1; rep <= options.reps; rep++) {
    importRuns.push(measure([path.join(ROOT, 'commands', 'import-accounts.ts'), path.join(listing, 'accounts.json'), '--organization', path.join(listing, 'organization.json'), '--config', 'configs/organization.json', '--dry-run'], work, env, rssFile));
    // Each enrollment starts where the workflow does: main checked out, no enrollment branch.
    git(tmp, '--git-dir', origin, 'update-ref', '-d', `refs/heads/${ENROLLMENT_BRANCH}`);
    git(work, 'checkout', '--quiet', '-f', '-B', 'main', 'origin/main');
    enrollRuns.push(measure([path.join(ROOT, 'rollout', 'enroll.ts'), '--config', 'configs/organization.json', '--listing', listing, '--app-slug', 'bench'], work, env, rssFile));
    process.stderr.write(`rep ${rep}/${options.reps}: import-accounts ${s(importRuns[rep - 1].seconds)}, enroll ${s(enrollRuns[rep - 1].seconds)}\n`);
  }
  const branch = JSON.parse(spawnSync('git', ['--git-dir', origin, 'show', `${ENROLLMENT_BRANCH}:configs/organization.json`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout) as Config;
  return { total: options.accounts, configured: org.config.accounts.length, units: org.units, importRuns, enrollRuns, added: branch.accounts.length - org.config.accounts.length };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const s = (seconds: number): string => `${seconds.toFixed(2)} s`;
const count = (value: number): string => value.toLocaleString('en-US');
const row = (name: string, runs: Run[]): string => {
  const peaks = runs.map((r) => r.rss).filter((r): r is number => r !== undefined);
  const cpu = runs.map((r) => r.cpu).filter((r): r is number => r !== undefined);
  const memory = peaks.length > 0 ? `${Math.round(Math.max(...peaks) / 1e6)} MB` : '—';
  return `| ${name} | ${s(Math.min(...runs.map((r) => r.seconds)))} | ${s(median(runs.map((r) => r.seconds)))} | ${cpu.length > 0 ? s(median(cpu)) : '—'} | ${memory} |`;
};

function section(m: Measured, reps: number, load: number): string {
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'})`;
  const calls = 2 + 2 * (m.units - 1);
  return `${ENROLLMENT_START}
## Enrollment

Written by \`npm run bench-enrollment\` (tools/bench-enrollment.ts); \`npm run bench\` keeps this section.

One enrollment run's offline part, for an organization of ${count(m.total)} accounts: ${count(m.configured)} of them in the config
(${SUSPENDED} suspended), ${NEW} new under the enrolled OUs, ${OUTSIDE} in an OU outside the scope; an OU tree of
${count(m.units - 1)} OUs under the root, the scope naming ${TOP_UNITS} of them. The enrollment median is **${s(median(m.enrollRuns.map((r) => r.seconds)))}**; it added
${m.added} accounts. Measured on ${date} with Node ${process.version}, on ${machine}, ${reps} runs each; 1-minute load average before
the runs: ${load.toFixed(2)}. CPU is user plus system time and peak memory GNU time's %M, of the whole process tree's largest
process (git included).

| Measured | Min | Median | CPU (median) | Peak memory |
| --- | ---: | ---: | ---: | ---: |
${row('`npm run import-accounts -- --dry-run` on the listing', m.importRuns)}
${row('`npm run enroll -- --listing`: config check, import, commit and push to a local remote, the pull request body, a stand-in `gh`', m.enrollRuns)}

Not measured: the AWS calls (here ${count(calls)}: list-accounts, list-roots, and two per root and OU, four at a time), the
GitHub API's answers, and the job's start (checkout, \`npm ci\`, credentials).
${ENROLLMENT_END}`;
}

const USAGE = `Usage: npm run bench-enrollment -- [--accounts N] [--reps N]

Measures the offline part of one enrollment run (import-accounts, then npm run enroll on a
listing) for an organization of --accounts accounts; writes the Enrollment section of
docs/BENCHMARKS.md.

Options:
  --accounts N    accounts of the organization (default 5000)
  --reps N        runs of each (default 3)
  -h, --help      show this help
`;

function main(args: CommandLine): number {
  const options = { accounts: args.positiveInteger('accounts') ?? 5000, reps: args.positiveInteger('reps') ?? 3 };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-cloudtrail-bench-enrollment-'));
  try {
    const load = os.loadavg()[0];
    const text = section(run(options, tmp), options.reps, load);
    const current = fs.existsSync(BENCHMARKS) ? fs.readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
    fs.writeFileSync(BENCHMARKS, withSectionBetween(current, ENROLLMENT_START, ENROLLMENT_END, text));
    console.log(text);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCommand({ name: 'bench-enrollment', usage: USAGE, options: { accounts: { type: 'string' }, reps: { type: 'string' } } }, main);
}
