/**
 * What synth leaves in cdktf.out is what the cdktf CLI's own commands (list, synth, diff,
 * deploy) read: a manifest naming exactly the stacks on disk, and stack folders the CLI can
 * clean up after a stack is gone (support/cdktf-cli.ts ports what the CLI does).
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../synth/synth';
import { cdktfSynth, readSynthesizedStacks } from './support/cdktf-cli';
import { stagingAccount, tempDir, validConfig, writeConfig } from './support/configs';

const twoAccounts = () => {
  const config = validConfig();
  config.accounts.push(stagingAccount());
  return config;
};
/** `cdktf list` of the app with `config`: the CLI's steps around our synth. */
const cdktfList = (outdir: string, config: string) =>
  cdktfSynth(outdir, (env) => synthesize(config, { env, log: () => undefined })).map((stack) => stack.name);

describe('cdktf list after a synth', () => {
  test('lists the remaining stacks at the first run after an account was removed from the config', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    cdktfList(outdir, writeConfig(twoAccounts()));

    expect(cdktfList(outdir, writeConfig(validConfig()))).toEqual(['prod']);
    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['prod']);
  });

  test('lists the stacks of another config synthesized with npm run synth before it', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    synthesize(writeConfig(twoAccounts()), { outdir, log: () => undefined });
    const other = validConfig();
    other.accounts[0].name = 'sandbox';

    expect(cdktfList(outdir, writeConfig(other))).toEqual(['sandbox']);
    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['sandbox']);
  });

  test('with --skip-synth reads every stack the manifest names, after a stack was removed', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    synthesize(writeConfig(twoAccounts()), { outdir, log: () => undefined });
    synthesize(writeConfig(validConfig()), { outdir, log: () => undefined });

    expect(readSynthesizedStacks(outdir).map((stack) => [stack.name, path.relative(outdir, stack.workingDirectory)])).toEqual([['prod', 'stacks/prod']]);
  });
});

describe('npm run synth, outside the cdktf CLI', () => {
  test('leaves no folder of a removed stack', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    synthesize(writeConfig(twoAccounts()), { outdir, log: () => undefined });

    synthesize(writeConfig(validConfig()), { outdir, env: {}, log: () => undefined });

    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['prod']);
  });
});
