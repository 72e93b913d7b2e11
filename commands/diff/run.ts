/**
 * `npm run diff` without the command line: put both revisions on disk, synthesize them in
 * parallel, compare, and always clean up the temporary worktrees.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foreignExpressions } from '../../rules/expressions';
import { compareTrees, type StackTree } from './compare';
import { addWorktree, copyWorkingTree, DiffError, removeWorktree, repositoryRoot, resolveCommit } from './git';
import type { DiffReport, RevisionInfo } from './render';
import { linkNodeModules, synthesize } from './synth';

export interface DiffOptions {
  /** Anywhere inside the repository. */
  cwd: string;
  /** Git ref of the revision to compare against. */
  base: string;
  /** Git ref of the new revision. @default the working tree, uncommitted changes included */
  head?: string;
  /**
   * Config file, relative to the repository or absolute: inside the repository, each revision
   * reads its own copy; outside it, both read that file.
   */
  config: string;
  /** Progress lines, for a person watching. @default none */
  log?: (line: string) => void;
}

interface Revision {
  info: RevisionInfo;
  root: string;
}

export async function runDiff(options: DiffOptions): Promise<DiffReport> {
  const log = options.log ?? (() => undefined);
  const repo = repositoryRoot(options.cwd);
  const config = inRepository(repo, options.config);
  const base: RevisionInfo = { ref: options.base, commit: resolveCommit(repo, options.base), workingTree: false };
  const head: RevisionInfo = options.head
    ? { ref: options.head, commit: resolveCommit(repo, options.head), workingTree: false }
    : { ref: null, commit: resolveCommit(repo, 'HEAD'), workingTree: true };

  const started = Date.now();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-cloudtrail-diff-'));
  const worktrees: string[] = [];
  const checkout = (info: RevisionInfo, name: string): Revision => {
    const root = path.join(temp, name);
    if (info.workingTree) {
      copyWorkingTree(repo, root);
    } else {
      addWorktree(repo, info.commit, root);
      worktrees.push(root);
    }
    linkNodeModules(repo, root);
    return { info, root };
  };
  try {
    const revisions = [checkout(base, 'base'), checkout(head, 'head')];
    log(`Synthesizing ${config} at ${describe(base)} and ${describe(head)}...`);
    const notes: string[] = [];
    const [baseTree, headTree] = await Promise.all(
      revisions.map((revision, i) => synthesizeRevision(revision, config, i === 0 ? 'base' : 'head', notes)),
    );
    if (readIfExists(revisions[0].root, 'package-lock.json') !== readIfExists(revisions[1].root, 'package-lock.json')) {
      notes.push(
        "package-lock.json differs between the revisions; both were synthesized with this checkout's node_modules, " +
          'so dependency changes themselves are not part of this diff.',
      );
    }
    log(`Synthesized both revisions in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    const diff = compareTrees(baseTree, headTree);
    const expressions = foreignExpressionReasons(headTree);
    return { ...diff, reviewReasons: [...diff.reviewReasons, ...expressions], base, head, config, notes: [...notes, ...expressions] };
  } finally {
    for (const worktree of worktrees) removeWorktree(repo, worktree);
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * A config that the base revision does not have yet (the pull request adds it) stands for
 * no stacks at all; one missing from the head revision is an error.
 */
async function synthesizeRevision(revision: Revision, config: string, label: string, notes: string[]): Promise<StackTree> {
  if (!fs.existsSync(path.resolve(revision.root, config))) {
    if (label === 'head' || path.isAbsolute(config)) throw new DiffError(`The config ${config} does not exist in the ${label} revision`);
    notes.push(`${config} does not exist in the base revision: every stack of the head revision is new.`);
    return {};
  }
  return synthesize(revision.root, config, label);
}

/** `config` relative to the repository when it is inside it (symbolic links resolved), else as given. */
function inRepository(repo: string, config: string): string {
  if (!path.isAbsolute(config)) return config;
  const real = (file: string): string => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.join(real(path.dirname(file)), path.basename(file));
    }
  };
  const relative = path.relative(real(repo), real(config));
  return relative.startsWith('..') || path.isAbsolute(relative) ? config : relative;
}

/**
 * Every expression in the head revision's stacks that the toolkit never writes
 * (rules/expressions.ts), changed or not: Terraform would evaluate it at plan time, with the
 * runner's files and environment.
 */
function foreignExpressionReasons(tree: StackTree): string[] {
  return Object.entries(tree).flatMap(([name, stack]) =>
    foreignExpressions(stack).map(({ path, expression }) => `${name}: ${path} holds ${expression}, an expression the toolkit never writes, which Terraform would evaluate at plan time`),
  );
}

function describe(info: RevisionInfo): string {
  return info.workingTree ? `the working tree (${info.commit.slice(0, 12)})` : `${info.ref} (${info.commit.slice(0, 12)})`;
}

function readIfExists(root: string, file: string): string | undefined {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
}
