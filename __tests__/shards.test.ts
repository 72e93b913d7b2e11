/**
 * How the roll-out splits the stacks of a wave into shards, one GitHub Actions job each
 * (rollout/sharding.ts). The command that prints the matrix, `npm run shards`, is specified in
 * processes/shards.test.ts.
 */
import { parseConfig } from '../config/load';
import { dependenciesByName } from '../config/plan';
import { deployOrder } from '../config/topology';
import { generateOrganization } from '../tools/generate-organization';
import { GITHUB_MATRIX_LIMIT, planShards, type Shard, type ShardInput } from '../rollout/sharding';

const singles = (count: number, prefix = 's'): ShardInput[] => Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, dependsOn: [] }));
const members = (shard: Shard): string[] => shard.stacks;
const sizes = (shards: Shard[]): number[] => shards.map((shard) => members(shard).length);

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
