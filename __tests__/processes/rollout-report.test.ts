/**
 * `npm run rollout-report` (rollout/rollout-report.ts), run as the roll-out workflow runs it on the
 * shard reports it downloaded: a Node process of its own, what it prints and its exit codes. The
 * outcomes it reports are specified in process in rollout-report.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ShardReport } from '../../rollout/shard-runner';
import { tempDir } from '../support/configs';
import { shardReport } from '../support/shard-reports';

const ROOT = path.join(__dirname, '..', '..');

describe('npm run rollout-report', () => {
  const dir = tempDir('ddct-reports-');
  const write = (artifact: string, value: ShardReport) => {
    mkdirSync(path.join(dir, artifact), { recursive: true });
    writeFileSync(path.join(dir, artifact, `${value.command}.json`), JSON.stringify(value));
  };
  write('plan-w1-r1-001', shardReport('plan', 'w1-r1-001', [['a', 'changes'], ['b', 'changes'], ['c', 'no-changes']]));
  write('apply-w1-r1-001', shardReport('apply', 'w1-r1-001', [['a', 'applied'], ['b', 'stale'], ['c', 'unchanged']]));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'rollout', 'rollout-report.ts'), dir, ...args], { encoding: 'utf8' });

  test('exits 1 with the table when a stack failed', () => {
    const result = run(['--stacks', 'a b c', '--wave', '1']);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('| b | stale |');
  });

  test('prints the stacks to plan again alone with --replan, one a line', () => {
    expect(run(['--stacks', 'a b c', '--replan']).stdout).toBe('b\n');
  });

  test('reads the stacks that were to run from --stacks-file', () => {
    const file = path.join(tempDir(), 'stacks.txt');
    writeFileSync(file, 'a\nb\nc\n');

    expect(run(['--stacks-file', file, '--replan']).stdout).toBe('b\n');
  });

  test('refuses --stacks with --stacks-file', () => {
    const result = run(['--stacks', 'a', '--stacks-file', 'x.txt']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--stacks and --stacks-file contradict each other: give one');
  });

  test('names a --stacks-file it cannot read', () => {
    const result = run(['--stacks-file', 'missing.txt']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--stacks-file missing.txt: cannot read it (ENOENT)');
  });

  test('exits 2 on drift with --drift, listing the drifted stacks', () => {
    const result = run(['--stacks', 'a b c', '--drift']);

    expect(result.status).toBe(2);
    expect(result.stdout).toContain('2 of 3 stacks drifted');
    expect(result.stdout).toContain('| a | changes | 1 | 0 | 0 |');
  });
});
