/**
 * `npm run approvals` (rollout/approvals.ts) as the workflow runs it in a GitHub Actions job: a
 * Node process of its own, against a local stand-in for GitHub's REST API that answers with the
 * recorded environments of support/github-environments.ts. It refuses to apply through a wave
 * environment that requires no reviewers.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { tempDir } from '../support/configs';
import { CREATED_ON_FIRST_USE, LOCKED_DOWN, NOT_FOUND, PROTECTED } from '../support/github-environments';

const ROOT = path.join(__dirname, '..', '..');

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
