/**
 * The roll-out refuses to apply through a wave environment that requires no reviewers: how the
 * approval gates read GitHub's recorded answers (support/github-environments.ts). The command,
 * `npm run approvals`, is specified in processes/approvals.test.ts.
 */
import { gatesMarkdown, readGate, readGates } from '../rollout/approval-gates';
import { CREATED_ON_FIRST_USE, FORBIDDEN, LOCKED_DOWN, NOT_FOUND, PROTECTED } from './support/github-environments';

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
