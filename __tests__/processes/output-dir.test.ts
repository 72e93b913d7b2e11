/**
 * The swap a kill cannot lose, and the leftovers git ignores, with processes: a synth killed
 * (SIGKILL) half-way through its swap, in a child Node, and `git check-ignore`. The rest of the
 * output folder's behaviour is in ../output-dir.test.ts, in process.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../../synth/synth';
import { tempDir, validConfig, writeConfig } from '../support/configs';
import { quiet, stacksOf, twoAccounts } from '../support/synth-output';

const ROOT = path.join(__dirname, '..', '..');
const invalidConfig = () => writeConfig({ ...validConfig(), accounts: [] });

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
  test('are ignored by git, as the output and its lock are', () => {
    const paths = ['cdktf.out/stacks/prod/cdk.tf.json', 'cdktf.out.staging-Ab12Cd/manifest.json', 'cdktf.out.staging-Ab12Cd.previous/manifest.json', 'cdktf.out.lock'];

    const result = spawnSync('git', ['check-ignore', '--no-index', ...paths], { cwd: ROOT, encoding: 'utf8' });

    expect(result.stdout.trim().split('\n')).toEqual(paths);
  });
});
