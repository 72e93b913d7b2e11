/**
 * The folder synth replaces whole: only one it wrote, a swap a kill cannot lose, and no
 * leftovers of killed runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../stacks/app';
import { parseConfig } from '../config/load';
import { OUTPUT_MARKER } from '../synth/output-dir';
import { synthesize, SynthError } from '../synth/synth';
import { stagingAccount, tempDir, validConfig, writeConfig } from './support/configs';

const ROOT = path.join(__dirname, '..');
const quiet = { log: () => undefined };
const twoAccounts = () => {
  const config = validConfig();
  config.accounts.push(stagingAccount());
  return config;
};
const invalidConfig = () => writeConfig({ ...validConfig(), accounts: [] });
/** Every file under `dir`, relative, with its content. */
const snapshotOf = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => [path.relative(dir, path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name), 'utf8')]),
  );
const stacksOf = (outdir: string) => readdirSync(path.join(outdir, 'stacks')).sort();

describe('the output folder synth replaces', () => {
  test('is refused, with nothing written or deleted, when it holds files synth did not write (CDKTF_OUTDIR=. in a project)', () => {
    const project = tempDir('project-');
    mkdirSync(path.join(project, '.git'));
    writeFileSync(path.join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(project, 'package.json'), '{}\n');
    const before = snapshotOf(project);

    const run = () => synthesize(writeConfig(validConfig()), { ...quiet, env: { CDKTF_OUTDIR: project } });

    expect(run).toThrow(SynthError);
    expect(run).toThrow(`${project} is not an output folder synth may replace: it holds files synth did not write (.git, package.json)`);
    expect(snapshotOf(project)).toEqual(before);
    expect(readdirSync(path.dirname(project)).filter((name) => name.startsWith(path.basename(project)))).toEqual([path.basename(project)]);
  });

  test('is refused when a stack folder holds Terraform state, which synth never deletes', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    synthesize(writeConfig(validConfig()), { ...quiet, outdir });
    writeFileSync(path.join(outdir, 'stacks', 'prod', 'terraform.tfstate'), '{}');

    expect(() => synthesize(writeConfig(validConfig()), { ...quiet, outdir })).toThrow('it holds Terraform state (stacks/prod/terraform.tfstate)');
    expect(existsSync(path.join(outdir, 'stacks', 'prod', 'terraform.tfstate'))).toBe(true);
  });

  test('is marked as synth’s own, and replaced on the next synth', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');

    synthesize(writeConfig(twoAccounts()), { ...quiet, outdir });
    expect(existsSync(path.join(outdir, OUTPUT_MARKER))).toBe(true);
    synthesize(writeConfig(validConfig()), { ...quiet, outdir });

    expect(stacksOf(outdir)).toEqual(['prod']);
  });

  test('is accepted, and marked, when it holds only the output of an earlier, unmarked synth (an upgrade)', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    buildApp(parseConfig(JSON.stringify(twoAccounts()), 'two.json'), { outdir }).synth();
    mkdirSync(path.join(outdir, 'stacks', 'prod', '.terraform'));
    writeFileSync(path.join(outdir, 'stacks', 'prod', 'plan.bin'), 'a saved plan');

    synthesize(writeConfig(validConfig()), { ...quiet, outdir });

    expect(stacksOf(outdir)).toEqual(['prod']);
    expect(existsSync(path.join(outdir, OUTPUT_MARKER))).toBe(true);
  });

  test('is accepted when it exists and is empty', () => {
    const outdir = tempDir('empty-');

    synthesize(writeConfig(validConfig()), { ...quiet, outdir });

    expect(stacksOf(outdir)).toEqual(['prod']);
  });

  test('is refused while another synth holds it, naming the process', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    writeFileSync(`${outdir}.lock`, `${process.pid} ${hostname()}\n`);

    expect(() => synthesize(writeConfig(validConfig()), { ...quiet, outdir })).toThrow(`Another synth (process ${process.pid}`);
    expect(existsSync(outdir)).toBe(false);
  });
});

/**
 * Runs synthesize in a child process that is killed (SIGKILL) right after the first rename
 * of the swap, the previous output moved aside and the new one not yet in place.
 */
function synthKilledMidSwap(config: string, outdir: string) {
  const script = `
    const fs = require('node:fs');
    const rename = fs.renameSync;
    fs.renameSync = (from, to) => {
      rename(from, to);
      if (from === ${JSON.stringify(outdir)}) process.kill(process.pid, 'SIGKILL');
    };
    require(${JSON.stringify(path.join(ROOT, 'synth', 'synth.ts'))}).synthesize(${JSON.stringify(config)}, { outdir: ${JSON.stringify(outdir)}, log: () => {} });
  `;
  return spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), '-e', script], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
}

describe('a synth killed half-way through its swap', () => {
  const parent = tempDir();
  const outdir = path.join(parent, 'cdktf.out');
  synthesize(writeConfig(validConfig()), { ...quiet, outdir });
  const killed = synthKilledMidSwap(writeConfig(twoAccounts()), outdir);
  const leftBehind = readdirSync(parent).sort();

  test('leaves no output folder, the new output staged and the old one aside', () => {
    expect(killed.signal).toBe('SIGKILL');
    expect(leftBehind).toEqual([expect.stringMatching(/^cdktf\.out\.lock$/), expect.stringMatching(/^cdktf\.out\.staging-\w{6}$/), expect.stringMatching(/^cdktf\.out\.staging-\w{6}\.previous$/)]);
  });

  test('is finished by the next synth, even one whose config is invalid, which removes the leftovers', () => {
    const lines: string[] = [];

    expect(() => synthesize(invalidConfig(), { outdir, log: (line) => lines.push(line) })).toThrow('Invalid config');

    expect(stacksOf(outdir)).toEqual(['prod', 'staging']);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
    expect(lines).toEqual([`Finished the swap of a synth that was stopped half-way: ${outdir} holds the output it had verified.`]);
  });
});

describe('the folders killed synths leave beside the output', () => {
  test('are removed by the next synth, and only those: named as synth names them and holding only cdktf output', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'cdktf.out');
    synthesize(writeConfig(validConfig()), { ...quiet, outdir });
    const partial = path.join(parent, 'cdktf.out.staging-Ab12Cd');
    mkdirSync(path.join(partial, 'stacks', 'prod'), { recursive: true });
    const previous = path.join(parent, 'cdktf.out.staging-Xy34Zw.previous');
    mkdirSync(path.join(previous, 'stacks', 'prod'), { recursive: true });
    writeFileSync(path.join(previous, 'manifest.json'), '{}');
    const someoneElses = path.join(parent, 'cdktf.out.staging-Qr56St');
    mkdirSync(someoneElses);
    writeFileSync(path.join(someoneElses, 'notes.txt'), 'mine');
    mkdirSync(path.join(parent, 'cdktf.out.staging-old'));
    const lines: string[] = [];

    synthesize(writeConfig(validConfig()), { outdir, log: (line) => lines.push(line) });

    expect(readdirSync(parent).sort()).toEqual(['cdktf.out', 'cdktf.out.staging-Qr56St', 'cdktf.out.staging-old']);
    expect(lines[0]).toMatch(/^Removed 2 folder\(s\) left by synths that were stopped: /);
    expect(lines[0]).toContain('cdktf.out.staging-Ab12Cd');
    expect(lines[0]).toContain('cdktf.out.staging-Xy34Zw.previous');
  });

  test('are ignored by git, as the output and its lock are', () => {
    const paths = ['cdktf.out/stacks/prod/cdk.tf.json', 'cdktf.out.staging-Ab12Cd/manifest.json', 'cdktf.out.staging-Ab12Cd.previous/manifest.json', 'cdktf.out.lock'];

    const result = spawnSync('git', ['check-ignore', '--no-index', ...paths], { cwd: ROOT, encoding: 'utf8' });

    expect(result.stdout.trim().split('\n')).toEqual(paths);
  });
});
