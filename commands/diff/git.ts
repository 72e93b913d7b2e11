/**
 * The two revisions on disk: a commit in a temporary `git worktree`, or a copy of the
 * working tree. Neither touches the checkout's own files, index or `cdktf.out`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A failure the user can act on: the message says what, `detail` carries a tool's output. */
export class DiffError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'DiffError';
  }
}

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new DiffError(`Cannot run git: ${result.error.message}`);
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr.trim() };
}

export function repositoryRoot(cwd: string): string {
  const result = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!result.ok) throw new DiffError(`${cwd} is not inside a git repository`, result.stderr);
  return result.stdout.trim();
}

export function resolveCommit(repo: string, ref: string): string {
  const result = git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (!result.ok) {
    throw new DiffError(
      `Unknown git ref "${ref}": no commit by that name in ${repo}. ` +
        'In CI, check out with full history (actions/checkout with fetch-depth: 0) so the base branch exists.',
    );
  }
  return result.stdout.trim();
}

/** A detached worktree of `commit` at `dir` (which must not exist yet). */
export function addWorktree(repo: string, commit: string, dir: string): void {
  const result = git(repo, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  if (!result.ok) throw new DiffError(`Cannot check out ${commit} in a temporary worktree`, result.stderr);
}

export function removeWorktree(repo: string, dir: string): void {
  if (git(repo, ['worktree', 'remove', '--force', '--force', dir]).ok) return;
  // Whatever made `remove` fail, the directory goes, and git forgets worktrees whose
  // directory is gone.
  fs.rmSync(dir, { recursive: true, force: true });
  git(repo, ['worktree', 'prune']);
}

/**
 * Copies the working tree as git sees it (tracked files as they are on disk, plus untracked
 * files that are not ignored) to `dir`: the head revision when no `--head` is given.
 * Copying rather than running in place keeps the checkout's `cdktf.out` untouched and free
 * of stale stacks from an earlier synth.
 */
export function copyWorkingTree(repo: string, dir: string): void {
  const listed = git(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (!listed.ok) throw new DiffError('Cannot list the working tree', listed.stderr);
  for (const file of new Set(listed.stdout.split('\0'))) {
    if (!file || /^(node_modules|cdktf\.out)(\/|$)/.test(file)) continue;
    const from = path.join(repo, file);
    const to = path.join(dir, file);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(from);
    } catch {
      continue; // deleted in the working tree but still in the index
    }
    if (stat.isDirectory()) continue; // a submodule
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else fs.copyFileSync(from, to);
  }
}
