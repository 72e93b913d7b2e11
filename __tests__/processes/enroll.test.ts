/**
 * The enrollment (rollout/enroll.ts, what .github/workflows/enroll.yml runs), end to end: a git
 * repository with a remote, stand-in `aws` and `gh` commands on the PATH (support/stand-ins.ts),
 * and the script run as the workflow runs it, each a process of its own. The pull request body
 * and the workflow file are specified in process in enroll.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../../config/types';
import { ENROLLMENT_BRANCH } from '../../rollout/enroll';
import { withAccountsAppended } from '../../commands/import-accounts';
import { tempDir } from '../support/configs';
import { LISTED, organizationConfig, TREE } from '../support/organization-listing';
import { StandIns } from '../support/stand-ins';

const ROOT = path.join(__dirname, '..', '..');
const CONFIG = 'configs/acme.json';

const externalId = (accountId: string) => createHash('md5').update(accountId).digest('hex');
const account = (name: string, accountId: string, wave: number, role = true) => ({
  name,
  accountId,
  region: 'us-east-1',
  externalId: externalId(accountId),
  ...(role ? { assumeRoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole` } : {}),
  wave,
});

/** An organization whose accounts each have their external ID; its CI roles are in the management account. */
function config(): Config {
  return {
    datadog: { site: 'datadoghq.com', apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:datadog-api-key-AbCdEf' },
    trail: { name: 'org-trail', bucketName: 'acme-org-cloudtrail-{accountId}' },
    organization: { id: 'o-a1b2c3d4e5', managementAccount: 'management', logArchiveAccount: 'log-archive' },
    github: { repository: 'acme/datadog-cloudtrail', oidcAccount: '111111111111' },
    accounts: [account('log-archive', '222222222222', 1), account('management', '111111111111', 1, false), account('prod', '555555555555', 2)],
  };
}

const listed = (...accounts: Array<[string, string, string?]>) => ({
  Accounts: accounts.map(([Id, Name, State = 'ACTIVE']) => ({ Id, Arn: `arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/${Id}`, Email: `${Id}@example.com`, Name, Status: State === 'CLOSED' ? 'SUSPENDED' : State, State })),
});
const KNOWN: Array<[string, string]> = [['111111111111', 'Management'], ['222222222222', 'Log archive'], ['555555555555', 'Prod']];

/** A repository whose default branch holds the config, its remote, and the stand-ins. */
class Organization {
  readonly dir = tempDir('enroll-');
  readonly origin = path.join(this.dir, 'origin.git');
  readonly work = path.join(this.dir, 'work');
  readonly standIns = new StandIns(this.dir, this.origin);
  private readonly gitEnv = {
    HOME: this.dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Pat Operator',
    GIT_AUTHOR_EMAIL: 'pat@example.com',
    GIT_COMMITTER_NAME: 'Pat Operator',
    GIT_COMMITTER_EMAIL: 'pat@example.com',
  };

  constructor(initial: Config) {
    this.git(this.dir, 'init', '--quiet', '--bare', '--initial-branch=main', this.origin);
    mkdirSync(path.join(this.work, 'configs'), { recursive: true });
    this.git(this.work, 'init', '--quiet', '--initial-branch=main');
    this.git(this.work, 'remote', 'add', 'origin', this.origin);
    this.commitConfig(initial, 'main', 'The organization');
  }

  git(cwd: string, ...args: string[]): string {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...this.gitEnv } });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  /** A person's commit of the config to a branch of the remote. */
  commitConfig(content: Config | string, branch: string, message: string): void {
    if (branch !== 'main' || this.remoteHead('main') !== undefined) {
      this.git(this.work, 'fetch', '--quiet', 'origin');
      this.git(this.work, 'checkout', '--quiet', '-B', branch, `origin/${branch}`);
    }
    writeFileSync(path.join(this.work, CONFIG), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
    this.git(this.work, 'add', CONFIG);
    this.git(this.work, 'commit', '--quiet', '-m', message);
    this.git(this.work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
    this.git(this.work, 'checkout', '--quiet', '-B', 'main', 'origin/main');
  }

  remoteHead(branch: string): string | undefined {
    return this.git(this.dir, '--git-dir', this.origin, 'for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`).trim() || undefined;
  }

  remoteConfig(branch: string): Config {
    return JSON.parse(this.git(this.dir, '--git-dir', this.origin, 'show', `${branch}:${CONFIG}`)) as Config;
  }

  remoteText(branch: string): string {
    return this.git(this.dir, '--git-dir', this.origin, 'show', `${branch}:${CONFIG}`);
  }

  /** Runs the enrollment as the workflow's step does, from a fresh checkout of main. */
  enroll(env: Record<string, string> = {}, args: string[] = ['--app-slug', 'acme-enrollment']) {
    this.git(this.work, 'fetch', '--quiet', 'origin');
    this.git(this.work, 'checkout', '--quiet', '-f', '-B', 'main', 'origin/main');
    return spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'rollout', 'enroll.ts'), '--config', CONFIG, ...args], {
      cwd: this.work,
      encoding: 'utf8',
      env: {
        ...process.env,
        ...this.gitEnv,
        ...this.standIns.env(),
        GITHUB_REPOSITORY: 'acme/datadog-cloudtrail',
        GH_TOKEN: 'app-installation-token',
        GITHUB_ACTIONS: '',
        GITHUB_STEP_SUMMARY: '',
        DD_CLOUDTRAIL_CONFIG: '',
        ...env,
      },
    });
  }
}

/** What the AWS CLI answers for support/organization-listing.ts's organization: its accounts, and its OU tree call by call. */
function organizationAnswers(): Record<string, unknown> {
  const answers: Record<string, unknown> = { 'list-accounts': LISTED, 'list-roots': { Roots: TREE.Roots } };
  for (const parent of TREE.Parents) {
    answers[`list-organizational-units-for-parent --parent-id ${parent.ParentId}`] = { OrganizationalUnits: parent.OrganizationalUnits };
    answers[`list-accounts-for-parent --parent-id ${parent.ParentId}`] = { Accounts: parent.Accounts };
  }
  return answers;
}

const prCalls = (organization: Organization) => organization.standIns.ghCalls().filter((call) => call.args[0] === 'pr' && call.args[1] !== 'list');

describe('new accounts', () => {
  const organization = new Organization(config());
  organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['777777777777', 'Team A'], ['888888888888', 'Team | B `prod`']) });
  const mainBefore = organization.remoteHead('main');
  const result = organization.enroll();
  const [pullRequest] = organization.standIns.pullRequests();

  test('are committed to the enrollment branch, one line each, in the highest wave in use', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const added = organization.remoteText(ENROLLMENT_BRANCH).split('\n').filter((line) => !organization.remoteText('main').split('\n').includes(line));
    expect(added).toEqual([
      '    { "name": "team-a", "accountId": "777777777777", "region": "us-east-1", "assumeRoleArn": "arn:aws:iam::777777777777:role/OrganizationAccountAccessRole", "wave": 2 },',
      '    { "name": "team-b-prod", "accountId": "888888888888", "region": "us-east-1", "assumeRoleArn": "arn:aws:iam::888888888888:role/OrganizationAccountAccessRole", "wave": 2 }',
    ]);
  });

  test("as one commit on top of the default branch, by the App's bot user, leaving the default branch alone", () => {
    expect(organization.git(organization.dir, '--git-dir', organization.origin, 'rev-parse', `${ENROLLMENT_BRANCH}~1`).trim()).toBe(mainBefore);
    expect(organization.git(organization.dir, '--git-dir', organization.origin, 'log', '-1', '--format=%an <%ae>%n%s', ENROLLMENT_BRANCH)).toBe(
      'acme-enrollment[bot] <4242+acme-enrollment[bot]@users.noreply.github.com>\nEnroll 2 new AWS accounts\n',
    );
    expect(organization.remoteHead('main')).toBe(mainBefore);
  });

  test("open one pull request, with the App's token, so that plan.yml reviews it", () => {
    expect(organization.standIns.pullRequests()).toHaveLength(1);
    expect(pullRequest).toMatchObject({ head: ENROLLMENT_BRANCH, base: 'main', title: 'datadog-cloudtrail: enroll 2 new AWS accounts' });
    expect(prCalls(organization).map((call) => call.token)).toEqual(['app-installation-token']);
  });

  test('whose body lists each added account with its AWS name, ID and wave, its AWS name made inert', () => {
    expect(pullRequest.body).toContain('| `team-a` | 777777777777 | `Team A` | 2 | us-east-1 |');
    expect(pullRequest.body).toContain("| `team-b-prod` | 888888888888 | `Team   B  prod ` | 2 | us-east-1 |");
  });

  test('is a draft that names the external IDs still needed, where to get them and why', () => {
    expect(pullRequest.isDraft).toBe(true);
    expect(pullRequest.body).toContain('### External IDs still needed (2): this pull request stays a draft until each account has one');
    expect(pullRequest.body).toContain('synth refuses an account without one');
    expect(pullRequest.body).toContain("Datadog's AWS integration tile");
    expect(pullRequest.body).toContain('| `team-a` | 777777777777 |');
  });

  test('and a second run with the same list changes nothing: no commit, no edit', () => {
    const head = organization.remoteHead(ENROLLMENT_BRANCH);
    const calls = prCalls(organization).length;

    const again = organization.enroll();

    expect(again.status).toBe(0);
    expect(again.stdout).toContain('is up to date: nothing changed');
    expect(organization.remoteHead(ENROLLMENT_BRANCH)).toBe(head);
    expect(prCalls(organization)).toHaveLength(calls);
  });
});

describe('an open enrollment pull request', () => {
  const organization = new Organization(config());
  organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['777777777777', 'Team A']) });
  organization.enroll();
  // Someone adds Team A's external ID to the branch and marks the pull request ready.
  const withId = organization.remoteConfig(ENROLLMENT_BRANCH);
  withId.accounts[3].externalId = externalId('777777777777');
  organization.commitConfig(withId, ENROLLMENT_BRANCH, 'External ID of team-a');
  const ready = organization.standIns.pullRequests().map((pr) => ({ ...pr, isDraft: false }));
  organization.standIns.setPullRequests(ready);
  const reviewed = organization.remoteHead(ENROLLMENT_BRANCH);

  organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['777777777777', 'Team A'], ['999999999999', 'Team C']) });
  const result = organization.enroll();
  const [pullRequest] = organization.standIns.pullRequests();

  test('gets later accounts as a new commit on top of what people added to it', () => {
    expect(result.status).toBe(0);
    expect(organization.git(organization.dir, '--git-dir', organization.origin, 'rev-parse', `${ENROLLMENT_BRANCH}~1`).trim()).toBe(reviewed);
    const accounts = organization.remoteConfig(ENROLLMENT_BRANCH).accounts;
    expect(accounts.map((a) => a.name)).toEqual(['log-archive', 'management', 'prod', 'team-a', 'team-c']);
    expect(accounts[3].externalId).toBe(externalId('777777777777'));
  });

  test('stays the one pull request, its body listing every account it adds', () => {
    expect(organization.standIns.pullRequests()).toHaveLength(1);
    expect(pullRequest.title).toBe('datadog-cloudtrail: enroll 2 new AWS accounts');
    expect(pullRequest.body).toContain('| `team-a` | 777777777777 |');
    expect(pullRequest.body).toContain('| `team-c` | 999999999999 |');
    expect(pullRequest.body).toContain('### External IDs still needed (1)');
  });

  test('goes back to a draft while the new account lacks its external ID', () => {
    expect(pullRequest.isDraft).toBe(true);
    expect(prCalls(organization).some((call) => call.args.join(' ') === 'pr ready 1 --undo --repo acme/datadog-cloudtrail')).toBe(true);
  });
});

describe('an enrollment branch that conflicts with the default branch', () => {
  const organization = new Organization(config());
  organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['777777777777', 'Team A']) });
  organization.enroll();
  // Meanwhile someone adds an account by hand on main, on the same lines.
  const manual = account('manual', '123123123123', 2);
  const onMain = config();
  onMain.accounts.push(manual);
  organization.commitConfig(withAccountsAppended(organization.remoteText('main'), [manual], onMain), 'main', 'Add manual');
  const head = organization.remoteHead(ENROLLMENT_BRANCH);
  organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['123123123123', 'Manual'], ['777777777777', 'Team A'], ['999999999999', 'Team C']) });

  test('stops the run with what to do, pushing nothing', () => {
    const result = organization.enroll();

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${ENROLLMENT_BRANCH} conflicts with main: merge main into it and resolve the conflict, or close its pull request`);
    expect(organization.remoteHead(ENROLLMENT_BRANCH)).toBe(head);
  });
});

describe("a closed pull request's branch", () => {
  test('is replaced by a fresh one from the default branch, with a new pull request', () => {
    const organization = new Organization(config());
    organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['777777777777', 'Team A']) });
    organization.enroll();
    const old = organization.remoteHead(ENROLLMENT_BRANCH);
    organization.standIns.setPullRequests(organization.standIns.pullRequests().map((pr) => ({ ...pr, state: 'CLOSED' as const })));
    organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['777777777777', 'Team A'], ['999999999999', 'Team C']) });

    const result = organization.enroll();

    expect(result.status).toBe(0);
    expect(organization.remoteHead(ENROLLMENT_BRANCH)).not.toBe(old);
    expect(organization.git(organization.dir, '--git-dir', organization.origin, 'rev-parse', `${ENROLLMENT_BRANCH}~1`).trim()).toBe(organization.remoteHead('main'));
    expect(organization.standIns.pullRequests().map((pr) => `${pr.number} ${pr.state} ${pr.title}`)).toEqual([
      '1 CLOSED datadog-cloudtrail: enroll 1 new AWS account',
      '2 OPEN datadog-cloudtrail: enroll 2 new AWS accounts',
    ]);
  });
});

describe('Datadog generating the external IDs (datadog.manageIntegration)', () => {
  test('opens a pull request ready for review', () => {
    const managed = config();
    managed.datadog.manageIntegration = true;
    for (const entry of managed.accounts) delete entry.externalId;
    const organization = new Organization(managed);
    organization.standIns.answer({ 'list-accounts': listed(...KNOWN, ['777777777777', 'Team A']) });

    expect(organization.enroll().status).toBe(0);
    const [pullRequest] = organization.standIns.pullRequests();
    expect(pullRequest.isDraft).toBe(false);
    expect(pullRequest.body).not.toContain('External IDs still needed');
  });
});

describe('accounts that left, and an enrollment scope of OUs', () => {
  const scoped = organizationConfig();
  scoped.github = { repository: 'acme/datadog-cloudtrail', oidcAccount: '111111111111' };
  const organization = new Organization(scoped);
  organization.standIns.answer(organizationAnswers());
  const result = organization.enroll();
  const [pullRequest] = organization.standIns.pullRequests();

  test('lists the OU tree from the roots down, with the AWS CLI', () => {
    expect(organization.standIns.awsCalls()).toEqual(
      expect.arrayContaining(['organizations list-accounts', 'organizations list-roots', 'organizations list-organizational-units-for-parent --parent-id ou-ab12-prodprod', 'organizations list-accounts-for-parent --parent-id ou-ab12-sandbox0']),
    );
    expect(organization.standIns.awsCalls()).toHaveLength(2 + 2 * TREE.Parents.length);
  });

  test('enrolls the new accounts of the included OUs only', () => {
    expect(result.status).toBe(0);
    expect(organization.remoteConfig(ENROLLMENT_BRANCH).accounts.slice(7).map((a) => a.name)).toEqual(['team-a', 'team-b-prod']);
  });

  test('reports the suspended, closed, vanished and moved-out accounts by name and ID, and keeps them', () => {
    expect(pullRequest.body).toContain('### Accounts that left (4): still in the config');
    expect(pullRequest.body).toContain('| `analytics` | 123456789012 | `suspended` |');
    expect(pullRequest.body).toContain('| `archive` | 131313131313 | `closed` |');
    expect(pullRequest.body).toContain('| `payments` | 666666666666 | `outside the enrollment scope: in Root/Sandbox (ou-ab12-sandbox0), outside enrollment.organizationalUnits` |');
    expect(pullRequest.body).toContain("| `legacy` | 101010101010 | `no longer in the organization's account list");
    expect(pullRequest.body).toContain('removing an entry destroys nothing by itself');
    expect(organization.remoteConfig(ENROLLMENT_BRANCH).accounts.slice(0, 7)).toEqual(scoped.accounts);
  });

  test('says what was not enrolled', () => {
    expect(pullRequest.body).toContain('- `Closing` 121212121212: pending closure');
    expect(pullRequest.body).toContain('- 3 active accounts outside the enrollment scope');
  });
});

describe('nothing new to enroll', () => {
  const organization = new Organization(config());
  organization.standIns.answer({ 'list-accounts': listed(...KNOWN.slice(0, 2), ['555555555555', 'Prod', 'SUSPENDED']) });
  const result = organization.enroll({ GITHUB_ACTIONS: 'true' });

  test('commits nothing and opens no pull request', () => {
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No account to enroll: no commit, no pull request.');
    expect(organization.remoteHead(ENROLLMENT_BRANCH)).toBeUndefined();
    expect(prCalls(organization)).toEqual([]);
  });

  test('still reports the accounts that left, on the run as a warning', () => {
    expect(result.stdout).toContain('! prod (555555555555) left: suspended.');
    expect(result.stdout).toContain('::warning title=An account left::prod (555555555555): suspended');
  });
});

describe('a failed AWS call', () => {
  const organization = new Organization(config());
  organization.standIns.answer({
    'list-accounts': { exit: 254, stderr: '\nAn error occurred (AccessDeniedException) when calling the ListAccounts operation: You don\'t have permissions to access this resource.\n' },
  });
  const before = readFileSync(path.join(organization.work, CONFIG), 'utf8');
  const result = organization.enroll();

  test('fails the run with the reason and the policies to check', () => {
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('aws organizations list-accounts failed (exit code 254):');
    expect(result.stderr).toContain('AccessDeniedException');
    expect(result.stderr).toContain('npm run policies -- --ci');
    expect(result.stderr).toContain('Nothing was written.');
  });

  test('writes nothing: no config change, no branch, no pull request', () => {
    expect(readFileSync(path.join(organization.work, CONFIG), 'utf8')).toBe(before);
    expect(organization.git(organization.work, 'status', '--porcelain')).toBe('');
    expect(organization.remoteHead(ENROLLMENT_BRANCH)).toBeUndefined();
    expect(prCalls(organization)).toEqual([]);
  });

  test('in the middle of the OU tree too', () => {
    const scoped = organizationConfig();
    const inTree = new Organization(scoped);
    inTree.standIns.answer({
      'list-accounts': LISTED,
      'list-roots': { Roots: TREE.Roots },
      'list-organizational-units-for-parent --parent-id r-ab12': { OrganizationalUnits: TREE.Parents[0].OrganizationalUnits },
      'list-accounts-for-parent --parent-id r-ab12': { exit: 254, stderr: 'An error occurred (TooManyRequestsException) when calling the ListAccountsForParent operation (reached max retries: 2): AWS Organizations can\'t complete your request because another request is already in progress.' },
    });

    const failed = inTree.enroll();

    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('aws organizations list-accounts-for-parent --parent-id r-ab12 failed (exit code 254):\nAn error occurred (TooManyRequestsException)');
    expect(inTree.remoteHead(ENROLLMENT_BRANCH)).toBeUndefined();
  });
});

describe('a listing gathered apart', () => {
  const scoped = organizationConfig();
  const organization = new Organization(scoped);
  organization.standIns.answer(organizationAnswers());
  const listing = path.join(organization.dir, 'listing');
  const gathered = organization.enroll({}, ['--gather', listing]);

  test('is written by --gather, for import-accounts by hand, and nothing else happens', () => {
    expect(gathered.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(listing, 'accounts.json'), 'utf8'))).toEqual(LISTED);
    const tree = JSON.parse(readFileSync(path.join(listing, 'organization.json'), 'utf8')) as typeof TREE;
    expect(tree.Roots).toEqual(TREE.Roots);
    expect(tree.Parents).toHaveLength(TREE.Parents.length);
    expect(tree.Parents).toEqual(expect.arrayContaining(TREE.Parents));
    expect(organization.remoteHead(ENROLLMENT_BRANCH)).toBeUndefined();
  });

  test('is enrolled from with --listing, without any AWS call', () => {
    organization.standIns.answer({});
    const result = organization.enroll({}, ['--listing', listing]);

    expect(result.status).toBe(0);
    expect(organization.standIns.awsCalls()).toHaveLength(2 + 2 * TREE.Parents.length);
    expect(organization.remoteConfig(ENROLLMENT_BRANCH).accounts.map((a) => a.name)).toContain('team-b-prod');
  });
});

describe('a config for another repository', () => {
  test('is refused before any AWS call: the CI roles trust github.repository only', () => {
    const organization = new Organization(config());
    organization.standIns.answer({ 'list-accounts': listed(...KNOWN) });

    const result = organization.enroll({ GITHUB_REPOSITORY: 'acme/fork' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('names the repository acme/datadog-cloudtrail (github.repository), but this workflow runs in acme/fork');
    expect(organization.standIns.awsCalls()).toEqual([]);
  });
});

describe('the command line', () => {
  const organization = new Organization(config());
  organization.standIns.answer({ 'list-accounts': listed(...KNOWN) });

  test.each([
    [['--branch=-x'], '--branch must be a plain branch name'],
    [['--branch', 'a/../b'], '--branch must be a plain branch name'],
    [['--gather', 'a', '--listing', 'b'], '--gather and --listing contradict each other'],
  ])('refuses %j before any AWS call', (args, message) => {
    const result = organization.enroll({}, args);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(organization.standIns.awsCalls()).toEqual([]);
  });
});
