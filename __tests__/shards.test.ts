import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../config/load';
import { dependenciesByName } from '../config/plan';
import { deployOrder } from '../config/topology';
import { generateOrganization } from '../tools/generate-organization';
import { GITHUB_MATRIX_LIMIT, planShards, type Shard, type ShardInput } from '../rollout/sharding';
import { tempDir, writeConfig } from './support/configs';

const ROOT = path.join(__dirname, '..');
const ORGANIZATION = path.join(ROOT, 'examples', 'organization.json');

const singles = (count: number, prefix = 's'): ShardInput[] => Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, dependsOn: [] }));
const members = (shard: Shard): string[] => shard.stacks;
const sizes = (shards: Shard[]): number[] => shards.map((shard) => members(shard).length);
/** An entry of the printed matrix: stacks space-separated. */
type MatrixEntry = { shard: string; stacks: string };
const listed = (entry: MatrixEntry): string[] => entry.stacks.split(' ');

describe('planShards', () => {
  test('covers every stack exactly once', () => {
    const stacks = singles(1000);

    const covered = planShards(stacks, { maxJobs: 64, prefix: 'w1-' }).flatMap(members);

    expect([...covered].sort()).toEqual(stacks.map((s) => s.name).sort());
  });

  test('makes at most maxJobs shards, and no more shards than stacks', () => {
    expect(planShards(singles(1000), { maxJobs: 64, prefix: '' })).toHaveLength(64);
    expect(planShards(singles(5), { maxJobs: 64, prefix: '' })).toHaveLength(5);
  });

  test('balances sizes to within one stack', () => {
    const counts = sizes(planShards(singles(2490), { maxJobs: 256, prefix: '' }));

    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  test('keeps a stack in the shard of its dependency, after it, and still balances', () => {
    const stacks: ShardInput[] = [{ name: 'log-archive', dependsOn: [] }, { name: 'management', dependsOn: ['log-archive'] }, ...singles(99, 'm')];

    const shards = planShards(stacks, { maxJobs: 10, prefix: '' });

    expect(members(shards.find((s) => members(s).includes('management')) as Shard).slice(0, 2)).toEqual(['log-archive', 'management']);
    expect(Math.max(...sizes(shards)) - Math.min(...sizes(shards))).toBeLessThanOrEqual(1);
  });

  test('keeps a dependent pair together even when there are as many jobs as stacks', () => {
    const shards = planShards([{ name: 'a', dependsOn: [] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: [] }], { maxJobs: 3, prefix: '' });

    expect(shards.map((s) => s.stacks)).toEqual([['a', 'b'], ['c']]);
  });

  test('ignores a dependency outside the list (deployed in an earlier wave)', () => {
    expect(planShards([{ name: 'management', dependsOn: ['log-archive'] }], { maxJobs: 4, prefix: '' }).map((s) => s.stacks)).toEqual([['management']]);
  });

  test('refuses a stack listed before its dependency', () => {
    expect(() => planShards([{ name: 'b', dependsOn: ['a'] }, { name: 'a', dependsOn: [] }], { maxJobs: 2, prefix: '' })).toThrow('Stack b is listed before a');
  });

  test('names shards with the prefix and a zero-padded number', () => {
    expect(planShards(singles(3), { maxJobs: 3, prefix: 'w2-' }).map((s) => s.shard)).toEqual(['w2-001', 'w2-002', 'w2-003']);
  });

  test('gives no shard for no stacks', () => {
    expect(planShards([], { maxJobs: 256, prefix: '' })).toEqual([]);
  });
});

describe('shards of a 5,000-member organization', () => {
  const config = parseConfig(JSON.stringify(generateOrganization(5000)), 'org5000.json');
  const waves = [...new Set(config.accounts.map((a) => a.wave))];

  test.each(waves)('wave %i fits in one matrix of GitHub, every stack once, balanced', (wave) => {
    const accounts = deployOrder(config).filter((a) => a.wave === wave);

    const dependencies = dependenciesByName(config.plans);
    const shards = planShards(
      accounts.map((a) => ({ name: a.name, dependsOn: dependencies.get(a.name) ?? [] })),
      { maxJobs: GITHUB_MATRIX_LIMIT, prefix: `w${wave}-` },
    );

    expect(shards.length).toBeLessThanOrEqual(GITHUB_MATRIX_LIMIT);
    expect(shards.flatMap(members).sort()).toEqual(accounts.map((a) => a.name).sort());
    expect(Math.max(...sizes(shards)) - Math.min(...sizes(shards))).toBeLessThanOrEqual(1);
  });
});

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
