/**
 * Synthesizes one revision with its own code: its `main.ts`, run as `npm run synth` runs it,
 * with the current checkout's node_modules (no install per revision).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonFile } from '../../config/json';
import type { StackTree, TerraformJson } from './compare';
import { DiffError } from './git';

// A synth takes seconds; this only stops a hung one from hanging CI.
const SYNTH_TIMEOUT_MS = 5 * 60 * 1000;

/** Makes `root/node_modules` the checkout's, so that `root/main.ts` resolves its imports. */
export function linkNodeModules(checkout: string, root: string): void {
  const nodeModules = path.join(checkout, 'node_modules');
  if (!fs.existsSync(nodeModules)) throw new DiffError(`${nodeModules} does not exist: run npm ci first`);
  fs.symlinkSync(nodeModules, path.join(root, 'node_modules'), 'dir');
}

/**
 * Runs `root/main.ts` with DD_CLOUDTRAIL_CONFIG = `config` (relative to `root`, or
 * absolute) and returns what it wrote to `root/cdktf.out/stacks`.
 */
export async function synthesize(root: string, config: string, label: string): Promise<StackTree> {
  if (!fs.existsSync(path.join(root, 'main.ts'))) throw new DiffError(`The ${label} revision has no main.ts to synthesize`);
  const outdir = path.join(root, 'cdktf.out');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DD_CLOUDTRAIL_CONFIG: config,
    CHECKPOINT_DISABLE: '1',
    // main.ts writes to ./cdktf.out; the cdktf App reads CDKTF_OUTDIR first, so a value
    // inherited from the caller must not send the stacks elsewhere.
    CDKTF_OUTDIR: outdir,
  };
  const tsNode = path.join(root, 'node_modules', 'ts-node', 'dist', 'bin.js');
  const { code, output } = await run(process.execPath, [tsNode, '--transpile-only', 'main.ts'], root, env);
  if (code !== 0) {
    throw new DiffError(`Synthesizing the ${label} revision failed (${code === null ? 'timed out' : `exit code ${code}`}); its output:`, output);
  }
  return readStacks(path.join(outdir, 'stacks'), label);
}

function readStacks(stacksDir: string, label: string): StackTree {
  if (!fs.existsSync(stacksDir)) throw new DiffError(`Synthesizing the ${label} revision wrote no stacks (no ${stacksDir})`);
  const stacks: StackTree = {};
  for (const entry of fs.readdirSync(stacksDir, { withFileTypes: true })) {
    const file = path.join(stacksDir, entry.name, 'cdk.tf.json');
    if (entry.isDirectory() && fs.existsSync(file)) stacks[entry.name] = readStack(file, `${entry.name}/cdk.tf.json`, label);
  }
  return stacks;
}

/** A key given twice would be compared as JSON.parse reads it, the last one, while Terraform reads both: refused. */
function readStack(file: string, name: string, label: string): TerraformJson {
  try {
    return readJsonFile(file) as TerraformJson;
  } catch (error) {
    throw new DiffError(`The ${label} revision's ${name} cannot be compared: ${(error as Error).message}`);
  }
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: SYNTH_TIMEOUT_MS });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8').trim() }));
  });
}
