/**
 * The folder synth replaces whole: only one it wrote, and no leftovers of killed runs. A synth
 * killed mid-swap, and git's ignore rules for the output, are in processes/output-dir.test.ts.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../stacks/app';
import { parseConfig } from '../config/load';
import { OUTPUT_MARKER } from '../synth/output-dir';
import { synthesize, SynthError } from '../synth/synth';
import { tempDir, validConfig, writeConfig } from './support/configs';
import { quiet, snapshotOf, stacksOf, twoAccounts } from './support/synth-output';

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
});
