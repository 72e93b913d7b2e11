/** What the synth tests, in process and as processes, write and compare: configs and output trees. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stagingAccount, type TestConfig, validConfig } from './configs';

/** synthesize's options that keep its log lines out of the test output. */
export const quiet = { log: () => undefined };

/** A valid config of two accounts, prod and staging: two stacks. */
export function twoAccounts(): TestConfig {
  const config = validConfig();
  config.accounts.push(stagingAccount());
  return config;
}

/** Every file under `dir`, relative, with its content. */
export const snapshotOf = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => [path.relative(dir, path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name), 'utf8')]),
  );

/** The stacks an output folder holds, sorted. */
export const stacksOf = (outdir: string) => readdirSync(path.join(outdir, 'stacks')).sort();
