/**
 * The one way the repository runs terraform (commands/terraform.ts: runTerraform and its pool),
 * with a stand-in terraform on PATH.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { concurrencyLimit, runTerraform } from '../../commands/terraform';
import { tempDir } from '../support/configs';

// Prints its process group and id, then waits; with STANDIN_IGNORE_INT it ignores interrupts.
// It prints only once its trap is set: a test that interrupts it as soon as it has printed
// would otherwise, on a busy machine, end it before the trap (code null, not 1).
const STANDIN = `#!/usr/bin/env bash
announce() { echo "group $(ps -o pgid= $$ | tr -d ' ') of $$"; }
if [ "$STANDIN_IGNORE_INT" = 1 ]; then trap '' INT; announce; exec sleep 30; fi
sleep 30 & sleeper=$!
trap 'kill $sleeper; echo "Interrupt received."; exit 1' INT
announce
wait $sleeper
`;

function standIn(ignoreInterrupt = false) {
  const dir = tempDir('ddct-runner-');
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'terraform'), STANDIN);
  chmodSync(path.join(dir, 'bin', 'terraform'), 0o755);
  const env = { ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}`, STANDIN_IGNORE_INT: ignoreInterrupt ? '1' : '0' };
  return { dir, env };
}

describe('runTerraform', () => {
  test('interrupts a command out of its time once, and reports it stopped', async () => {
    const { dir, env } = standIn();

    const run = await runTerraform({ cwd: dir, args: ['apply'], env, timeoutMs: 3000 });

    expect(run).toMatchObject({ code: 1, stopped: 'timeout' });
    expect(run.output).toContain('Interrupt received.');
    expect(run.output).toContain('(terraform apply interrupted after 3 s, its time limit)');
  });

  test('kills a command that does not stop within the grace after its interrupt', async () => {
    const { dir, env } = standIn(true);

    const run = await runTerraform({ cwd: dir, args: ['apply'], env, timeoutMs: 3000, stopGraceMs: 300 });

    expect(run).toMatchObject({ code: null, stopped: 'timeout' });
    expect(run.output).toContain('(terraform apply interrupted after 3 s, its time limit, and killed 0.3 s later)');
  });

  test("with the caller's signal, runs terraform in a process group of its own and interrupts it on abort", async () => {
    const { dir, env } = standIn();
    const cancel = new AbortController();
    const outputFile = path.join(dir, 'out.txt');
    const running = runTerraform({ cwd: dir, args: ['plan'], env, signal: cancel.signal, outputFile });
    while (!readFileSync(outputFile, 'utf8').includes('group')) await new Promise((resolve) => setTimeout(resolve, 20));

    cancel.abort();
    const run = await running;

    expect(run).toMatchObject({ code: 1, stopped: 'interrupt' });
    const [, group, pid] = /group (\d+) of (\d+)/.exec(run.output) ?? [];
    expect(group).toBe(pid);
    expect(run.output).toContain('Interrupt received.');
  });

  test('starts nothing when the signal was aborted before', async () => {
    const { dir, env } = standIn();
    const cancel = new AbortController();
    cancel.abort();

    const run = await runTerraform({ cwd: dir, args: ['plan'], env, signal: cancel.signal });

    expect(run).toMatchObject({ code: null, stopped: 'interrupt', seconds: 0 });
  });

  test('reports a terraform that cannot start as a result, not an exception', async () => {
    const run = await runTerraform({ cwd: tempDir(), args: ['plan'], env: { ...process.env, PATH: tempDir() } });

    expect(run.code).toBeNull();
    expect(run.output).toContain('terraform plan: spawn terraform ENOENT');
  });
});

describe('concurrencyLimit', () => {
  test('runs at most its limit of tasks at a time, and starts waiting ones in order', async () => {
    const limit = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (id: number) => async () => {
      started.push(id);
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return id;
    };

    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => limit(task(id))));

    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });
});
