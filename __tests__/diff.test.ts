/**
 * `npm run diff`, in process: the statement-level policy diff (commands/diff/policy-diff.ts), the
 * comparison of two synthesized trees (commands/diff/compare.ts), its Markdown and JSON reports
 * (commands/diff/render.ts), and the GitHub workflows users copy. The command end to end, on git
 * revisions synthesized by child processes, is specified in processes/diff.test.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { compareTrees, exitCodeFor, type StackTree, type TerraformJson } from '../commands/diff/compare';
import { diffPolicies, type PolicyChange } from '../commands/diff/policy-diff';
import { COMMENT_MARKER, toJson, toMarkdown, type DiffReport } from '../commands/diff/render';
import { generateOrganization } from '../tools/generate-organization';
import { accountStack, denyInsecure, policy, readLogs, type StackOptions } from './support/cdk-tf-json';
import { synthConfig } from './support/synth';

const ROOT = path.join(__dirname, '..');

function kinds(changes: PolicyChange[]): Array<Pick<PolicyChange, 'classification' | 'kind'>> {
  return changes.map(({ classification, kind }) => ({ classification, kind }));
}

function report(base: StackTree, head: StackTree): DiffReport {
  const commit = '0123456789abcdef0123456789abcdef01234567';
  return {
    ...compareTrees(base, head),
    base: { ref: 'origin/main', commit, workingTree: false },
    head: { ref: null, commit, workingTree: true },
    config: 'examples/single-account.json',
    notes: [],
  };
}

// ---- the statement-level policy diff ----

describe('policy diff', () => {
  test('an Allow statement that gains an action is widening, and names the action', () => {
    const changes = diffPolicies(policy(readLogs(['s3:GetObject'])), policy(readLogs(['s3:GetObject', 's3:PutObject'])));

    expect(changes).toEqual([
      expect.objectContaining({ classification: 'widening', kind: 'values-added', statement: 'ReadLogs', field: 'Action', values: ['s3:PutObject'] }),
    ]);
  });

  test('an Allow statement that loses an action is narrowing', () => {
    const changes = diffPolicies(policy(readLogs(['s3:GetObject', 's3:ListBucket'])), policy(readLogs(['s3:GetObject'])));

    expect(kinds(changes)).toEqual([{ classification: 'narrowing', kind: 'values-removed' }]);
  });

  test.each([
    ['Allow', 'widening'],
    ['Deny', 'narrowing'],
  ])('a new %s statement is %s', (effect, classification) => {
    const added = { Sid: 'New', Effect: effect, Action: 'kms:Decrypt', Resource: '*' };

    const changes = diffPolicies(policy(readLogs(['s3:GetObject'])), policy(readLogs(['s3:GetObject']), added));

    expect(kinds(changes)).toEqual([{ classification, kind: 'statement-added' }]);
  });

  test('removing a Deny statement is widening', () => {
    expect(kinds(diffPolicies(policy(denyInsecure), policy()))).toEqual([{ classification: 'widening', kind: 'statement-removed' }]);
  });

  test('an Allow statement that loses a condition is widening', () => {
    const condition = { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/datadog' } };

    const changes = diffPolicies(policy(readLogs(['s3:GetObject'], { Condition: condition })), policy(readLogs(['s3:GetObject'])));

    expect(changes).toEqual([
      expect.objectContaining({ classification: 'widening', kind: 'condition-removed', condition: 'StringEquals aws:SourceArn' }),
    ]);
  });

  test('a condition that accepts more values widens an Allow statement', () => {
    const accounts = (ids: string[]) => readLogs(['s3:GetObject'], { Condition: { StringEquals: { 'aws:SourceAccount': ids } } });

    const changes = diffPolicies(policy(accounts(['111111111111'])), policy(accounts(['111111111111', '222222222222'])));

    expect(changes).toEqual([expect.objectContaining({ classification: 'widening', field: 'Condition', values: ['222222222222'] })]);
  });

  test('a Deny statement whose condition is dropped applies more widely: narrowing', () => {
    const { Condition: _dropped, ...unconditional } = denyInsecure;

    expect(kinds(diffPolicies(policy(denyInsecure), policy(unconditional)))).toEqual([
      { classification: 'narrowing', kind: 'condition-removed' },
    ]);
  });

  test('a renamed Sid is neutral', () => {
    const changes = diffPolicies(policy(readLogs(['s3:GetObject'])), policy(readLogs(['s3:GetObject'], { Sid: 'ReadTrailLogs' })));

    expect(changes).toEqual([expect.objectContaining({ classification: 'neutral', kind: 'sid-renamed', before: 'ReadLogs', after: 'ReadTrailLogs' })]);
  });

  test('reordered statements are neutral, and reordered values are no change at all', () => {
    const changes = diffPolicies(
      policy(denyInsecure, readLogs(['s3:GetObject', 's3:ListBucket'])),
      policy(readLogs(['s3:ListBucket', 's3:GetObject']), denyInsecure),
    );

    expect(kinds(changes)).toEqual([{ classification: 'neutral', kind: 'reordered' }]);
  });

  test('a wildcard that appears in an Allow is widening and flagged', () => {
    const changes = diffPolicies(policy(readLogs(['s3:GetObject'])), policy(readLogs(['s3:Get*'])));

    expect(changes).toEqual([
      expect.objectContaining({ classification: 'widening', kind: 'values-added', values: ['s3:Get*'], wildcard: true }),
      expect.objectContaining({ classification: 'neutral', kind: 'values-removed', values: ['s3:GetObject'] }),
    ]);
  });

  test('a new Allow statement is flagged for a broad wildcard, not for a scoped one', () => {
    const changes = diffPolicies(
      policy(),
      policy(readLogs(['s3:GetObject']), { Sid: 'Everything', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }),
    );

    expect(changes.map((c) => [c.statement, c.wildcard])).toEqual([
      ['ReadLogs', undefined],
      ['Everything', true],
    ]);
  });

  test('a specific value that replaces a wildcard covering it is narrowing', () => {
    const changes = diffPolicies(
      policy(readLogs(['s3:GetObject'], { Resource: 'arn:aws:s3:::acme-logs/*' })),
      policy(readLogs(['s3:GetObject'], { Resource: 'arn:aws:s3:::acme-logs/AWSLogs/*' })),
    );

    expect(kinds(changes)).toEqual([
      { classification: 'neutral', kind: 'values-added' },
      { classification: 'narrowing', kind: 'values-removed' },
    ]);
  });

  test('a statement without a Sid is matched by Effect, Principal and Action', () => {
    const trust = (principal: string[]) => policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' });

    const changes = diffPolicies(trust(['arn:aws:iam::464622532012:root']), trust(['arn:aws:iam::464622532012:root', 'arn:aws:iam::999999999999:root']));

    expect(changes).toEqual([
      expect.objectContaining({ classification: 'widening', statement: '#1', field: 'Principal', values: ['AWS:arn:aws:iam::999999999999:root'] }),
    ]);
  });

  describe('Terraform interpolations', () => {
    test('are compared as opaque text: a different reference is a change', () => {
      const bucket = (id: string) => policy(readLogs(['s3:GetObject'], { Resource: `\${aws_s3_bucket.${id}.arn}/AWSLogs/*` }));

      expect(kinds(diffPolicies(bucket('logs_bucket'), bucket('archive_bucket')))).toEqual([
        { classification: 'widening', kind: 'values-added' },
        { classification: 'narrowing', kind: 'values-removed' },
      ]);
    });

    test('are never wildcards, even with a splat', () => {
      const changes = diffPolicies(
        policy(readLogs(['s3:GetObject'], { Resource: 'arn:aws:s3:::acme-logs/*' })),
        policy(readLogs(['s3:GetObject'], { Resource: ['arn:aws:s3:::acme-logs/*', '${aws_s3_bucket.extra.*.arn}'] })),
      );

      expect(changes).toEqual([expect.objectContaining({ classification: 'widening', values: ['${aws_s3_bucket.extra.*.arn}'] })]);
      expect(changes[0].wildcard).toBeUndefined();
    });

    test("with Terraform's `$${` escape are the IAM policy variable they stand for", () => {
      const own = (resource: string) => policy(readLogs(['s3:GetObject'], { Resource: resource }));

      expect(diffPolicies(own('arn:aws:s3:::acme-logs/$${aws:PrincipalAccount}/*'), own('arn:aws:s3:::acme-logs/${aws:PrincipalAccount}/*'))).toEqual([
        expect.objectContaining({ classification: 'neutral', kind: 'reformatted' }),
      ]);
    });

    test('a whole document that is an interpolation cannot be analysed and counts as widening', () => {
      expect(diffPolicies('${data.aws_iam_policy_document.a.json}', '${data.aws_iam_policy_document.b.json}')).toEqual([
        expect.objectContaining({ classification: 'widening', kind: 'unanalysable' }),
      ]);
    });
  });

  test('a document that gives a key twice cannot be analysed and counts as widening: JSON.parse would show only the last Statement', () => {
    const before = policy(readLogs(['s3:GetObject']));
    const hidden = before.replace(/}$/, `,"Statement":${JSON.stringify([{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }])}}`);

    expect(diffPolicies(before, hidden)).toEqual([expect.objectContaining({ classification: 'widening', kind: 'unanalysable' })]);
  });
});

// ---- comparing synthesized trees ----

describe('compareTrees', () => {
  test('identical trees: no change and exit code 0', () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack() });

    expect(diff.stacks.map((s) => s.status)).toEqual(['unchanged']);
    expect(diff.changedStacks).toEqual([]);
    expect(exitCodeFor(diff)).toBe(0);
  });

  test("cdktf's construct metadata (`//`) alone is no change", () => {
    const head = accountStack();
    (head['//'] as Record<string, unknown>).metadata = { backend: 'local', stackName: 'prod', version: '0.22.0' };

    expect(compareTrees({ prod: accountStack() }, { prod: head }).stacks[0].status).toBe('unchanged');
  });

  test('a widened action is a policy change that needs review (exit code 2)', () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack({ actions: ['s3:GetObject', 's3:PutObject'] }) });

    expect(diff.stacks[0].resources).toEqual([
      { address: 'aws_iam_role_policy.datadog-role_cloudtrail-policy', action: 'update', attributes: [{ path: 'policy', document: true }] },
    ]);
    expect(diff.reviewReasons).toEqual(['prod: aws_iam_role_policy.datadog-role_cloudtrail-policy.policy widens (1 change(s))']);
    expect(exitCodeFor(diff)).toBe(2);
  });

  test('a narrowed action needs no review (exit code 0)', () => {
    const diff = compareTrees({ prod: accountStack({ actions: ['s3:GetObject', 's3:ListBucket'] }) }, { prod: accountStack() });

    expect(diff.stacks[0].policies.map((p) => p.classification)).toEqual(['narrowing']);
    expect(exitCodeFor(diff)).toBe(0);
  });

  test('a renamed construct id is a replacement (destroy + create) of that address, exit code 2', () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack({ bucketId: 'logs_bucket' }) });

    expect(diff.stacks[0].resources).toContainEqual(
      expect.objectContaining({ address: 'aws_s3_bucket.logs_bucket', action: 'replace', previousAddress: 'aws_s3_bucket.trail-bucket_logs_bucket', preventDestroy: true }),
    );
    expect(diff.reviewReasons).toContain('prod: aws_s3_bucket.logs_bucket is replaced (destroy + create)');
    expect(exitCodeFor(diff)).toBe(2);
  });

  test("a renamed resource's policy is compared with the policy at its old address", () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack({ roleId: 'integration-role_role' }) });

    expect(diff.stacks[0].policies).toEqual([]);
  });

  test('an attribute that forces replacement (aws_s3_bucket.bucket) is a replacement', () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack({ bucketName: 'acme-logs-v2' }) });

    expect(diff.stacks[0].resources).toContainEqual(
      expect.objectContaining({ address: 'aws_s3_bucket.trail-bucket_logs_bucket', action: 'replace', forcedBy: ['bucket'] }),
    );
  });

  test('a renamed Datadog role replaces its inline policy with it: the policy names the role, and `role` cannot change in place', () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack({ roleName: 'DatadogIntegrationRoleV2' }) });

    expect(diff.stacks[0].resources).toEqual([
      { address: 'aws_iam_role_policy.datadog-role_cloudtrail-policy', action: 'replace', forcedBy: ['role'], replacedWith: ['aws_iam_role.datadog-role_role'], attributes: [] },
      expect.objectContaining({ address: 'aws_iam_role.datadog-role_role', action: 'replace', forcedBy: ['name'] }),
    ]);
    expect(diff.stacks[0].counts.replace).toBe(2);
    expect(diff.reviewReasons).toContain('prod: aws_iam_role_policy.datadog-role_cloudtrail-policy is replaced (destroy + create) with aws_iam_role.datadog-role_role');
  });

  test("a replaced bucket drags along what refers to its id, which is unknown until the new bucket exists", () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack({ bucketName: 'acme-logs-v2' }) });

    expect(diff.stacks[0].resources).toContainEqual(
      expect.objectContaining({ address: 'aws_s3_bucket_policy.trail-bucket_logs_policy', action: 'replace', forcedBy: ['bucket'], replacedWith: ['aws_s3_bucket.trail-bucket_logs_bucket'] }),
    );
  });

  test('a replacement drags along nothing that refers only to values it keeps', () => {
    const head = accountStack();
    const roles = (head.resource as Record<string, Record<string, Record<string, unknown>>>).aws_iam_role;
    roles['datadog-role_role'].path = '/datadog/';

    const diff = compareTrees({ prod: accountStack() }, { prod: head });

    expect(diff.stacks[0].resources.map(({ address, action }) => ({ address, action }))).toEqual([{ address: 'aws_iam_role.datadog-role_role', action: 'replace' }]);
  });

  test('the Markdown says what a dragged-along replacement is replaced with, and why', () => {
    const markdown = toMarkdown(report({ prod: accountStack() }, { prod: accountStack({ roleName: 'DatadogIntegrationRoleV2' }) }));

    expect(markdown).toContain(
      '- ⚠️ **replaced (destroy + create)** `aws_iam_role_policy.datadog-role_cloudtrail-policy` with `aws_iam_role.datadog-role_role`: `role` refers to a value of it that changes, and cannot change in place.',
    );
    expect(markdown).toContain('| `prod` | +0 / ~0 / -0 | ⚠️ 2 | 0 | 0 |');
  });

  test('a `moved` block keeps a renamed resource: a move, not a replacement', () => {
    const head = { ...accountStack({ bucketId: 'logs_bucket' }), moved: [{ from: 'aws_s3_bucket.trail-bucket_logs_bucket', to: 'aws_s3_bucket.logs_bucket' }] };

    const diff = compareTrees({ prod: accountStack() }, { prod: head });

    expect(diff.stacks[0].resources).toContainEqual(expect.objectContaining({ address: 'aws_s3_bucket.logs_bucket', action: 'move' }));
    expect(exitCodeFor(diff)).toBe(0);
  });

  test('an unpaired removed resource is destroyed', () => {
    const head = accountStack();
    delete (head.resource as Record<string, unknown>).aws_s3_bucket_policy;

    const diff = compareTrees({ prod: accountStack() }, { prod: head });

    expect(diff.stacks[0].resources).toEqual([{ address: 'aws_s3_bucket_policy.trail-bucket_logs_policy', action: 'delete', attributes: [] }]);
    expect(diff.reviewReasons).toContain('prod: aws_s3_bucket_policy.trail-bucket_logs_policy is destroyed');
  });

  test('a new stack is added with every resource created, and its Allow statements widen', () => {
    const diff = compareTrees({ prod: accountStack() }, { prod: accountStack(), staging: accountStack() });
    const staging = diff.stacks.find((s) => s.name === 'staging')!;

    expect(staging.status).toBe('added');
    expect(staging.counts).toMatchObject({ create: 4, widening: 2, narrowing: 1 });
    expect(diff.changedStacks).toEqual(['staging']);
    expect(exitCodeFor(diff)).toBe(2);
  });

  test('a removed stack needs review', () => {
    const diff = compareTrees({ prod: accountStack(), staging: accountStack() }, { prod: accountStack() });

    expect(diff.stacks.find((s) => s.name === 'staging')).toMatchObject({ status: 'removed', counts: { delete: 4 } });
    expect(diff.reviewReasons).toEqual([expect.stringMatching(/^staging: stack removed/)]);
    expect(diff.changedStacks).toEqual([]);
  });

  test('a provider change is a stack setting change', () => {
    const head = accountStack();
    head.provider = { aws: [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }] };

    expect(compareTrees({ prod: accountStack() }, { prod: head }).stacks[0].settings).toEqual([
      { path: 'provider.aws[0].region', before: 'us-east-1', after: 'eu-west-1' },
    ]);
  });

  test("a new output is a stack setting change with nothing to review, and cdktf's metadata listing it no change at all", () => {
    const head = accountStack();
    head.output = { trail_arn: { description: 'ARN of the trail', value: '${aws_cloudtrail.trail_trail.arn}' } };
    head['//'] = { outputs: { prod: { trail_arn: 'trail_arn' } } };
    const diff = compareTrees({ prod: accountStack() }, { prod: head });

    expect(diff.stacks[0].settings).toEqual([{ path: 'output', after: head.output }]);
    expect(diff.reviewReasons).toEqual([]);
  });

  test("a Lambda permission is diffed as a statement of the function's resource policy", () => {
    const withPermission = (sourceArn: string | undefined): TerraformJson => ({
      resource: {
        aws_lambda_permission: {
          'forwarder_s3-invoke': {
            statement_id: 'AllowS3Invoke',
            action: 'lambda:InvokeFunction',
            function_name: '${aws_lambda_function.forwarder_function.function_name}',
            principal: 's3.amazonaws.com',
            ...(sourceArn ? { source_arn: sourceArn } : {}),
          },
        },
      },
    });

    const diff = compareTrees({ prod: withPermission('${aws_s3_bucket.logs_bucket.arn}') }, { prod: withPermission(undefined) });

    expect(diff.stacks[0].policies).toEqual([
      expect.objectContaining({
        document: 'aws_lambda_permission.forwarder_s3-invoke (permission)',
        changes: [expect.objectContaining({ classification: 'widening', kind: 'condition-removed', condition: 'ArnLike AWS:SourceArn' })],
      }),
    ]);
  });
});

// ---- rendering ----

describe('render', () => {
  test('the Markdown starts with the hidden marker, then the summary table', () => {
    const markdown = toMarkdown(report({ prod: accountStack() }, { prod: accountStack({ actions: ['s3:GetObject', 's3:PutObject'] }) }));

    expect(markdown.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(markdown).toContain('| stack | resources +/~/- | replaced | policy widening | narrowing |\n|---|---|---|---|---|\n| `prod` | +0 / ~1 / -0 | 0 | ⚠️ 1 | 0 |');
  });

  test('a widening is called out and names the action, inside the stack details', () => {
    const markdown = toMarkdown(report({ prod: accountStack() }, { prod: accountStack({ actions: ['s3:GetObject', 's3:PutObject'] }) }));

    expect(markdown).toContain('**Needs security review** (exit code 2)');
    expect(markdown).toMatch(/<details><summary><b>prod<\/b>[^\n]*\n[\s\S]*\| 🔺 widening \| `ReadLogs` \(Allow\) \| Action added: `s3:PutObject` \|[\s\S]*<\/details>/);
  });

  test('no change says so and has no table', () => {
    const markdown = toMarkdown(report({ prod: accountStack() }, { prod: accountStack() }));

    expect(markdown).toContain('No changes: both revisions synthesize the same Terraform.');
    expect(markdown).not.toContain('| stack |');
  });

  /** A member stack: the fixture with its own account ID, external ID and (local) state file. */
  const member = (name: string, accountId: string, options: StackOptions = {}): TerraformJson => {
    const stack = JSON.parse(JSON.stringify(accountStack({ externalId: createHash('md5').update(accountId).digest('hex'), ...options })).replace(/111111111111/g, accountId)) as TerraformJson;
    return { ...stack, terraform: { backend: { local: { path: `../../../terraform.${name}.tfstate` } } } };
  };
  const members = (count: number, options: (i: number) => StackOptions = () => ({})) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`member-${i + 1}`, member(`member-${i + 1}`, String(300000000000 + i), options(i))]));
  const widened = { actions: ['s3:GetObject', 's3:PutObject'] };

  test('shows stacks that change the same way, but for their own values, as one section', () => {
    const markdown = toMarkdown(report(members(3), members(3, () => widened)));

    expect(markdown.match(/<details>/g)).toHaveLength(1);
    expect(markdown).toContain('<summary><b>3 stacks, the same change</b>');
    expect(markdown).toContain('In `member-1`, `member-2`, `member-3`.');
    expect(markdown).toContain('- 3 stacks (member-1, member-2, member-3): aws_iam_role_policy.datadog-role_cloudtrail-policy.policy widens (1 change(s))');
    expect(markdown).toContain("`<account>`, `<external-id>` and `<stack>` stand for each stack's own account ID, external ID and name");
  });

  test('shows new stacks that differ only by their account ID, external ID and state file as one section', () => {
    const markdown = toMarkdown(report({}, members(5)));

    expect(markdown.match(/<details>/g)).toHaveLength(1);
    expect(markdown).toContain('<summary><b>5 stacks (new), the same change</b>');
    expect(markdown).toContain('`StringEquals sts:ExternalId = <external-id>`');
    expect(markdown).not.toMatch(/member-\d+ \(new\)/);
  });

  test('keeps stacks apart whose external IDs differ but not by being their own', () => {
    const shared = members(2, () => ({ externalId: 'acb8f6b8a844443dbb726d07dcb1a870' }));
    const markdown = toMarkdown(report(shared, members(2, (i) => ({ externalId: i === 0 ? 'acb8f6b8a844443dbb726d07dcb1a870' : '0f1e2d3c4b5a69788796a5b4c3d2e1f0' }))));

    expect(markdown.match(/<details>/g)).toHaveLength(1);
    expect(markdown).toContain('<summary><b>member-2</b>');
  });

  test('leads with the summary: the verdict, then the table, then why each change needs review', () => {
    const markdown = toMarkdown(report(members(3), members(3, () => widened)));

    const [verdict, table, why] = ['**Needs security review**', '| stack |', '**Why it needs review**'].map((text) => markdown.indexOf(text));
    expect(verdict).toBeGreaterThan(0);
    expect(table).toBeGreaterThan(verdict);
    expect(why).toBeGreaterThan(table);
    expect(markdown.slice(0, table)).not.toContain('widens (');
  });

  test('the headline names the kinds of reason and how many stacks each concerns', () => {
    const head = { ...members(3, () => widened), 'member-1': member('member-1', '300000000000', { ...widened, bucketName: 'acme-logs-v2' }) };

    const markdown = toMarkdown(report(members(3), head));

    expect(markdown).toContain('**Needs security review** (exit code 2): resource replaced (destroy + create) (member-1); IAM permissions widen (3 stacks).');
  });

  test("the first pull request of a 45-account organization is one section per kind of account, the reasons after the table", () => {
    const stacks = synthConfig(generateOrganization(43)).stacks as unknown as StackTree;

    const markdown = toMarkdown(report({}, stacks));

    expect(markdown.match(/<details>/g)).toHaveLength(3);
    expect(markdown).toContain('43 stacks (new): `member-1`');
    expect(markdown.match(/ widens \(/g)).toHaveLength(14);
    expect(markdown.indexOf(' widens (')).toBeGreaterThan(markdown.indexOf('| stack |'));
    expect(markdown.length).toBeLessThan(20_000);
  });

  test('keeps stacks that change differently apart', () => {
    const markdown = toMarkdown(report(members(2), members(2, (i) => ({ actions: ['s3:GetObject', i === 0 ? 's3:PutObject' : 's3:DeleteObject'] }))));

    expect(markdown.match(/<details>/g)).toHaveLength(2);
    expect(markdown).not.toContain('the same change');
  });

  test('keeps the comment of one change to 5,000 stacks under 60,000 characters, naming them by count', () => {
    const markdown = toMarkdown(report(members(5000), members(5000, () => widened)));

    expect(markdown.length).toBeLessThan(60_000);
    expect(markdown).toContain('| 5000 stacks: `member-1`, `member-10`, `member-100`');
    expect(markdown).toContain('and 4990 more');
    expect(markdown).not.toContain('did not fit');
  });

  test('leaves out what does not fit 60,000 characters, saying how much and where the full report is', () => {
    const distinct = report(members(2000), members(2000, (i) => ({ actions: ['s3:GetObject', `s3:Get${i}Object`] })));

    const markdown = toMarkdown(distinct, { fullReport: 'the artifact diff-full.md' });

    expect(markdown.length).toBeLessThanOrEqual(60_000);
    expect(markdown).toMatch(/> \d+ line\(s\) or section\(s\) did not fit this comment: see the artifact diff-full.md\.\n$/);
    expect(toMarkdown(distinct, { limit: Number.POSITIVE_INFINITY }).match(/<details>/g)).toHaveLength(2000);
  });

  test('the JSON report has the documented top-level shape', () => {
    const json = toJson(report({ prod: accountStack() }, { prod: accountStack({ actions: ['s3:GetObject', 's3:PutObject'] }) }));

    expect(Object.keys(json)).toEqual([
      'version', 'base', 'head', 'config', 'exitCode', 'needsReview', 'reviewReasons', 'changedStacks', 'notes', 'summary', 'stacks',
    ]);
    expect(json).toMatchObject({ version: 1, exitCode: 2, needsReview: true, changedStacks: ['prod'] });
    expect(json.summary).toEqual({
      stacksAdded: 0, stacksRemoved: 0, stacksChanged: 1, stacksUnchanged: 0,
      create: 0, update: 1, delete: 0, replace: 0, move: 0, widening: 1, narrowing: 0, neutral: 0,
    });
  });
});

// ---- the GitHub workflows users copy ----

describe('GitHub workflows', () => {
  const dir = path.join(ROOT, '.github', 'workflows');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  const load = (file: string) => yaml.load(readFileSync(path.join(dir, file), 'utf8')) as Workflow;
  const runs = files.flatMap((file) =>
    Object.values(load(file).jobs).flatMap((job) => (job.steps ?? []).flatMap((step) => (step.run ? [{ file, run: step.run }] : []))),
  );

  interface Job {
    needs?: string | string[];
    uses?: string;
    with?: Record<string, unknown>;
    environment?: string;
    permissions?: Record<string, string>;
    steps?: Array<{ run?: string; uses?: string }>;
  }
  interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
  }

  test('are plan.yml, the roll-out with the wave and round it calls, drift.yml and enroll.yml', () => {
    expect(files).toEqual(['drift.yml', 'enroll.yml', 'plan.yml', 'rollout-round.yml', 'rollout-wave.yml', 'rollout.yml']);
  });

  test.each(files)('%s parses as a workflow with jobs', (file) => {
    expect(Object.keys(load(file).jobs).length).toBeGreaterThan(0);
  });

  test('every `npm run <script>` they run exists in package.json', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts);
    const used = runs.flatMap(({ file, run }) => [...run.matchAll(/npm run (?:--silent |-s )?([\w:-]+)/g)].map((m) => `${file}: ${m[1]}`));

    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((entry) => !scripts.includes(entry.split(': ')[1]))).toEqual([]);
  });

  test('every project path they name exists', () => {
    const paths = runs.flatMap(({ run }) => [...run.matchAll(/\b(?:commands|rollout|tools|synth|rules|config|examples)\/[\w./-]+/g)].map((m) => m[0]));

    expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  test('plan.yml reads by default and gives id-token: write only to the job that plans with AWS credentials', () => {
    const plan = load('plan.yml');
    const withIdToken = Object.entries(plan.jobs).filter(([, job]) => job.permissions?.['id-token'] === 'write');

    expect(plan.permissions).toEqual({ contents: 'read' });
    expect(withIdToken.map(([name]) => name)).toEqual(['plan']);
  });

  test('rollout.yml deploys wave after wave, each approved in its own wave-N environment', () => {
    const rollout = load('rollout.yml');
    const round = load('rollout-round.yml').jobs;

    expect(Object.entries(rollout.jobs).slice(1, 4).map(([name, job]) => [name, job.needs, job.with?.wave])).toEqual([
      ['wave-1', 'waves', '${{ fromJSON(needs.waves.outputs.waves)[0] }}'],
      ['wave-2', ['waves', 'wave-1'], '${{ fromJSON(needs.waves.outputs.waves)[1] }}'],
      ['wave-3', ['waves', 'wave-2'], '${{ fromJSON(needs.waves.outputs.waves)[2] }}'],
    ]);
    expect(round.approve.environment).toBe('wave-${{ inputs.wave }}');
  });
});
