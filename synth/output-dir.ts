/**
 * The folder synth replaces whole (cdktf.out, or $CDKTF_OUTDIR), kept safe from three
 * mistakes: a folder that is not synth's own (`CDKTF_OUTDIR=.` would delete the project, `.git`
 * included), a run killed between the two renames of the swap (which left no output at all),
 * and the staging folders killed runs leave beside it.
 *
 * - Synth marks every output it writes (OUTPUT_MARKER) and replaces only a folder that is
 *   missing, empty, marked, or holds nothing but cdktf output (what synth wrote before it
 *   marked its output): anything else is refused, naming what is there.
 * - The swap is `outdir` → `<staging>.previous`, `<staging>` → `outdir`, then the previous
 *   output is deleted. A staging folder gets the marker only once it is verified, so a run
 *   killed between the renames leaves a marked staging folder, which the next run swaps in
 *   (or, without one, it puts the previous output back).
 * - One synth at a time per folder (a lock file beside it, `<outdir>.lock`, naming the
 *   process), so that cleaning leftovers never deletes the staging folder of a synth still
 *   running. The next run removes what killed runs left: only folders named as synth names
 *   them and holding nothing but cdktf output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The file that marks a folder as synth's output. */
export const OUTPUT_MARKER = '.written-by-datadog-cloudtrail';
const MARKER_TEXT = 'npm run synth wrote this folder and replaces it whole on the next synth: keep nothing else in it.\n';

/** What cdktf writes at the top of its output folder. */
const CDKTF_ENTRIES = new Set(['manifest.json', 'stacks', OUTPUT_MARKER]);
const STACK_FILE = 'cdk.tf.json';

/** The output folder cannot be used: nothing was written or deleted. */
export class OutputDirError extends Error {
  override readonly name = 'OutputDirError';
}

/** `<outdir>.staging-XXXXXX`, and `.previous` after it: what synthesize creates beside the output. */
function leftoverPattern(outdir: string): RegExp {
  const base = path.basename(outdir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}\\.staging-[A-Za-z0-9]{6}(\\.previous)?$`);
}

/** A new, empty staging folder beside `outdir` (so that the swap is a rename within one file system). */
export function stagingDir(outdir: string): string {
  return fs.mkdtempSync(`${outdir}.staging-`);
}

/** Marks a staged output as synth's own and complete: from here on the next run may swap it in. */
export function markComplete(staging: string): void {
  fs.writeFileSync(path.join(staging, OUTPUT_MARKER), MARKER_TEXT);
}

/**
 * Takes the output folder for one synth: refuses a folder that is not synth's to replace,
 * holds the lock, finishes or undoes a swap a killed run left half done, and removes the
 * staging folders killed runs left. Returns the function that releases the lock. Throws
 * OutputDirError, having changed nothing, when the folder cannot be used.
 */
export function claimOutputDir(outdir: string, log: (line: string) => void): () => void {
  refuseForeign(outdir);
  const release = lock(outdir);
  try {
    recover(outdir, log);
    removeLeftovers(outdir, log);
    return release;
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Replaces `outdir` by the marked `staging`; on a failure of the second rename `outdir` is put
 * back. A kill between the two renames is recovered by the next claimOutputDir.
 */
export function swapIn(staging: string, outdir: string): void {
  if (!fs.existsSync(outdir)) {
    fs.renameSync(staging, outdir);
    return;
  }
  const previous = `${staging}.previous`;
  fs.renameSync(outdir, previous);
  try {
    fs.renameSync(staging, outdir);
  } catch (error) {
    fs.renameSync(previous, outdir);
    throw error;
  }
  fs.rmSync(previous, { recursive: true, force: true });
}

/**
 * Why `dir` is not a folder synth may replace, or undefined when it may: missing, empty,
 * marked, or holding only cdktf's output (manifest.json, and stacks/ of stack folders each
 * with its cdk.tf.json). Terraform state in a stack folder is never replaced.
 */
export function foreignContent(dir: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return 'it is not a folder';
  const entries = fs.readdirSync(dir);
  const stacks = path.join(dir, 'stacks');
  const stackDirs = fs.existsSync(stacks) && fs.lstatSync(stacks).isDirectory() ? fs.readdirSync(stacks, { withFileTypes: true }) : [];
  // State a user's own `terraform apply` left in a stack folder is never ours to delete.
  const state = stackDirs
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => fs.readdirSync(path.join(stacks, entry.name)).filter((file) => /\.tfstate(\.|$)|^terraform\.tfstate\.d$/.test(file)).map((file) => `stacks/${entry.name}/${file}`));
  if (state.length > 0) return `it holds Terraform state (${list(state)}), which synth never deletes: move it out first`;
  if (entries.includes(OUTPUT_MARKER)) return undefined;
  const other = entries.filter((entry) => !CDKTF_ENTRIES.has(entry));
  if (other.length > 0) return `it holds files synth did not write (${list(other)})`;
  const notStacks = stackDirs.filter((entry) => !entry.isDirectory() || !fs.existsSync(path.join(stacks, entry.name, STACK_FILE)));
  if (notStacks.length > 0) return `stacks/ holds entries that are not synthesized stacks (${list(notStacks.map((entry) => entry.name))})`;
  if (entries.includes('manifest.json') && !isCdktfManifest(path.join(dir, 'manifest.json'))) return 'its manifest.json is not a cdktf manifest';
  return undefined;
}

function refuseForeign(outdir: string): void {
  const reason = foreignContent(outdir);
  if (reason === undefined) return;
  throw new OutputDirError(
    `${outdir} is not an output folder synth may replace: ${reason}. Synth replaces its output folder whole, ` +
      'so it only ever replaces a folder it wrote. Point CDKTF_OUTDIR at a new or empty folder (or unset it for cdktf.out).',
  );
}

function isCdktfManifest(file: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { stacks?: unknown; version?: unknown };
    return typeof manifest.version === 'string' && typeof manifest.stacks === 'object' && manifest.stacks !== null;
  } catch {
    return false;
  }
}

function list(names: string[]): string {
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
}

/**
 * `<outdir>.lock`, created exclusively and naming this process; a lock whose process is gone
 * (a killed synth) is taken over.
 */
function lock(outdir: string): () => void {
  const file = `${outdir}.lock`;
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const owner = `${process.pid} ${os.hostname()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, owner, { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(file);
    if (holder.alive) {
      throw new OutputDirError(
        `Another synth (process ${holder.pid} on ${holder.host}) is writing ${outdir}: wait for it to finish. ` +
          `If no synth is running, delete ${file}.`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new OutputDirError(`Could not lock ${outdir}: ${file} keeps reappearing; another synth is starting.`);
}

function lockHolder(file: string): { pid: number; host: string; alive: boolean } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { pid: 0, host: '', alive: false };
  }
  const [pid, host = ''] = text.trim().split(' ');
  const number = Number(pid);
  // Only this machine's processes can be asked; another machine's lock is presumed held.
  if (host !== os.hostname()) return { pid: number, host, alive: true };
  if (!Number.isInteger(number) || number <= 0) return { pid: number, host, alive: false };
  try {
    process.kill(number, 0);
    return { pid: number, host, alive: true };
  } catch (error) {
    // EPERM: the process exists, but belongs to someone else.
    return { pid: number, host, alive: (error as NodeJS.ErrnoException).code === 'EPERM' };
  }
}

/** The leftovers beside `outdir`, newest first. */
function leftovers(outdir: string): string[] {
  const parent = path.dirname(outdir);
  const pattern = leftoverPattern(outdir);
  return fs
    .readdirSync(parent)
    .filter((name) => pattern.test(name))
    .map((name) => path.join(parent, name))
    .filter((dir) => fs.lstatSync(dir).isDirectory())
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
}

/**
 * With no output folder, a killed run may have stopped between its renames: its marked
 * (verified) staging folder is swapped in; without one, its previous output is put back.
 */
function recover(outdir: string, log: (line: string) => void): void {
  if (fs.existsSync(outdir)) return;
  const found = leftovers(outdir);
  const staged = found.find((dir) => !dir.endsWith('.previous') && fs.existsSync(path.join(dir, OUTPUT_MARKER)));
  const previous = found.find((dir) => dir.endsWith('.previous') && foreignContent(dir) === undefined);
  const restored = staged ?? previous;
  if (!restored) return;
  fs.renameSync(restored, outdir);
  if (staged) fs.rmSync(`${staged}.previous`, { recursive: true, force: true });
  log(
    staged
      ? `Finished the swap of a synth that was stopped half-way: ${outdir} holds the output it had verified.`
      : `Put back the output a synth stopped half-way had moved aside: ${outdir}.`,
  );
}

/** Removes what killed runs left beside `outdir`: folders named as synth names them, holding only cdktf output. */
function removeLeftovers(outdir: string, log: (line: string) => void): void {
  const removed: string[] = [];
  for (const dir of leftovers(outdir)) {
    const entries = fs.readdirSync(dir);
    const stacks = path.join(dir, 'stacks');
    // A killed run may have stopped mid-write: stack folders without their cdk.tf.json yet.
    const partial = entries.every((entry) => CDKTF_ENTRIES.has(entry)) && (!entries.includes('stacks') || fs.readdirSync(stacks, { withFileTypes: true }).every((entry) => entry.isDirectory()));
    if (!partial) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(path.basename(dir));
  }
  if (removed.length > 0) log(`Removed ${removed.length} folder(s) left by synths that were stopped: ${list(removed)}.`);
}
