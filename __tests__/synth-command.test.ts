/**
 * synthesize and verifyStagedOutput, the steps of `npm run synth`: the previous output is kept
 * when the new one fails its checks. `npm run synth` as a user runs it is in
 * processes/synth-command.test.ts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../config/load';
import { synthesize, SynthError, verifyStagedOutput } from '../synth/synth';
import { buildApp } from '../stacks/app';
import { tempDir, validConfig, writeConfig } from './support/configs';
import { snapshotOf, twoAccounts } from './support/synth-output';

describe('synthesize', () => {
  test('leaves the previous output as it was, and nothing staged, when the staged output fails its checks', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'cdktf.out');
    synthesize(writeConfig(twoAccounts()), { outdir });
    const before = snapshotOf(outdir);

    const failing = () =>
      synthesize(writeConfig(validConfig()), {
        outdir,
        verify: () => {
          throw new Error('a rule failed');
        },
      });

    expect(failing).toThrow(SynthError);
    expect(failing).toThrow(`Synthesis failed: a rule failed\nNothing was written: ${outdir} was left as it was.`);
    expect(snapshotOf(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test('passes the verifier the staged output and the config, before the swap', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    const seen: string[] = [];

    synthesize(writeConfig(validConfig()), {
      outdir,
      verify: (stagingDir, config) => {
        seen.push(...readdirSync(path.join(stagingDir, 'stacks')), config.accounts[0].name, String(existsSync(outdir)));
      },
    });

    expect(seen).toEqual(['prod', 'prod', 'false']);
  });
});

describe('verifyStagedOutput', () => {
  const config = parseConfig(JSON.stringify(twoAccounts()), 'two.json');
  const staged = () => {
    const dir = tempDir('staged-');
    buildApp(config, { outdir: dir }).synth();
    return dir;
  };

  test('accepts what the app synthesizes for the config', () => {
    expect(() => verifyStagedOutput(staged(), config)).not.toThrow();
  });

  test('refuses an output with a stack that is not in the config', () => {
    const dir = staged();
    const single = parseConfig(JSON.stringify(validConfig()), 'one.json');
    expect(() => verifyStagedOutput(dir, single)).toThrow('staging is not a stack of the config');
  });

  test('refuses a stack file that is not JSON', () => {
    const dir = staged();
    writeFileSync(path.join(dir, 'stacks', 'prod', 'cdk.tf.json'), '{');
    expect(() => verifyStagedOutput(dir, config)).toThrow('prod/cdk.tf.json cannot be read as JSON');
  });

  test("refuses a manifest that names a stack the cdktf CLI cannot read, or one the config does not have", () => {
    const dir = staged();
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.stacks.gone = { ...manifest.stacks.prod, name: 'gone', synthesizedStackPath: 'stacks/gone/cdk.tf.json' };
    manifest.stacks.prod.synthesizedStackPath = 'stacks/prod/missing.tf.json';
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));

    expect(() => verifyStagedOutput(dir, config)).toThrow(
      'manifest.json names gone, not a stack of the config; manifest.json\'s synthesizedStackPath of prod names no file ("stacks/prod/missing.tf.json")',
    );
  });

  test('refuses an output without a stack the config asks for', () => {
    const dir = tempDir('staged-');
    mkdirSync(path.join(dir, 'stacks'));
    expect(() => verifyStagedOutput(dir, config)).toThrow('stack prod was not written; stack staging was not written');
  });
});
