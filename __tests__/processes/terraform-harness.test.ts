/**
 * The offline Terraform harness with the real terraform (it runs terraform as processes): which
 * stacks it checks, how it validates and plans them offline, on the pinned AWS provider or a
 * stand-in, and what it reports and leaves behind. Its rules that need no process are in
 * __tests__/terraform-harness.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import awsBindings from '@cdktf/provider-aws/package.json';
import { beforeAllWithTerraform, skipTerraform, terraformTest } from '../support/terraform';
import { checkStacks, planSummary, providerMirror, type StackCheck } from '../../commands/terraform';
import { localAwsVersions, localProviderDirs } from '../../commands/provider-stand-in';

const DEPLOY_ROLE = 'arn:aws:iam::111111111111:role/Deploy';
const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const FORWARDER = { functionName: 'forwarder', role: 'arn:aws:iam::111111111111:role/forwarder', handler: 'index.handler', filename: 'forwarder.zip' };

/** What a real deploy needs and an offline check must not use: STS, S3 state, an account check. */
function productionLikeStack(app: App, name: string): TerraformStack {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    allowedAccountIds: ['111111111111'],
    assumeRole: [{ roleArn: DEPLOY_ROLE }],
  });
  new S3Backend(stack, { bucket: 'acme-terraform-state', key: `${name}.tfstate`, region: 'us-east-1' });
  return stack;
}

function synthesizeStacks(outdir: string): void {
  const app = new App({ outdir });

  const offline = productionLikeStack(app, 'offline');
  const audit = new AwsProvider(offline, 'aws-audit', {
    alias: 'audit',
    region: 'eu-west-1',
    assumeRole: [{ roleArn: 'arn:aws:iam::222222222222:role/Deploy' }],
  });
  new IamRole(offline, 'reader', { name: 'offline-reader', assumeRolePolicy: TRUST_POLICY });
  new IamRole(offline, 'auditor', { name: 'offline-auditor', assumeRolePolicy: TRUST_POLICY, provider: audit });

  // Pinned to 6.25.0 (the bindings'): here, planned on the mirror's 5.100.0 as a stand-in.
  const python314 = productionLikeStack(app, 'python314');
  new LambdaFunction(python314, 'forwarder', { ...FORWARDER, runtime: 'python3.14' });

  // Valid from provider 6.21.0; the stand-in table has no row for it.
  const nodejs24 = productionLikeStack(app, 'nodejs24');
  new LambdaFunction(nodejs24, 'forwarder', { ...FORWARDER, runtime: 'nodejs24.x' });

  const broken = productionLikeStack(app, 'broken');
  new LambdaFunction(broken, 'forwarder', { ...FORWARDER, runtime: 'python9.9' }); // in no provider's list

  // Valid, but its count is only known at apply time: plan fails where validate passes.
  const countUnknown = productionLikeStack(app, 'count-unknown');
  new IamRole(countUnknown, 'reader', { name: 'count-unknown-reader', assumeRolePolicy: TRUST_POLICY }).addOverride(
    'count',
    '${length(timestamp())}',
  );

  app.synth();
}

describe('checkStacks (real terraform, offline)', () => {
  let tmp: string;
  let stacksDir: string;
  let workParent: string;
  let synthesizedBefore: Record<string, string>;
  let checks: StackCheck[];
  let offlineWithJson: StackCheck;
  const check = (stack: string): StackCheck => {
    const found = checks.find((c) => c.stack === stack);
    if (!found) throw new Error(`no result for ${stack}`);
    return found;
  };
  const readStacks = (): Record<string, string> =>
    Object.fromEntries(
      ['offline', 'broken', 'count-unknown'].map((s) => [s, fs.readFileSync(path.join(stacksDir, s, 'cdk.tf.json'), 'utf8')]),
    );
  // The stacks pin the bindings' AWS provider; offline, the mirror may hold only an older one.
  const pinned = awsBindings.cdktf.provider.version;
  const mirror = skipTerraform() ? undefined : providerMirror(process.env);
  const onStandIn = mirror !== undefined && !localAwsVersions(localProviderDirs(mirror, process.env)).includes(pinned);
  let fromPluginCache: StackCheck | undefined;

  beforeAllWithTerraform(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddct-harness-'));
    synthesizeStacks(path.join(tmp, 'cdktf.out'));
    stacksDir = path.join(tmp, 'cdktf.out', 'stacks');
    workParent = path.join(tmp, 'work');
    synthesizedBefore = readStacks();
    // Few runs for the whole file, since each terraform command loads a 700 MB provider: the
    // default one plans in batches, here [broken, count-unknown, nodejs24] (which fails, so each
    // of its stacks is checked again alone) and [offline, python314]; another reads a plan back
    // as JSON.
    const runs = [
      checkStacks(stacksDir, { workDir: workParent, concurrency: 2 }),
      checkStacks(stacksDir, { workDir: workParent, stacks: ['offline'], planJson: true }),
    ];
    if (mirror) {
      // A plugin cache holding the pinned version: here the mirror's provider filed under
      // that version, so that a plan on it shows whether anything was rewritten. The harness
      // reads the variable when it starts.
      const cache = path.join(tmp, 'plugin-cache');
      const provider = (root: string, version: string) => path.join(root, 'registry.terraform.io', 'hashicorp', 'aws', version);
      const [platform] = fs.readdirSync(provider(mirror, localAwsVersions([mirror])[0]));
      fs.mkdirSync(provider(cache, pinned), { recursive: true });
      fs.symlinkSync(path.join(provider(mirror, localAwsVersions([mirror])[0]), platform), path.join(provider(cache, pinned), platform));
      const saved = process.env.TF_PLUGIN_CACHE_DIR;
      process.env.TF_PLUGIN_CACHE_DIR = cache;
      runs.push(checkStacks(stacksDir, { workDir: workParent, stacks: ['python314'] }));
      if (saved === undefined) delete process.env.TF_PLUGIN_CACHE_DIR;
      else process.env.TF_PLUGIN_CACHE_DIR = saved;
    }
    let cached: StackCheck[] | undefined;
    [checks, [offlineWithJson], cached] = await Promise.all(runs);
    fromPluginCache = cached?.[0];
  });

  afterAll(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  terraformTest('checks every synthesized stack, in name order', () => {
    expect(checks.map((c) => c.stack)).toEqual(['broken', 'count-unknown', 'nodejs24', 'offline', 'python314']);
  });

  terraformTest('plans a python3.14 stack on the pinned AWS provider, or on an older one as a stand-in, rewriting only what its table lists', () => {
    const { plan, standIn } = check('python314');

    expect(plan?.ok).toBe(true);
    expect(standIn?.rewrites.map(({ address, rewrite }) => `${address}.${rewrite.attribute}: ${rewrite.value} -> ${rewrite.standIn}`)).toEqual(
      onStandIn ? ['aws_lambda_function.forwarder.runtime: python3.14 -> python3.13'] : undefined,
    );
  });

  terraformTest('fails on a stand-in a stack needing a rewrite its table lacks (valid on the pinned provider)', () => {
    const { validate, standIn } = check('nodejs24');

    expect(validate.ok).toBe(!onStandIn);
    if (onStandIn) expect({ output: validate.output, standIn: standIn?.version }).toEqual({ output: expect.stringMatching(/got nodejs24\.x/), standIn: expect.any(String) });
  });

  terraformTest('uses the pinned version from a plugin cache that holds it, offline: no stand-in, nothing rewritten', () => {
    // Online (no mirror) the registry supplies the pinned version and the cache is only where it lands.
    if (!mirror) return;
    // The cached "pinned" provider is really the mirror's older one: python3.14 reaching it
    // unrewritten is refused, which shows the stand-in table was not applied.
    expect(fromPluginCache?.standIn).toBeUndefined();
    expect(fromPluginCache?.validate.output).toMatch(/got python3\.14/);
  });

  terraformTest('validates a stack that assumes a role and keeps its state in S3 by planning it, without a separate terraform validate', () => {
    expect(check('offline').validate).toEqual({ ok: true, output: '' });
    expect(check('offline').plan?.ok).toBe(true);
  });

  terraformTest('plans a batch of stacks as modules of one root module', () => {
    expect(check('offline').plan?.output).toContain('module.stack0.aws_iam_role.reader will be created');
  });

  terraformTest('plans that stack without credentials, listing its resources in the plan JSON', () => {
    const { plan } = offlineWithJson;
    expect(plan?.ok).toBe(true);
    const changes = (plan?.json as { resource_changes: Array<{ address: string; change: { actions: string[] } }> })
      .resource_changes;
    expect(changes).toContainEqual(
      expect.objectContaining({ address: 'aws_iam_role.reader', change: expect.objectContaining({ actions: ['create'] }) }),
    );
  });

  terraformTest('plans resources of an aliased provider that assumes a role in another account', () => {
    expect(planSummary(offlineWithJson.plan?.json)).toEqual({ add: 2, change: 0, destroy: 0 });
  });

  terraformTest('fails validation of an invalid stack with terraform\'s message, though its batch also held a valid stack', () => {
    const { validate } = check('broken');
    expect(validate.ok).toBe(false);
    expect(validate.output).toMatch(/expected runtime to be one of .*, got python9\.9/s);
  });

  terraformTest('does not report a plan for a stack that failed validation', () => {
    expect(check('broken').plan).toBeUndefined();
  });

  terraformTest('reports a valid stack that fails to plan as a plan failure, with terraform\'s message', () => {
    const { validate, plan } = check('count-unknown');
    expect(validate).toEqual({ ok: true, output: expect.stringContaining('The configuration is valid') });
    expect(plan).toEqual({ ok: false, output: expect.stringContaining('Invalid count argument') });
  });

  terraformTest('leaves the synthesized stack directories untouched', () => {
    expect(readStacks()).toEqual(synthesizedBefore);
    expect(fs.readdirSync(path.join(stacksDir, 'offline'))).toEqual(['cdk.tf.json']);
  });

  terraformTest('removes its work directory afterwards', () => {
    expect(fs.readdirSync(workParent)).toEqual([]);
  });

  terraformTest('refuses a stack that was not synthesized, naming it', async () => {
    await expect(checkStacks(stacksDir, { stacks: ['staging'] })).rejects.toThrow(/"staging".*does not exist/);
  });

  terraformTest('says so when terraform is not on PATH', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(tmp, 'empty-bin');
    fs.mkdirSync(process.env.PATH);
    try {
      await expect(checkStacks(stacksDir)).rejects.toThrow(/terraform is not on PATH/);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
