/**
 * The roll-out refuses to apply through a wave environment that requires no reviewers. GitHub's
 * answers are recorded: the documented example of "Get an environment"
 * (https://docs.github.com/en/rest/deployments/environments#get-an-environment), an environment
 * as GitHub creates it on first use ("will not have any protection rules"), and GitHub's 404
 * and 403 bodies.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { gatesMarkdown, readGate, readGates } from '../rollout/approval-gates';
import { tempDir } from './support/configs';

const ROOT = path.join(__dirname, '..');

/** The documented example response, reviewer objects shortened to the fields read. */
const PROTECTED = {
  id: 161088068,
  node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
  name: 'staging',
  url: 'https://api.github.com/repos/github/hello-world/environments/staging',
  html_url: 'https://github.com/github/hello-world/deployments/activity_log?environments_filter=staging',
  created_at: '2020-11-23T22:00:40Z',
  updated_at: '2020-11-23T22:00:40Z',
  protection_rules: [
    { id: 3736, node_id: 'MDQ6R2F0ZTM3MzY=', type: 'wait_timer', wait_timer: 30 },
    {
      id: 3755,
      node_id: 'MDQ6R2F0ZTM3NTU=',
      prevent_self_review: false,
      type: 'required_reviewers',
      reviewers: [
        { type: 'User', reviewer: { login: 'octocat', id: 1, node_id: 'MDQ6VXNlcjE=', type: 'User', site_admin: false } },
        { type: 'Team', reviewer: { id: 1, node_id: 'MDQ6VGVhbTE=', name: 'Justice League', slug: 'justice-league', parent: null } },
      ],
    },
    { id: 3756, node_id: 'MDQ6R2F0ZTM3NTY=', type: 'branch_policy' },
  ],
  deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
};
/** The same, set up as docs/ROLLOUT.md asks: self-review prevented, no bypass for administrators. */
const LOCKED_DOWN = {
  ...PROTECTED,
  can_admins_bypass: false,
  protection_rules: PROTECTED.protection_rules.map((rule) => (rule.type === 'required_reviewers' ? { ...rule, prevent_self_review: true } : rule)),
};
/** An environment as a workflow creates it on first use: no protection rules. */
const CREATED_ON_FIRST_USE = { ...PROTECTED, name: 'wave-2', can_admins_bypass: true, protection_rules: [], deployment_branch_policy: null };
const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/deployments/environments#get-an-environment', status: '404' };
const FORBIDDEN = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/deployments/environments#get-an-environment', status: '403' };

describe('readGate', () => {
  test('reads who must approve, whether self-review is prevented, and whether administrators may bypass', () => {
    expect(readGate('wave-1', 200, LOCKED_DOWN)).toEqual({
      environment: 'wave-1',
      reviewers: ['@octocat', 'team justice-league'],
      preventSelfReview: true,
      adminsCanBypass: false,
      waitTimer: 30,
      branches: 'selected branches',
    });
  });

  test('takes administrators as able to bypass when GitHub does not say, as it does not in its documented example', () => {
    const gate = readGate('wave-1', 200, PROTECTED);

    expect(gate).toMatchObject({ preventSelfReview: false, adminsCanBypass: true });
    expect(gate.problem).toBeUndefined();
  });

  test('refuses an environment that does not exist: GitHub would create it with no reviewers', () => {
    expect(readGate('wave-3', 404, NOT_FOUND).problem).toBe('wave-3 does not exist (or this token cannot see it): GitHub would create it on first use with no reviewers');
  });

  test('refuses an environment that requires no reviewers', () => {
    expect(readGate('wave-2', 200, CREATED_ON_FIRST_USE)).toMatchObject({ reviewers: [], branches: 'any branch', problem: 'wave-2 requires no reviewers' });
  });

  test('refuses a required-reviewers rule that names nobody', () => {
    const empty = { ...PROTECTED, protection_rules: [{ id: 1, node_id: 'x', type: 'required_reviewers', prevent_self_review: true, reviewers: [] }] };

    expect(readGate('wave-1', 200, empty).problem).toBe('wave-1 requires no reviewers');
  });

  test('names the permission a refused read needs', () => {
    expect(readGate('wave-1', 403, FORBIDDEN).problem).toBe('wave-1 cannot be read (HTTP 403: Resource not accessible by integration): the job needs `permissions: actions: read`');
  });
});

describe('readGates', () => {
  test("asks GitHub's REST API for each environment, with the job's token", async () => {
    const asked: Array<{ url: string; headers: Record<string, string> }> = [];
    const fetch = (async (url: string, init: { headers: Record<string, string> }) => {
      asked.push({ url, headers: init.headers });
      return new Response(JSON.stringify(url.endsWith('/wave-1') ? LOCKED_DOWN : NOT_FOUND), { status: url.endsWith('/wave-1') ? 200 : 404 });
    }) as unknown as typeof globalThis.fetch;

    const gates = await readGates(['wave-1', 'wave-2'], { apiUrl: 'https://ghe.example.com/api/v3/', repository: 'acme/cloudtrail', token: 'ghs_token', fetch });

    expect(asked.map((a) => a.url)).toEqual(['https://ghe.example.com/api/v3/repos/acme/cloudtrail/environments/wave-1', 'https://ghe.example.com/api/v3/repos/acme/cloudtrail/environments/wave-2']);
    expect(asked[0].headers).toMatchObject({ authorization: 'Bearer ghs_token', accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' });
    expect(gates.map((gate) => gate.problem)).toEqual([undefined, expect.stringContaining('does not exist')]);
  });

  test('turns a request that fails into a gate that does not hold', async () => {
    const fetch = (async () => {
      throw new Error('getaddrinfo ENOTFOUND api.github.com');
    }) as unknown as typeof globalThis.fetch;

    const [gate] = await readGates(['wave-1'], { apiUrl: 'https://api.github.com', repository: 'acme/cloudtrail', token: 't', fetch });

    expect(gate.problem).toBe('wave-1 cannot be read (getaddrinfo ENOTFOUND api.github.com)');
  });
});

describe('gatesMarkdown', () => {
  test('shows each environment: reviewers, self-review, bypass, wait timer, branches', () => {
    expect(gatesMarkdown([readGate('wave-1', 200, LOCKED_DOWN), readGate('wave-2', 404, NOT_FOUND)])).toContain(
      '| wave-1 | @octocat, team justice-league | yes | no | 30 min | selected branches |',
    );
  });
});

/**
 * Runs `npm run approvals` against a local stand-in for GitHub's API that answers each
 * environment as `answers` says, as the workflow runs it in a GitHub Actions job.
 */
async function approvals(args: string[], answers: Record<string, [number, unknown]>, env: Record<string, string> = {}) {
  const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    const [status, body] = answers[path.basename(request.url ?? '')] ?? [404, NOT_FOUND];
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const child = spawn(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'rollout', 'approvals.ts'), ...args], {
      env: {
        ...process.env,
        GITHUB_ACTIONS: 'true',
        GITHUB_API_URL: `http://127.0.0.1:${port}`,
        GITHUB_REPOSITORY: 'acme/cloudtrail',
        GITHUB_TOKEN: 'ghs_token',
        ROLLOUT_ALLOW_UNREVIEWED_WAVES: '',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { status, stdout, stderr, requests };
  } finally {
    server.close();
  }
}

describe('npm run approvals', () => {
  test('exits 0 when every wave requires reviewers, and warns about self-review and bypass', async () => {
    const result = await approvals(['--waves', '1 2'], { 'wave-1': [200, LOCKED_DOWN], 'wave-2': [200, PROTECTED] });

    expect(result.status).toBe(0);
    expect(result.requests.map((r) => r.url)).toEqual(['/repos/acme/cloudtrail/environments/wave-1', '/repos/acme/cloudtrail/environments/wave-2']);
    expect(result.requests[0].headers.authorization).toBe('Bearer ghs_token');
    expect(result.stdout).toContain('::warning::wave-2: the person who started the run may approve it');
    expect(result.stdout).toContain('::warning::wave-2: administrators may deploy without an approval');
    expect(result.stdout).not.toContain('::error::');
  });

  test('exits 1 before anything is applied, naming each environment and what to configure', async () => {
    const result = await approvals(['--waves', '1,2,3'], { 'wave-1': [200, LOCKED_DOWN], 'wave-2': [200, CREATED_ON_FIRST_USE] });

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::Nothing was applied: wave-2 requires no reviewers; wave-3 does not exist');
    expect(result.stdout).toContain('add Required reviewers');
    expect(result.stdout).toContain('ROLLOUT_ALLOW_UNREVIEWED_WAVES');
  });

  test('lets a repository that opted out by name roll out without reviewers, with a warning', async () => {
    const result = await approvals(['--waves', '2'], { 'wave-2': [200, CREATED_ON_FIRST_USE] }, { ROLLOUT_ALLOW_UNREVIEWED_WAVES: 'true' });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('::warning::wave-2 requires no reviewers. ROLLOUT_ALLOW_UNREVIEWED_WAVES is true: rolling out without approvals.');
  });

  test('refuses any other value of the opt-out variable', async () => {
    const result = await approvals(['--waves', '2'], {}, { ROLLOUT_ALLOW_UNREVIEWED_WAVES: 'yes' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ROLLOUT_ALLOW_UNREVIEWED_WAVES="yes": set it to true');
    expect(result.requests).toEqual([]);
  });

  test('appends the table of environments to the job summary', async () => {
    const summary = path.join(tempDir(), 'summary.md');
    writeFileSync(summary, 'before\n');

    await approvals(['--waves', '1', '--summary', summary], { 'wave-1': [200, LOCKED_DOWN] });

    expect(readFileSync(summary, 'utf8')).toContain('before\n### Approval of each wave\n\n| environment |');
  });
});
