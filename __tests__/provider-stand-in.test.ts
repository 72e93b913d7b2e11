import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeStandIn, localAwsVersions, localProviderDirs, STAND_IN_REWRITES, standInProvider } from '../commands/provider-stand-in';

const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** A stack as cdktf synthesizes it with @cdktf/provider-aws 21.22.1. */
function stack(runtime = 'python3.14'): Record<string, unknown> {
  return {
    terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
    resource: {
      aws_lambda_function: { forwarder: { function_name: 'DatadogForwarder', runtime } },
      aws_iam_role: { role: { name: 'forwarder-role' } },
    },
  };
}
const runtimeOf = (config: Record<string, unknown>) =>
  ((config.resource as Record<string, Record<string, Record<string, unknown>>>).aws_lambda_function.forwarder.runtime);
const versionOf = (config: Record<string, unknown>) =>
  (((config.terraform as Record<string, unknown>).required_providers as Record<string, Record<string, unknown>>).aws.version);

describe('which AWS provider the harness plans with', () => {
  test('the pinned one from the registry when no mirror is configured: nothing rewritten', () => {
    const config = stack();

    expect(standInProvider(config, undefined)).toEqual({ config });
  });

  test('the pinned one when a local provider directory holds it: nothing rewritten', () => {
    expect(standInProvider(stack(), ['6.25.0', '5.100.0']).standIn).toBeUndefined();
  });

  test('the newest older version as a stand-in when the directories hold only older ones', () => {
    const { config, standIn } = standInProvider(stack(), ['6.30.0', '5.100.0', '5.90.0']);

    expect(versionOf(config)).toBe('5.100.0');
    expect(standIn).toMatchObject({ pinned: '6.25.0', version: '5.100.0' });
  });

  test('rewrites python3.14, which that stand-in refuses, to python3.13, and lists the rewrite', () => {
    const { config, standIn } = standInProvider(stack(), ['5.100.0']);

    expect(runtimeOf(config)).toBe('python3.13');
    expect(standIn?.rewrites.map(({ address, rewrite }) => [address, rewrite.attribute, rewrite.value, rewrite.standIn])).toEqual([
      ['aws_lambda_function.forwarder', 'runtime', 'python3.14', 'python3.13'],
    ]);
  });

  test('rewrites nothing a stand-in already accepts (python3.14 from provider 6.21.0)', () => {
    const { config, standIn } = standInProvider(stack(), ['6.22.0']);

    expect(runtimeOf(config)).toBe('python3.14');
    expect(standIn?.rewrites).toEqual([]);
  });

  test('rewrites only the values of its table: any other value reaches the stand-in as it is', () => {
    expect(runtimeOf(standInProvider(stack('nodejs24.x'), ['5.100.0']).config)).toBe('nodejs24.x');
  });

  test('leaves the synthesized stack itself untouched', () => {
    const config = stack();
    standInProvider(config, ['5.100.0']);

    expect(runtimeOf(config)).toBe('python3.14');
    expect(versionOf(config)).toBe('6.25.0');
  });

  test('has no stand-in when the directories hold only newer versions: init then fails, as it should', () => {
    expect(standInProvider(stack(), ['6.30.0']).standIn).toBeUndefined();
  });

  test('says that the plan ran on a stand-in, and what it rewrote', () => {
    const { standIn } = standInProvider(stack(), ['5.100.0']);

    expect(describeStandIn(standIn!)).toBe(
      'planned on a stand-in: AWS provider 5.100.0, not the pinned 6.25.0, which no local provider directory holds; ' +
        'rewritten in the scratch copy: aws_lambda_function.forwarder.runtime python3.14 -> python3.13',
    );
  });

  test('gives the reason and the source of every rewrite in its table', () => {
    for (const rewrite of STAND_IN_REWRITES) expect(rewrite.reason).toMatch(/#\d+|issue \d+|https:\/\//);
  });
});

describe('the local provider directories', () => {
  let tmp: string;
  const version = (dir: string, v: string, platform = PLATFORM) => fs.mkdirSync(path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws', v, platform), { recursive: true });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddct-standin-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("lists the AWS provider versions built for this machine's platform, newest first", () => {
    const mirror = path.join(tmp, 'mirror');
    version(mirror, '5.9.0');
    version(mirror, '5.100.0');
    version(mirror, '6.25.0', 'plan9_mips');

    expect(localAwsVersions([mirror])).toEqual(['5.100.0', '5.9.0']);
  });

  test('adds a plugin cache that holds the AWS provider to the mirror, offline', () => {
    const mirror = path.join(tmp, 'mirror');
    const cache = path.join(tmp, 'cache');
    version(mirror, '5.100.0');
    version(cache, '6.25.0');

    expect(localProviderDirs(mirror, { TF_PLUGIN_CACHE_DIR: cache })).toEqual([mirror, cache]);
    expect(localAwsVersions(localProviderDirs(mirror, { TF_PLUGIN_CACHE_DIR: cache }))).toEqual(['6.25.0', '5.100.0']);
  });

  test('uses no local directory without a mirror: the registry then has every version', () => {
    expect(localProviderDirs(undefined, { TF_PLUGIN_CACHE_DIR: tmp })).toEqual([]);
  });
});
