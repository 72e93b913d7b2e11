/**
 * `npm run diff` end to end (commands/diff/run.ts and commands/diff.ts): a tiny git repository
 * whose main.ts writes fixed stacks, each revision synthesized in a git worktree of its own by a
 * child process, and the command line as a user runs it. Every test here runs git and Node
 * processes. The comparison and its report are specified in process in diff.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { StackTree } from '../../commands/diff/compare';
import { toJson, toMarkdown } from '../../commands/diff/render';
import { runDiff } from '../../commands/diff/run';
import { accountStack } from '../support/cdk-tf-json';
import { tempDir } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

/** main.ts of the fixture repository: writes the stacks its config lists, or fails like a bad config. */
const FIXTURE_MAIN = `import { mkdirSync, readFileSync, writeFileSync } from 'fs';
const config = JSON.parse(readFileSync(process.env.DD_CLOUDTRAIL_CONFIG as string, 'utf8'));
if (config.fail) {
  console.error(config.fail);
  process.exit(1);
}
for (const [name, stack] of Object.entries(config.stacks)) {
  mkdirSync('cdktf.out/stacks/' + name, { recursive: true });
  writeFileSync('cdktf.out/stacks/' + name + '/cdk.tf.json', typeof stack === 'string' ? stack : JSON.stringify(stack));
}
`;
const CONFIG = 'examples/single-account.json';
const configOf = (stacks: StackTree): string => JSON.stringify({ stacks }, null, 2);

describe('npm run diff, end to end', () => {
  let repo: string;
  const commits: Record<string, string> = {};

  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' },
    }).trim();
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  const commit = (name: string, files: Record<string, string>): void => {
    for (const [file, text] of Object.entries(files)) write(file, text);
    git('add', '-A');
    git('commit', '-q', '-m', name);
    commits[name] = git('rev-parse', 'HEAD');
  };
  const diff = (base: string, head?: string) => runDiff({ cwd: repo, base: commits[base], head: head && commits[head], config: 'examples/single-account.json' });
  /** The CLI itself, as `npm run diff` runs it, in the fixture repository, with DD_CLOUDTRAIL_CONFIG naming CONFIG unless `env` says otherwise. */
  const cliWith = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', path.join(ROOT, 'commands', 'diff.ts'), ...args], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, DD_CLOUDTRAIL_CONFIG: CONFIG, ...env },
    });
  const cli = (...args: string[]) => cliWith({}, ...args);

  beforeAll(() => {
    repo = tempDir('ddct-diff-repo-');
    git('init', '-q', '-b', 'main');
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    commit('baseline', {
      '.gitignore': 'node_modules\ncdktf.out/\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022', types: [] } }),
      'main.ts': FIXTURE_MAIN,
      [CONFIG]: configOf({ prod: accountStack() }),
    });
    commit('widened', { [CONFIG]: configOf({ prod: accountStack({ actions: ['s3:GetObject', 's3:PutObject'] }) }) });
    commit('narrowed', { [CONFIG]: configOf({ prod: accountStack() }) });
    commit('renamed', { [CONFIG]: configOf({ prod: accountStack({ bucketId: 'logs_bucket' }) }) });
    commit('two-stacks', { [CONFIG]: configOf({ prod: accountStack({ bucketId: 'logs_bucket' }), staging: accountStack() }) });
    // Same config, new code: the head revision must run its own main.ts.
    commit('new-code', { 'main.ts': FIXTURE_MAIN.replace("JSON.stringify(stack)", "JSON.stringify({ ...(stack as object), output: { version: { value: 2 } } })") });
    commit('broken', { [CONFIG]: JSON.stringify({ fail: 'Invalid config: accounts[0].region is not a known AWS region' }) });
    git('checkout', '-q', commits.baseline);
  });

  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  test('the working tree unchanged since --base: no changes, exit code 0', async () => {
    const result = await diff('baseline');

    expect(result.head.workingTree).toBe(true);
    expect(result.stacks.map((s) => s.status)).toEqual(['unchanged']);
    expect(toJson(result).exitCode).toBe(0);
  });

  test('uncommitted changes in the working tree are the head revision', async () => {
    write(CONFIG, configOf({ prod: accountStack({ actions: ['s3:GetObject', 's3:DeleteObject'] }) }));
    try {
      const markdown = toMarkdown(await diff('baseline'));

      expect(markdown).toContain('Action added: `s3:DeleteObject`');
    } finally {
      git('checkout', '-q', '--', CONFIG);
    }
  });

  test('a widened action between two commits: exit code 2, and the comment names the action', async () => {
    const result = await diff('baseline', 'widened');

    expect(toJson(result).exitCode).toBe(2);
    expect(toMarkdown(result)).toContain('Action added: `s3:PutObject`');
  });

  test('a narrowed action: exit code 0, reported as narrowing', async () => {
    const result = await diff('widened', 'narrowed');

    expect(toJson(result).exitCode).toBe(0);
    expect(toMarkdown(result)).toContain('| 🔻 narrowing | `ReadLogs` (Allow) | Action removed: `s3:PutObject` |');
  });

  test('a renamed construct: reported as a replacement, exit code 2', async () => {
    const result = await diff('narrowed', 'renamed');

    expect(toJson(result).exitCode).toBe(2);
    expect(toMarkdown(result)).toContain(
      '⚠️ **replaced (destroy + create)** `aws_s3_bucket.logs_bucket`, was `aws_s3_bucket.trail-bucket_logs_bucket`',
    );
  });

  test.each([
    ['added', 'renamed', 'two-stacks'],
    ['removed', 'two-stacks', 'renamed'],
  ])('a stack %s is reported as such (%s → %s)', async (status, base, head) => {
    const result = await diff(base, head);

    expect(result.stacks.map((s) => [s.name, s.status])).toEqual([
      ['prod', 'unchanged'],
      ['staging', status],
    ]);
  });

  test('each revision is synthesized with its own main.ts', async () => {
    const result = await diff('two-stacks', 'new-code');

    expect(result.stacks[0].settings).toEqual([{ path: 'output', after: { version: { value: 2 } } }]);
  });

  test('a config that the base revision lacks counts as no stacks there', async () => {
    write('examples/new.json', configOf({ sandbox: accountStack() }));
    try {
      const result = await runDiff({ cwd: repo, base: commits.baseline, config: 'examples/new.json' });

      expect(result.stacks.map((s) => [s.name, s.status])).toEqual([['sandbox', 'added']]);
      expect(result.notes).toEqual(['examples/new.json does not exist in the base revision: every stack of the head revision is new.']);
    } finally {
      rmSync(path.join(repo, 'examples/new.json'));
    }
  });

  test('an expression the toolkit never writes, in any stack of the head revision: exit code 2, named with its place', async () => {
    const planted = accountStack();
    (planted.resource as Record<string, Record<string, Record<string, unknown>>>).aws_s3_bucket['trail-bucket_logs_bucket'].tags = { Owner: '${file("/proc/self/environ")}' };
    write(CONFIG, configOf({ prod: planted }));
    try {
      const result = await diff('baseline');
      const reason = 'prod: resource.aws_s3_bucket.trail-bucket_logs_bucket.tags.Owner holds ${file("/proc/self/environ")}, an expression the toolkit never writes, which Terraform would evaluate at plan time';

      expect(result.reviewReasons).toContain(reason);
      expect(toJson(result).exitCode).toBe(2);
      expect(toMarkdown(result)).toContain('> **Needs security review** (exit code 2): see the notes below.');
      expect(toMarkdown(result)).toContain(reason);
    } finally {
      git('checkout', '-q', '--', CONFIG);
    }
  });

  test('a cdk.tf.json that gives a key twice is refused: Terraform reads both, the comparison would see one', async () => {
    const text = JSON.stringify(accountStack()).replace(/}$/, ',"resource":{"aws_iam_role_policy_attachment":{"admin":{"role":"x","policy_arn":"arn:aws:iam::aws:policy/AdministratorAccess"}}}}');
    write(CONFIG, JSON.stringify({ stacks: { prod: text } }));
    try {
      await expect(diff('baseline')).rejects.toThrow("The head revision's prod/cdk.tf.json cannot be compared: resource is given twice in one object (again at line 1)");
    } finally {
      git('checkout', '-q', '--', CONFIG);
    }
  });

  test('a config that the head revision lacks is an error', async () => {
    await expect(runDiff({ cwd: repo, base: commits.baseline, head: commits.widened, config: 'examples/other.json' })).rejects.toThrow(
      'The config examples/other.json does not exist in the head revision',
    );
  });

  test('leaves no worktree or temporary checkout behind', async () => {
    await diff('baseline', 'widened');

    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });

  describe('the command line', () => {
    test('--help documents the exit codes', () => {
      const result = cli('--help');

      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+2 .*\n(.*\n)*\s+1 +error/);
    });

    test('--json prints the report and exits 2 when a policy widens', () => {
      const result = cli('--base', commits.baseline, '--head', commits.widened, '--json');

      expect(result.status).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 2, changedStacks: ['prod'] });
    });

    test('--markdown-file writes the full report beside the comment on stdout', () => {
      const file = path.join(tempDir(), 'diff-full.md');
      const result = cli('--base', commits.baseline, '--head', commits.widened, '--markdown-file', file);

      expect(result.status).toBe(2);
      expect(readFileSync(file, 'utf8')).toBe(result.stdout);
    });

    test('an unknown ref exits 1 and says so', () => {
      const result = cli('--base', 'no-such-branch');

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Unknown git ref "no-such-branch"');
    });

    test('reads the config named by DD_CLOUDTRAIL_CONFIG, as synth does', () => {
      write('examples/new.json', configOf({ sandbox: accountStack() }));
      try {
        const result = cliWith({ DD_CLOUDTRAIL_CONFIG: 'examples/new.json' }, '--base', commits.baseline, '--json');

        expect(JSON.parse(result.stdout)).toMatchObject({ config: 'examples/new.json', changedStacks: ['sandbox'] });
      } finally {
        rmSync(path.join(repo, 'examples/new.json'));
      }
    });

    test('refuses to run when no config is named, rather than compare the example', () => {
      const result = cliWith({ DD_CLOUDTRAIL_CONFIG: '' }, '--base', commits.baseline);

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('npm run diff: No config named. Name your config with --config FILE or DD_CLOUDTRAIL_CONFIG=FILE; in GitHub Actions, set the repository variable DD_CLOUDTRAIL_CONFIG');
      expect(result.stdout).toBe('');
    });

    test("reads each revision's own copy of a config named by its full path inside the repository", () => {
      const result = cli('--base', commits.baseline, '--head', commits.widened, '--config', path.join(repo, CONFIG), '--json');

      expect(result.status).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ config: CONFIG, changedStacks: ['prod'] });
    });

    test('a report file in a folder that does not exist: exit 1 before synthesizing, the option and the fix, no stack trace', () => {
      const result = cli('--base', commits.baseline, '--json-file', 'no/such/folder/diff.json');

      expect(result.status).toBe(1);
      expect(result.stderr).toBe('--json-file no/such/folder/diff.json: its folder does not exist; name a file in an existing folder.\n');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    });

    test("a failing synthesis exits 1 and prints the synthesis' own error", () => {
      const result = cli('--base', commits.baseline, '--head', commits.broken);

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Synthesizing the head revision failed (exit code 1)');
      expect(result.stderr).toContain('Invalid config: accounts[0].region is not a known AWS region');
    });
  });
});
