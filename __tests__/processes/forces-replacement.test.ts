/**
 * commands/diff/forces-replacement.json, the diff's knowledge of which attribute changes replace
 * a resource, is generated from the AWS provider's own plans (tools/forces-replacement.ts).
 * These tests catch a stale file; regenerate it with
 * `npx ts-node --transpile-only tools/forces-replacement.ts`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import awsBindings from '@cdktf/provider-aws/package.json';
import { compareTrees, type TerraformJson } from '../../commands/diff/compare';
import data from '../../commands/diff/forces-replacement.json';
import { cliConfig, makeOffline, providerMirror, terraformEnv } from '../../commands/terraform';
import { localAwsVersions, standInProvider } from '../../commands/provider-stand-in';
import type { Config } from '../../config/types';
import { tempDir } from '../support/configs';
import { synthConfig, synthFile } from '../support/synth';
import { beforeAllWithTerraform, terraformTest } from '../support/terraform';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

describe('the replacement data of the diff', () => {
  test('covers every AWS resource type of the example stacks', () => {
    const types = new Set(
      readdirSync(EXAMPLES)
        .filter((file) => file.endsWith('.json'))
        .flatMap((file) => Object.values(synthFile(path.join(EXAMPLES, file)).stacks).flatMap((stack) => Object.keys(stack.resource ?? {}))),
    );

    expect([...types].filter((type) => type.startsWith('aws_') && !(type in data.forcesReplacement)).sort()).toEqual([]);
  });

  test('was generated with the AWS provider the stacks pin, or says which older one stood in for it', () => {
    const pinned = awsBindings.cdktf.provider.version;
    const { provider, standInFor } = data as { provider: string; standInFor?: string };

    expect(standInFor ?? provider).toBe(`registry.terraform.io/hashicorp/aws ${pinned}`);
  });
});

/**
 * What a real plan replaces when the Datadog role is renamed, against a state in which the
 * stack's role and inline policy exist: the diff must name the same resources.
 */
describe('replacements, against a real terraform plan', () => {
  const ROLE_TYPES = ['aws_iam_role', 'aws_iam_role_policy'];
  let work: string;
  let env: NodeJS.ProcessEnv;

  /** The single-account example's role and inline policy, with the Datadog role named `roleName`. */
  const roleStack = (roleName?: string): TerraformJson => {
    const config = JSON.parse(readFileSync(path.join(EXAMPLES, 'single-account.json'), 'utf8')) as Config;
    if (roleName) config.datadog.roleName = roleName;
    const [stack] = Object.values(synthConfig(config).stacks) as unknown as TerraformJson[];
    const resource = stack.resource as Record<string, Record<string, unknown>>;
    const datadogRole = (type: string) => Object.fromEntries(Object.entries(resource[type]).filter(([name]) => name.startsWith('datadog-role_')));
    const { output: _output, ...rest } = stack;
    return { ...rest, resource: Object.fromEntries(ROLE_TYPES.map((type) => [type, datadogRole(type)])) };
  };
  /** The stack as the offline checks plan it, on a stand-in provider where the pinned one is not at hand. */
  const offline = (stack: TerraformJson) => {
    const mirror = providerMirror(process.env);
    return standInProvider(makeOffline(stack as Record<string, unknown>), mirror ? localAwsVersions([mirror]) : undefined).config;
  };
  const terraform = (args: string[]): string => {
    const result = spawnSync('terraform', [...args, '-no-color'], { cwd: work, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  /** `terraform plan` of `stack` and the resource changes of its JSON plan. */
  const plan = (stack: TerraformJson): Array<{ address: string; type: string; change: { actions: string[]; after: Record<string, unknown> } }> => {
    writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify(offline(stack)));
    terraform(['plan', '-refresh=false', '-input=false', '-lock=false', '-out=plan.bin']);
    const show = terraform(['show', '-json', 'plan.bin']);
    return (JSON.parse(show.slice(show.indexOf('{'))) as { resource_changes: ReturnType<typeof plan> }).resource_changes;
  };

  beforeAllWithTerraform(() => {
    work = tempDir('replace-plan-');
    writeFileSync(path.join(work, 'terraform.tfrc'), cliConfig(providerMirror(process.env)));
    env = terraformEnv(process.env, path.join(work, 'terraform.tfrc'));
    writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify(offline(roleStack())));
    terraform(['init', '-input=false', '-backend=false']);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  terraformTest('a renamed Datadog role: the role and its inline policy, as the diff says', () => {
    // The prior state: the base stack as its own plan would create it.
    const created = plan(roleStack());
    const resources = created.map(({ address, type, change }) => ({
      mode: 'managed',
      type,
      name: address.slice(type.length + 1),
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: { ...change.after, id: `${address}-id` } }],
    }));
    writeFileSync(path.join(work, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.10.0', serial: 1, lineage: 'replace-plan', outputs: {}, resources }));

    const replacedByTerraform = plan(roleStack('DatadogIntegrationRoleV2'))
      .filter(({ change }) => change.actions.includes('delete') && change.actions.includes('create'))
      .map(({ address }) => address);
    const [stack] = compareTrees({ prod: roleStack() }, { prod: roleStack('DatadogIntegrationRoleV2') }).stacks;

    expect(replacedByTerraform.sort()).toEqual(['aws_iam_role.datadog-role_role', 'aws_iam_role_policy.datadog-role_cloudtrail-policy']);
    expect(stack.resources.filter((r) => r.action === 'replace').map((r) => r.address).sort()).toEqual(replacedByTerraform.sort());
  });
});
