/**
 * The enrollment (rollout/enroll.ts), what can be specified without running it: the pull request
 * it opens, and .github/workflows/enroll.yml, the workflow that runs it. The enrollment itself
 * runs git, `aws` and `gh` as processes: it is specified end to end in processes/enroll.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { ENROLLMENT_BRANCH, pullRequestContent } from '../rollout/enroll';

const ROOT = path.join(__dirname, '..');
const CONFIG = 'configs/acme.json';

describe('the pull request body', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `member-${i}`, accountId: String(300000000000 + i), wave: 2, region: 'us-east-1', awsName: `Member ${i}` }));

  test('stays within what GitHub accepts for 5,000 new accounts, saying how many more there are', () => {
    const added = many(5000);
    const content = pullRequestContent({ added, externalIdsNeeded: added, left: added.map((a) => ({ ...a, reason: 'suspended' })), skipped: [], outOfScope: 0, branch: ENROLLMENT_BRANCH, config: CONFIG });

    expect(content.body.length).toBeLessThan(65536);
    expect(content.body).toContain('| and 4900 more | | | | |');
    expect(content.title).toBe('datadog-cloudtrail: enroll 5000 new AWS accounts');
  });
});

describe('.github/workflows/enroll.yml', () => {
  interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
  const workflow = yaml.load(readFileSync(path.join(ROOT, '.github', 'workflows', 'enroll.yml'), 'utf8')) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency: { group: string; 'cancel-in-progress': boolean };
    jobs: { enroll: { steps: Step[] } };
  };
  const steps = workflow.jobs.enroll.steps;

  test('runs on a schedule and by hand', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
  });

  test('gives GITHUB_TOKEN read access and the OIDC token only', () => {
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  test('never runs two enrollments at once, nor cancels one', () => {
    expect(workflow.concurrency).toEqual({ group: 'enroll', 'cancel-in-progress': false });
  });

  test("writes with a GitHub App's token narrowed to contents and pull requests, created after npm ci", () => {
    const app = steps.findIndex((step) => step.uses?.startsWith('actions/create-github-app-token@'));
    expect(steps[app].with).toMatchObject({ 'permission-contents': 'write', 'permission-pull-requests': 'write' });
    expect(Object.keys(steps[app].with ?? {}).filter((key) => key.startsWith('permission-')).sort()).toEqual(['permission-contents', 'permission-pull-requests']);
    expect(app).toBeGreaterThan(steps.findIndex((step) => step.run === 'npm ci'));
    expect(steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with?.['persist-credentials']).toBe(false);
  });

  test('runs the script, with the App token, as its only logic', () => {
    const runs = steps.filter((step) => step.run !== undefined).map((step) => step.run?.trim());
    expect(runs).toEqual(['npm ci', 'npm run --silent enroll -- --app-slug "$APP_SLUG"']);
    expect(steps[steps.length - 1].env?.GH_TOKEN).toBe('${{ steps.app-token.outputs.token }}');
  });

  test('pins every action to a commit', () => {
    expect(steps.flatMap((step) => (step.uses ? [step.uses] : [])).filter((uses) => !/@[0-9a-f]{40}$/.test(uses))).toEqual([]);
  });
});
