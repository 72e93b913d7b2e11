/**
 * `npm run shards` (rollout/shards.ts), run as the roll-out workflow runs it: a Node process of
 * its own, the matrix it prints, the lists it writes and its exit codes. How stacks are split into
 * shards is specified in process in shards.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateOrganization } from '../../tools/generate-organization';
import { tempDir, writeConfig } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');
const ORGANIZATION = path.join(ROOT, 'examples', 'organization.json');

/** An entry of the printed matrix: stacks space-separated. */
type MatrixEntry = { shard: string; stacks: string };
const listed = (entry: MatrixEntry): string[] => entry.stacks.split(' ');

describe('npm run shards', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'rollout', 'shards.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DD_CLOUDTRAIL_CONFIG: '' },
    });

  test('prints the matrix of a wave, the management stack after the log-archive stack in one shard', () => {
    const result = run(['--wave', '1', '--max-jobs', '2', '--config', ORGANIZATION]);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ include: [{ shard: 'w1-001', stacks: 'log-archive management' }, { shard: 'w1-002', stacks: 'sandbox' }] });
    expect(result.stderr).toContain('3 stacks of wave 1');
  });

  test('shards every stack of the config without --wave', () => {
    const { include } = JSON.parse(run(['--config', ORGANIZATION]).stdout) as { include: MatrixEntry[] };

    expect(include.map((s) => s.shard)[0]).toBe('all-001');
    expect(include.flatMap(listed)).toEqual(['log-archive', 'management', 'sandbox', 'staging', 'prod']);
  });

  test('shards only the stacks named with --stacks, in deploy order', () => {
    const { include } = JSON.parse(run(['--stacks', 'prod,management  log-archive', '--prefix', 'pr-', '--config', ORGANIZATION]).stdout) as { include: MatrixEntry[] };

    expect(include).toEqual([{ shard: 'pr-001', stacks: 'log-archive management' }, { shard: 'pr-002', stacks: 'prod' }]);
  });

  test('with --out, writes the lists to files, one stack a line, and prints a matrix of shard ids and sizes', () => {
    const out = path.join(tempDir(), 'shards');

    const result = run(['--wave', '1', '--max-jobs', '2', '--out', out, '--config', ORGANIZATION]);

    expect(JSON.parse(result.stdout)).toEqual({ include: [{ shard: 'w1-001', size: 2 }, { shard: 'w1-002', size: 1 }] });
    expect(readFileSync(path.join(out, 'w1-001.txt'), 'utf8')).toBe('log-archive\nmanagement\n');
    expect(readFileSync(path.join(out, 'w1-002.txt'), 'utf8')).toBe('sandbox\n');
    expect(readFileSync(path.join(out, 'stacks.txt'), 'utf8')).toBe('log-archive\nmanagement\nsandbox\n');
  });

  test('shards the stacks listed in --stacks-file', () => {
    const file = path.join(tempDir(), 'changed.txt');
    writeFileSync(file, 'prod\nmanagement\nlog-archive\n');

    const { include } = JSON.parse(run(['--stacks-file', file, '--prefix', 'pr-', '--config', ORGANIZATION]).stdout) as { include: MatrixEntry[] };

    expect(include).toEqual([{ shard: 'pr-001', stacks: 'log-archive management' }, { shard: 'pr-002', stacks: 'prod' }]);
  });

  test('refuses a stack that is not in the wave, printing no matrix', () => {
    const result = run(['--wave', '1', '--stacks', 'prod', '--config', ORGANIZATION]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Not stacks of wave 1 of');
    expect(result.stdout).toBe('');
  });

  test('refuses more jobs than GitHub runs from one matrix', () => {
    const result = run(['--max-jobs', '300', '--config', ORGANIZATION]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--max-jobs is at most 256');
  });

  test('prints an empty matrix for a wave without stacks, and says so', () => {
    const result = run(['--wave', '9', '--config', ORGANIZATION]);

    expect(JSON.parse(result.stdout)).toEqual({ include: [] });
    expect(result.stderr).toContain('No stacks in wave 9');
  });

  test('shards a wave of a 5,000-member organization within GitHub limits', () => {
    const result = run(['--wave', '3', '--config', writeConfig(generateOrganization(5000))]);

    const { include } = JSON.parse(result.stdout) as { include: MatrixEntry[] };
    expect(include).toHaveLength(256);
    expect(include.flatMap(listed)).toHaveLength(2500);
  });
});
