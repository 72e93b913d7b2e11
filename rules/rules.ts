/**
 * The security rule table (docs/SECURITY.md, "Security rule table") over synthesized `cdk.tf.json`. A rule names the resources it looks at (`targets`: none
 * means not applicable, never a pass) and says what is wrong with each (`check`). A rule a
 * config may opt out of names the switch and when it explains the violation.
 *
 * Adding a rule is one entry in RULES, plus its planted violation in
 * __tests__/check-rules.test.ts (a test fails for a rule without one).
 */
import schema from '../config/schema.json';
import { bucketArn, objectsArn } from '../config/arns';
import type { AccountPlan } from '../config/plan';
import type { Partition } from '../config/regions';
import type { ResolvedAccount, ResolvedConfig } from '../config/resolve';
import { DATADOG_SITES, datadogAccountId } from '../config/sites';
import { DATADOG_INTEGRATION_PERMISSIONS } from '../policies/datadog-metrics';
import { foreignExpressions } from './expressions';
import { everyoneProblem, foreignPrincipals, knownCallers } from './principals';
import type { StackView, Resource, Target } from './stack';
import { type Statement, wildcardMatch } from './statements';
import type { Switches } from './switches';
import { escapeRegExp } from './regexp';

export interface RuleContext {
  stack: StackView;
  /** The config the stacks came from, when the check runs with one. */
  config?: ResolvedConfig;
  /** The stack's account in the config, when the check runs with one. */
  account?: ResolvedAccount;
  /** What the config says the stack holds (config/plan.ts), when the check runs with one. */
  plan?: AccountPlan;
}

export interface OptOut {
  /** The config field that turns the rule off, as users write it. */
  switch: string;
  /** Whether the stack's switches explain a violation. */
  explains: (switches: Switches) => boolean;
}

export interface Rule {
  /** Stable id, used on the command line's output and in tests. */
  id: string;
  /** The benchmark checks this rule implements (CIS, Checkov CKV_*, Security Hub, Trivy). */
  benchmarks: string[];
  /** What must hold. */
  description: string;
  /** Where the requirement comes from. */
  source: string;
  /** What the rule looks at in a stack; some rules look only when the check runs with the config. */
  targets: (stack: StackView, context: RuleContext) => Target[];
  /** What is wrong with one target; empty when the rule holds for it. */
  check: (target: Target, context: RuleContext) => string[];
  optOut?: OptOut;
}

/** The rule is the benchmark checks it names. */
const BENCHMARKS = 'its benchmark checks';
const CLOUDTRAIL_BUCKET_GUIDE = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html';
const CLOUDTRAIL_KEY_GUIDE = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html';
const DATADOG_CLOUDTRAIL = 'https://docs.datadoghq.com/integrations/amazon_cloudtrail/';

const problems = (...found: Array<string | false | undefined>): string[] => found.filter((p): p is string => typeof p === 'string');
/** A Terraform block: cdktf writes a single block as an object, Terraform accepts a list of one. */
const blocks = (value: unknown): Array<Record<string, unknown>> => (value === undefined || value === null ? [] : ([value].flat() as Array<Record<string, unknown>>));
const allowStatements = (statements: Statement[]) => statements.filter((s) => s.effect === 'Allow');
const negation = (s: Statement) => s.negated.length > 0 && `${s.label} grants by exclusion (${s.negated.join(', ')})`;
const oneOf = (values: string[] | undefined, valid: RegExp) => values !== undefined && values.length > 0 && values.every((v) => valid.test(v));
const sameAction = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const EXACT_TRAIL_ARN = /^arn:[a-z-]+:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[^*?]+$/;
/** `aws:SourceArn` names exactly one trail (the confused-deputy guard of the AWS guides above). */
const conditionedOnTrail = (s: Statement) =>
  oneOf(s.condition('StringEquals', 'aws:SourceArn'), EXACT_TRAIL_ARN) || oneOf(s.condition('ArnEquals', 'aws:SourceArn'), EXACT_TRAIL_ARN);

const trails = (stack: StackView) => stack.entries('aws_cloudtrail');
const buckets = (stack: StackView) => stack.entries('aws_s3_bucket');
const bucketPolicies = (stack: StackView) => stack.entries('aws_s3_bucket_policy');
const keys = (stack: StackView) => stack.entries('aws_kms_key');
const functions = (stack: StackView) => stack.entries('aws_lambda_function');
const rolePolicies = (stack: StackView) => stack.entries('aws_iam_role_policy');

/** Every management event, read and write: CloudTrail's default without selectors. */
function logsAllManagementEvents(trail: Resource): boolean {
  const basic = blocks(trail.event_selector);
  const advanced = blocks(trail.advanced_event_selector);
  if (basic.length === 0 && advanced.length === 0) return true;
  if (basic.length > 0) {
    return basic.some((s) => s.include_management_events !== false && (s.read_write_type ?? 'All') === 'All' && blocks(s.exclude_management_event_sources).length === 0);
  }
  return advanced.some((s) => {
    const fields = blocks(s.field_selector);
    return fields.length === 1 && fields[0].field === 'eventCategory' && JSON.stringify(fields[0].equals) === '["Management"]';
  });
}

/** Whether an advanced selector of the trail logs S3 object events with `readOnly` = `readOnly`. */
function logsS3ObjectEvents(trail: Resource, readOnly: 'true' | 'false'): boolean {
  return blocks(trail.advanced_event_selector).some((selector) => {
    const fields = blocks(selector.field_selector);
    const equals = (field: string) => fields.find((f) => f.field === field)?.equals as string[] | undefined;
    const readOnlyValues = equals('readOnly');
    return (
      equals('eventCategory')?.includes('Data') === true &&
      equals('resources.type')?.includes('AWS::S3::Object') === true &&
      (readOnlyValues === undefined || readOnlyValues.includes(readOnly))
    );
  });
}

/** CIS v3.0 3.8 (write) and 3.9 (read): object-level logging of S3 events; `trail.s3DataEvents` turns it on. */
function s3ObjectEventsRule(events: 'write' | 'read', cis: string): Rule {
  return {
    id: `trail-s3-${events}-events`,
    benchmarks: [cis],
    description: `trails log S3 object-level ${events} events`,
    source: BENCHMARKS,
    targets: trails,
    check: ({ resource: trail }) => problems(!logsS3ObjectEvents(trail, events === 'read' ? 'true' : 'false') && `does not log S3 object-level ${events} events`),
    optOut: { switch: 'trail.s3DataEvents', explains: (s) => s.s3DataEvents !== events && s.s3DataEvents !== 'all' },
  };
}

/** A customer managed key: this stack's key, or a key or alias ARN other than an AWS managed `alias/aws/...`. */
function isCustomerManagedKey(stack: StackView, value: unknown): boolean {
  if (stack.referenced(value, 'aws_kms_key', ['arn', 'id', 'key_id'])) return true;
  return typeof value === 'string' && /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]+|alias\/(?!aws\/)[\w/-]+)$/.test(value);
}

const S3_POLICY_CHANGES = ['s3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:PutBucketPolicy', 's3:PutEncryptionConfiguration', 's3:PutObjectAcl'];
/**
 * The service that delivers S3 server access logs, which the access-log bucket lets write for
 * the buckets of its own account only (aws:SourceAccount), as S3's guide recommends:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
 */
const S3_LOGGING_SERVICE = 'logging.s3.amazonaws.com';
/** The only services a bucket policy of the toolkit names; CloudTrail's grants have a rule of their own. */
const BUCKET_SERVICES = ['cloudtrail.amazonaws.com', S3_LOGGING_SERVICE];

/**
 * The actions each role the toolkit creates needs, by whom the role trusts.
 * Datadog role: the CloudTrail integration's documented permissions (DATADOG_CLOUDTRAIL);
 * forwarder: Datadog's Forwarder template, scoped (REFERENCE.md); CloudTrail's delivery role
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
 */
const ROLE_ACTIONS = {
  'Datadog role': ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 's3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 'kms:Decrypt', 'organizations:DescribeOrganization'],
  'forwarder role': ['logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject', 'kms:Decrypt', 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
  'CloudTrail delivery role': ['logs:CreateLogStream', 'logs:PutLogEvents'],
} as const;
type RoleKind = keyof typeof ROLE_ACTIONS;

/**
 * The Datadog role's second policy, with `datadog.collectMetrics`: the read permissions Datadog
 * documents for its AWS integration, wildcards included, on "*" as Datadog's template grants
 * them (policies/datadog-metrics.ts). Only these exact action strings, only in this policy.
 */
const METRICS_POLICY = 'aws_iam_role_policy.datadog-role_metrics-policy';
const isMetricsPolicy = (policy: Target, kind: RoleKind | undefined) => policy.address === METRICS_POLICY && kind === 'Datadog role';
const documentedMetricsAction = (action: string) => DATADOG_INTEGRATION_PERMISSIONS.some((documented) => sameAction(documented, action));

/**
 * Actions without resource-level permissions, which only `Resource: "*"` can grant
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html,
 * .../list_awsorganizations.html: no resource types for these actions).
 */
const UNSCOPABLE_ACTIONS = ['cloudtrail:DescribeTrails', 'organizations:DescribeOrganization'];

/**
 * The role an inline policy belongs to, by its trust policy. A policy attached by a literal
 * name belongs to a role outside the stack, which the toolkit does only for the Datadog
 * role (`datadog.createRole: false`).
 */
function roleKind(stack: StackView, policy: Target): RoleKind | undefined {
  const roleAddress = stack.referenced(policy.resource.role, 'aws_iam_role', ['name', 'id']);
  if (!roleAddress) return typeof policy.resource.role === 'string' ? 'Datadog role' : undefined;
  const trust = allowStatements(stack.statements({ address: roleAddress, resource: stack.get(roleAddress) ?? {} }, 'assume_role_policy'));
  if (trust.some((s) => s.awsPrincipals.length > 0 || s.everyone)) return 'Datadog role';
  if (trust.some((s) => s.services.includes('lambda.amazonaws.com'))) return 'forwarder role';
  if (trust.some((s) => s.services.includes('cloudtrail.amazonaws.com'))) return 'CloudTrail delivery role';
  return undefined;
}

/** Wildcards a role policy may carry: the objects under a bucket prefix, the streams of one log group, or any key narrowed to one alias. */
const SCOPED_WILDCARDS = [/^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]*\/([^*?]*\/)?\*$/, /^arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:[^*?]+:(log-stream:)?\*$/];

function wildcardResourceProblem(s: Statement, resource: string): string | undefined {
  if (resource === '*') {
    const scopable = s.actions.filter((a) => !UNSCOPABLE_ACTIONS.some((u) => sameAction(u, a)));
    return scopable.length > 0 ? `${s.label} grants ${scopable.join(', ')} on "*"` : undefined;
  }
  if (!/[*?]/.test(resource) || SCOPED_WILDCARDS.some((pattern) => pattern.test(resource))) return undefined;
  const byAlias = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/\*$/.test(resource) && oneOf(s.condition('ForAnyValue:StringEquals', 'kms:ResourceAliases'), /^alias\/[^*?]+$/);
  return byAlias ? undefined : `${s.label} grants ${s.actions.join(', ')} on the wildcard resource ${resource}`;
}

/**
 * The S3 ARNs the config lets a role of the stack read: the bucket of the account's logs and,
 * for the Datadog role, the account's own log prefixes; for the forwarder, the prefix it reads.
 */
function readableS3(plan: AccountPlan, kind: RoleKind | undefined): string[] | undefined {
  const { partition } = plan.account;
  const bucket = plan.logs.bucketName;
  if (kind === 'Datadog role') return [bucketArn(partition, bucket), ...plan.readPrefixes.map((prefix) => objectsArn(partition, bucket, prefix))];
  if (kind === 'forwarder role' && plan.forwarder) return [objectsArn(partition, plan.forwarder.bucketName, plan.forwarder.readPrefix)];
  return undefined;
}

/** What is wrong with an S3 resource of a role policy, against what the config lets the role read. */
function unreadableS3(s: Statement, resource: string, plan: AccountPlan | undefined, readable: string[] | undefined): string | undefined {
  if (!readable || !resource.startsWith('arn:') || !/^arn:[a-z-]+:s3:::/.test(resource) || readable.includes(resource)) return undefined;
  return `${s.label} grants ${s.actions.join(', ')} on ${resource}, which is not the bucket ${plan?.logs.bucketName} or a log prefix the config names for this role`;
}

/** The AWS accounts Datadog assumes roles from, for any site of the partition. */
const DATADOG_ACCOUNTS: Record<Partition, Set<string>> = Object.fromEntries(
  (['aws', 'aws-us-gov'] as const).map((partition) => [
    partition,
    new Set(DATADOG_SITES.map((site) => datadogAccountId(site, partition)).filter((id): id is string => id !== undefined)),
  ]),
) as Record<Partition, Set<string>>;
const EXTERNAL_ID = new RegExp(schema.definitions.datadog.properties.externalId.pattern);
/**
 * `StringEquals sts:ExternalId`: an ID from the config, or the one Datadog generates in this
 * stack (`datadog.manageIntegration`), by reference to a resource that exists.
 */
const trustsExternalId = (s: Statement, stack: StackView) => {
  const values = s.condition('StringEquals', 'sts:ExternalId');
  const generated = (value: string) => {
    const address = stack.referenced(value, 'datadog_integration_aws_external_id', ['id']);
    return address !== undefined && stack.get(address) !== undefined;
  };
  return values !== undefined && values.length > 0 && values.every((value) => EXTERNAL_ID.test(value) || generated(value));
};
const SUPPORTED_RUNTIMES: readonly string[] = schema.definitions.forwarder.properties.runtime.enum;

/**
 * The inline policies the toolkit writes for each role, by Terraform address: every toolkit
 * role's complete set. A role holds nothing else: no other inline policy, no managed policy
 * (attached or in managed_policy_arns), no inline_policy block.
 */
const ROLE_POLICIES: Record<RoleKind, readonly string[]> = {
  'Datadog role': ['aws_iam_role_policy.datadog-role_cloudtrail-policy', METRICS_POLICY],
  'forwarder role': ['aws_iam_role_policy.forwarder_policy'],
  'CloudTrail delivery role': ['aws_iam_role_policy.trail_delivery-policy'],
};

/** What is wrong with one IAM resource of a stack, against ROLE_POLICIES. */
function iamResourceProblems(stack: StackView, { address, resource }: Target, config: ResolvedConfig | undefined): string[] {
  const type = address.slice(0, address.indexOf('.'));
  if (type === 'aws_iam_role') {
    const managed = blocks(resource.managed_policy_arns);
    return problems(
      managed.length > 0 && `has managed policies attached by managed_policy_arns (${managed.join(', ')})`,
      blocks(resource.inline_policy).some((block) => block.policy !== undefined) && 'has an inline policy in an inline_policy block, outside the policies the toolkit writes',
    );
  }
  if (type !== 'aws_iam_role_policy') return [`is an IAM resource of type ${type}: the toolkit creates IAM roles and their inline policies only, and attaches no managed policy`];
  const kind = roleKind(stack, { address, resource });
  const twin = stack.entries(type).find(
    (other) => other.address !== address && other.resource.role === resource.role && other.resource.name === resource.name && other.address < address,
  );
  return problems(
    kind !== undefined && !ROLE_POLICIES[kind].includes(address) && `is an inline policy of the ${kind} that the toolkit does not write (it writes ${ROLE_POLICIES[kind].join(', ')})`,
    twin !== undefined && `writes the same inline policy (${String(resource.name)}) of the same role as ${twin.address}`,
    address === METRICS_POLICY && config !== undefined && !config.datadog.collectMetrics && 'grants the metrics permissions, though the config does not collect metrics (datadog.collectMetrics)',
  );
}

/** Where a notification configuration sends new objects of its bucket, with the prefix of each. */
const notificationFilters = (notification: Resource) =>
  ['lambda_function', 'queue', 'topic'].flatMap((kind) => blocks(notification[kind]).map((target) => ({ kind, prefix: typeof target.filter_prefix === 'string' ? target.filter_prefix : '' })));

/** Values shaped like a Datadog API key (32 hex), application key (40 hex) or AWS access key. */
const SECRET_VALUE = /(?<![0-9a-f])([0-9a-f]{32}|[0-9a-f]{40})(?![0-9a-f])|\b(AKIA|ASIA)[0-9A-Z]{16}\b/i;
const SECRET_NAME = /(API_KEY|APP_KEY|SECRET|PASSWORD|TOKEN)$/i;

export const RULES: readonly Rule[] = [
  {
    id: 'trail-all-regions',
    benchmarks: ['CIS 3.1', 'CKV_AWS_67', 'CloudTrail.1'],
    description: 'trails are multi-region, include global service events and log every management event, read and write',
    source: BENCHMARKS,
    targets: trails,
    check: ({ resource: trail }) =>
      problems(
        trail.is_multi_region_trail !== true && 'is not multi-region',
        trail.include_global_service_events !== true && 'omits global service events',
        !logsAllManagementEvents(trail) && 'does not log every management event, read and write',
      ),
  },
  {
    id: 'trail-log-file-validation',
    benchmarks: ['CIS 3.2', 'CKV_AWS_36', 'CloudTrail.4'],
    description: 'trails validate their log files',
    source: BENCHMARKS,
    targets: trails,
    check: ({ resource: trail }) => problems(trail.enable_log_file_validation !== true && 'does not validate log files'),
  },
  {
    id: 'trail-kms',
    benchmarks: ['CIS 3.5/3.7', 'CKV_AWS_35', 'CloudTrail.2'],
    description: 'trails encrypt their log files with a customer managed KMS key',
    source: BENCHMARKS,
    targets: trails,
    check: ({ resource: trail }, { stack }) => problems(!isCustomerManagedKey(stack, trail.kms_key_id) && 'is not encrypted with a customer managed KMS key'),
    optOut: { switch: 'trail.kms', explains: (s) => !s.kms },
  },
  {
    id: 'trail-logging-on',
    benchmarks: ['CKV_AWS_251'],
    description: 'trails are logging',
    source: BENCHMARKS,
    targets: trails,
    check: ({ resource: trail }) => problems(trail.enable_logging === false && 'has logging turned off'),
  },
  {
    id: 'trail-cloudwatch-logs',
    benchmarks: ['CloudTrail.5', 'CKV2_AWS_10'],
    description: 'trails deliver to a CloudWatch Logs log group of the stack, KMS-encrypted and kept at least 365 days, through a delivery role',
    source: BENCHMARKS,
    targets: trails,
    check: ({ resource: trail }, { stack }) => {
      const arn = String(trail.cloud_watch_logs_group_arn ?? '');
      if (!arn) return ['does not deliver to CloudWatch Logs'];
      const groupAddress = stack.referenced(arn.replace(/:\*$/, ''), 'aws_cloudwatch_log_group', ['arn']);
      const group = groupAddress ? stack.get(groupAddress) : undefined;
      if (!group) return [`delivers to ${arn}, a log group this stack does not define`];
      const retention = group.retention_in_days;
      return problems(
        !group.kms_key_id && `delivers to ${groupAddress}, which is not KMS-encrypted`,
        // Unset or 0 keeps logs forever.
        typeof retention === 'number' && retention > 0 && retention < 365 && `delivers to ${groupAddress}, which keeps logs ${retention} days, not at least 365`,
        !trail.cloud_watch_logs_role_arn && 'has no CloudWatch Logs delivery role',
      );
    },
    optOut: { switch: 'trail.cloudWatchLogs.enabled', explains: (s) => !s.cloudWatchLogs },
  },
  s3ObjectEventsRule('write', 'CIS 3.8'),
  s3ObjectEventsRule('read', 'CIS 3.9'),
  {
    id: 'trail-ordering',
    benchmarks: ['ordering'],
    description: "trails whose bucket is in the stack depend on that bucket's policy and on their key: CloudTrail validates both when it creates the trail",
    source: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html',
    targets: (stack) => trails(stack).filter(({ resource }) => stack.referenced(resource.s3_bucket_name, 'aws_s3_bucket', ['id', 'bucket'])),
    check: ({ resource: trail }, { stack }) => {
      const dependsOn = blocks(trail.depends_on) as unknown as string[];
      const bucket = stack.referenced(trail.s3_bucket_name, 'aws_s3_bucket', ['id', 'bucket']) as string;
      const policies = stack.attachedTo('aws_s3_bucket_policy', bucket).map((p) => p.address);
      const key = stack.referenced(trail.kms_key_id, 'aws_kms_key', ['arn', 'id', 'key_id']);
      return problems(
        !policies.some((p) => dependsOn.includes(p)) && `does not depend on the policy of ${bucket}`,
        key !== undefined && !dependsOn.includes(key) && `does not depend on ${key}`,
      );
    },
  },
  {
    id: 'trail-destination',
    benchmarks: ['AWS guide (trail delivery)'],
    description:
      "trails write to the toolkit's bucket, prefix and key: the stack's own trail bucket and key where it has them, under the prefix the bucket's policy lets the trail write to; with the config, exactly the trail name, bucket, prefix and key it gives, and an organization trail exactly when it has an organization",
    source: CLOUDTRAIL_BUCKET_GUIDE,
    targets: trails,
    check: ({ resource: trail }, { stack, plan }) => {
      const ownBuckets = stack.trailBuckets().map((b) => b.address);
      const bucket = stack.referenced(trail.s3_bucket_name, 'aws_s3_bucket', ['id', 'bucket']);
      const own = bucket !== undefined && ownBuckets.includes(bucket);
      const prefix = typeof trail.s3_key_prefix === 'string' ? trail.s3_key_prefix : '';
      const logs = `${prefix ? `${prefix}/` : ''}AWSLogs/`;
      const writable = own ? stack.cloudTrailWritePrefixes(bucket) : [];
      const key = stack.referenced(trail.kms_key_id, 'aws_kms_key', ['arn', 'id', 'key_id']);
      const found = problems(
        ownBuckets.length > 0 && !own && `writes to ${String(trail.s3_bucket_name)}, not to this stack's trail bucket (${ownBuckets.join(', ')})`,
        own && !writable.some((w) => w.startsWith(logs) && /^[^/]+\/$/.test(w.slice(logs.length))) && `writes under ${logs}, where the policy of ${bucket} lets no trail write (${writable.join(', ') || 'nowhere'})`,
        keys(stack).length > 0 && trail.kms_key_id !== undefined && key === undefined && `encrypts with ${String(trail.kms_key_id)}, not with this stack's key`,
      );
      const planned = plan?.trail;
      if (!plan) return found;
      if (!planned) return [...found, `is a trail the config does not give ${plan.account.name}`];
      const bucketName = stack.bucketNameOf(trail.s3_bucket_name);
      const plannedKey = !planned.kms ? undefined : planned.keyAliasArn ?? 'this stack\'s key';
      const actualKey = trail.kms_key_id === undefined ? undefined : key !== undefined ? 'this stack\'s key' : String(trail.kms_key_id);
      return problems(
        ...found,
        trail.name !== planned.name && `is named ${String(trail.name)}, not ${planned.name} as the config says`,
        bucketName !== planned.bucketName && `writes to ${bucketName ?? String(trail.s3_bucket_name)}, not to ${planned.bucketName} as the config says`,
        (prefix || undefined) !== planned.s3KeyPrefix && `writes under the prefix ${prefix || '(none)'}, not ${planned.s3KeyPrefix ?? '(none)'} as the config says`,
        // Without a key at all, trail-kms says so (and trail.kms may explain it).
        actualKey !== undefined && actualKey !== plannedKey && `encrypts with ${actualKey}, not ${plannedKey ?? 'no key'} as the config says`,
        (trail.is_organization_trail === true) !== planned.organization && `is ${planned.organization ? 'not ' : ''}an organization trail, though the config ${planned.organization ? 'has' : 'has no'} organization`,
      );
    },
  },
  {
    id: 'bucket-public-access-block',
    benchmarks: ['CIS 2.1.4', 'CKV2_AWS_6', 'S3.8'],
    description: 'every bucket has one public access block with all four flags on',
    source: BENCHMARKS,
    targets: buckets,
    check: ({ address }, { stack }) => {
      const attached = stack.attachedTo('aws_s3_bucket_public_access_block', address);
      const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      if (attached.length !== 1) return [`has ${attached.length} public access blocks, not one`];
      const off = flags.filter((flag) => attached[0].resource[flag] !== true);
      return problems(off.length > 0 && `has ${off.join(', ')} off in its public access block`);
    },
  },
  {
    id: 'bucket-acls-disabled',
    benchmarks: ['CKV2_AWS_65', 'S3.12'],
    description: 'every bucket disables ACLs (object ownership BucketOwnerEnforced)',
    source: BENCHMARKS,
    targets: buckets,
    check: ({ address }, { stack }) => {
      const controls = stack.attachedTo('aws_s3_bucket_ownership_controls', address);
      const enforced = controls.some((c) => blocks(c.resource.rule).some((rule) => rule.object_ownership === 'BucketOwnerEnforced'));
      return problems(!enforced && 'allows ACLs: no ownership controls with BucketOwnerEnforced');
    },
  },
  {
    id: 'bucket-tls-only',
    benchmarks: ['CIS 2.1.1', 'S3.5'],
    description: 'every bucket policy denies s3:* to everyone, on the bucket and all its objects, when aws:SecureTransport is false, with no other condition',
    source: BENCHMARKS,
    targets: buckets,
    check: ({ address }, { stack }) => {
      const bucketArn = `arn:${stack.partition}:s3:::${stack.bucketName(address) ?? ''}`;
      const statements = stack.attachedTo('aws_s3_bucket_policy', address).flatMap((p) => stack.statements(p, 'policy'));
      const denies = statements.some(
        (s) =>
          s.effect === 'Deny' &&
          s.everyone &&
          s.negated.length === 0 &&
          s.actions.some((a) => a === '*' || sameAction(a, 's3:*')) &&
          s.resources.some((r) => wildcardMatch(r, bucketArn, { ignoreCase: false })) &&
          s.resources.some((r) => wildcardMatch(r, `${bucketArn}/*`, { ignoreCase: false })) &&
          s.conditions.length === 1 &&
          JSON.stringify(s.condition('Bool', 'aws:SecureTransport')) === '["false"]',
      );
      return problems(!denies && `accepts requests without TLS: no Deny of s3:* to everyone on ${bucketArn} and ${bucketArn}/* when aws:SecureTransport is false`);
    },
  },
  {
    id: 'trail-bucket-kms',
    benchmarks: ['CKV_AWS_145', 'S3.17'],
    description: 'trail buckets encrypt by default with a customer managed KMS key (aws:kms)',
    source: BENCHMARKS,
    targets: (stack) => stack.trailBuckets(),
    check: ({ address }, { stack }) => {
      const rules = stack.attachedTo('aws_s3_bucket_server_side_encryption_configuration', address).flatMap((c) => blocks(c.resource.rule));
      const byKey = rules.some((rule) => {
        const defaults = blocks(rule.apply_server_side_encryption_by_default)[0];
        return defaults?.sse_algorithm === 'aws:kms' && isCustomerManagedKey(stack, defaults.kms_master_key_id);
      });
      return problems(!byKey && 'is not encrypted by default with a customer managed KMS key');
    },
    optOut: { switch: 'trail.kms', explains: (s) => !s.kms },
  },
  {
    id: 'trail-bucket-no-bucket-key',
    benchmarks: ['AWS guide (KMS)'],
    description:
      "trail buckets use no S3 Bucket Key, or the trail key lets CloudTrail kms:Decrypt for exactly its trail (with a bucket key, CloudTrail needs it to create or update the trail, and readers' decrypt condition on the trail's encryption context fails)",
    source: CLOUDTRAIL_KEY_GUIDE,
    targets: (stack) => stack.trailBuckets(),
    check: ({ address }, { stack }) => {
      const bucketKey = stack
        .attachedTo('aws_s3_bucket_server_side_encryption_configuration', address)
        .some((c) => blocks(c.resource.rule).some((rule) => rule.bucket_key_enabled === true));
      const cloudTrailDecrypts = keys(stack).some((key) =>
        allowStatements(stack.statements(key, 'policy')).some((s) => s.services.includes('cloudtrail.amazonaws.com') && s.allows('kms:Decrypt') && conditionedOnTrail(s)),
      );
      return problems(bucketKey && !cloudTrailDecrypts && 'uses an S3 Bucket Key, but no key policy lets CloudTrail kms:Decrypt for its trail');
    },
  },
  {
    id: 'bucket-versioning',
    benchmarks: ['CKV_AWS_21', 'S3.14'],
    description: 'every bucket is versioned',
    source: BENCHMARKS,
    targets: buckets,
    check: ({ address }, { stack }) => {
      const enabled = stack.attachedTo('aws_s3_bucket_versioning', address).some((v) => blocks(v.resource.versioning_configuration).some((c) => c.status === 'Enabled'));
      return problems(!enabled && 'is not versioned');
    },
  },
  {
    id: 'bucket-lifecycle',
    benchmarks: ['CKV2_AWS_61', 'CKV_AWS_300', 'S3.13'],
    description: 'every bucket has an enabled lifecycle rule for all its objects that expires them and aborts incomplete multipart uploads',
    source: BENCHMARKS,
    targets: buckets,
    check: ({ address }, { stack }) => {
      const rules = stack.attachedTo('aws_s3_bucket_lifecycle_configuration', address).flatMap((c) => blocks(c.resource.rule));
      const wholeBucket = (rule: Record<string, unknown>) => blocks(rule.filter).every((f) => Object.keys(f).every((k) => k === 'prefix' && f.prefix === ''));
      const complete = rules.some((r) => r.status === 'Enabled' && wholeBucket(r) && blocks(r.expiration).length > 0 && blocks(r.abort_incomplete_multipart_upload).length > 0);
      return problems(!complete && 'has no enabled lifecycle rule for all objects that expires them and aborts incomplete multipart uploads');
    },
  },
  {
    id: 'bucket-retention',
    benchmarks: ['retention'],
    description:
      "no lifecycle rule of a trail bucket expires log objects sooner than the rule for the whole bucket, or (with the config) sooner than its trail.retentionDays and, for replaced versions, trail.noncurrentVersionRetentionDays",
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html',
    targets: (stack) => stack.trailBuckets(),
    check: ({ address }, { stack, plan }) => {
      const rules = stack
        .attachedTo('aws_s3_bucket_lifecycle_configuration', address)
        .flatMap((c) => blocks(c.resource.rule))
        .filter((r) => r.status === 'Enabled');
      const days = (rule: Record<string, unknown>, block: string, field: string) => blocks(rule[block])[0]?.[field];
      const whole = rules.filter((r) => blocks(r.filter).every((f) => Object.keys(f).every((k) => k === 'prefix' && f.prefix === '')));
      const floor = plan?.logArchive?.retentionDays ?? Math.min(...whole.map((r) => Number(days(r, 'expiration', 'days') ?? Infinity)));
      const noncurrentFloor = plan?.logArchive?.noncurrentVersionRetentionDays ?? 0;
      const against = plan?.logArchive ? 'trail.retentionDays in the config' : "the bucket's rule for all objects";
      return rules.flatMap((rule) => {
        const expires = days(rule, 'expiration', 'days');
        const noncurrent = days(rule, 'noncurrent_version_expiration', 'noncurrent_days');
        const name = `rule ${String(rule.id ?? '(no id)')}`;
        return problems(
          days(rule, 'expiration', 'date') !== undefined && `${name} expires log objects on a date`,
          typeof expires === 'number' && expires < floor && `${name} expires log objects after ${expires} day(s), sooner than the ${floor} of ${against}`,
          typeof noncurrent === 'number' &&
            noncurrent < noncurrentFloor &&
            `${name} expires replaced versions after ${noncurrent} day(s), sooner than the ${noncurrentFloor} of trail.noncurrentVersionRetentionDays in the config`,
        );
      });
    },
  },
  {
    id: 'trail-bucket-access-logging',
    benchmarks: ['CIS 3.4/3.6', 'CKV_AWS_18', 'CloudTrail.7'],
    description: 'trail buckets log server access to another bucket',
    source: BENCHMARKS,
    targets: (stack) => stack.trailBuckets(),
    check: ({ address }, { stack }) => {
      const ownName = stack.bucketName(address);
      const logging = stack
        .attachedTo('aws_s3_bucket_logging', address)
        .filter(({ resource }) => stack.referenced(resource.target_bucket, 'aws_s3_bucket', ['id', 'bucket']) !== address && resource.target_bucket !== ownName);
      return problems(logging.length === 0 && 'does not log server access to another bucket');
    },
    optOut: { switch: 'trail.accessLogging', explains: (s) => !s.accessLogging },
  },
  {
    id: 'bucket-policy-grants',
    benchmarks: ['CKV_AWS_70', 'S3.6'],
    description:
      'bucket policies grant no principal of another account in any form (account root, role, bare account ID, CanonicalUser, federated identity), Principal "*" only narrowed to the own account or organization, services only CloudTrail and, for the own buckets, S3 server access logging; and policy or ACL changes to no one outside the account',
    source: BENCHMARKS,
    targets: bucketPolicies,
    check: (policy, { stack, config }) => {
      const known = knownCallers(stack, config);
      return allowStatements(stack.statements(policy, 'policy')).flatMap((s) => {
        const foreign = foreignPrincipals(s, known);
        const outsiders = s.everyone || s.services.length > 0 || foreign.length > 0;
        const changes = S3_POLICY_CHANGES.filter((action) => s.allows(action));
        const services = s.services.filter((service) => !BUCKET_SERVICES.includes(service));
        const logging = s.services.includes(S3_LOGGING_SERVICE);
        return problems(
          negation(s),
          everyoneProblem(s, known),
          foreign.length > 0 && `${s.label} grants ${s.actions.join(', ')} to ${foreign.join(', ')}, outside the account ${stack.accountId ?? '(unknown: the provider names no allowed_account_ids)'}`,
          services.length > 0 && `${s.label} grants ${s.actions.join(', ')} to the service ${services.join(', ')}`,
          logging &&
            JSON.stringify(s.condition('StringEquals', 'aws:SourceAccount')) !== JSON.stringify([stack.accountId]) &&
            `${s.label} lets S3 deliver access logs for buckets of any account: no StringEquals aws:SourceAccount = ${stack.accountId ?? '(unknown)'}`,
          outsiders && changes.length > 0 && `${s.label} lets principals outside the account change the bucket's policy or ACLs (${changes.join(', ')})`,
        );
      });
    },
  },
  {
    id: 'cloudtrail-bucket-grants',
    benchmarks: ['AWS guide (confused deputy)'],
    description:
      'bucket grants to CloudTrail are s3:GetBucketAcl and s3:PutObject only, each conditioned on aws:SourceArn = one trail; writes require bucket-owner-full-control and land under AWSLogs/<account or organization>/',
    source: CLOUDTRAIL_BUCKET_GUIDE,
    targets: (stack) => bucketPolicies(stack).filter((p) => stack.statements(p, 'policy').some((s) => s.services.includes('cloudtrail.amazonaws.com'))),
    check: (policy, { stack }) => {
      const bucketArn = `arn:${stack.partition}:s3:::${stack.bucketName(stack.referenced(policy.resource.bucket, 'aws_s3_bucket', ['id', 'bucket']) ?? '') ?? policy.resource.bucket}`;
      const logObjects = new RegExp(`^${escapeRegExp(bucketArn)}/([^*?]+/)?AWSLogs/(\\d{12}|o-[a-z0-9]+)/\\*$`);
      return allowStatements(stack.statements(policy, 'policy'))
        .filter((s) => s.services.includes('cloudtrail.amazonaws.com'))
        .flatMap((s) => {
          const extra = s.actions.filter((a) => !['s3:GetBucketAcl', 's3:PutObject'].some((allowed) => sameAction(allowed, a)));
          const writes = s.allows('s3:PutObject');
          return problems(
            negation(s),
            extra.length > 0 && `${s.label} grants CloudTrail ${extra.join(', ')}`,
            !conditionedOnTrail(s) && `${s.label} lets CloudTrail act for any trail: no aws:SourceArn naming exactly one trail`,
            writes && JSON.stringify(s.condition('StringEquals', 's3:x-amz-acl')) !== '["bucket-owner-full-control"]' && `${s.label} lets CloudTrail write without bucket-owner-full-control`,
            writes && !s.resources.every((r) => logObjects.test(r)) && `${s.label} lets CloudTrail write outside AWSLogs/<account or organization>/ (${s.resources.join(', ')})`,
          );
        });
    },
  },
  {
    id: 'log-archive-names',
    benchmarks: ['config'],
    description: 'with the config: the stack holds exactly the buckets and key alias the config names for it (the trail bucket, the access-log bucket it creates, alias/<trail name>)',
    source: 'docs/CONFIGURATION.md',
    targets: (stack, { plan }) => (plan ? [...buckets(stack), ...stack.entries('aws_kms_alias')] : []),
    check: ({ address, resource }, { plan }) => {
      const archive = plan?.logArchive;
      const names = [archive?.bucketName, archive?.accessLogBucket?.create ? archive.accessLogBucket.name : undefined].filter((n): n is string => n !== undefined);
      if (address.startsWith('aws_kms_alias.')) {
        return problems(resource.name !== archive?.keyAlias && `is ${String(resource.name)}, not ${archive?.keyAlias ?? 'an alias'} the config names for ${plan?.account.name}`);
      }
      return problems(!names.includes(String(resource.bucket)) && `is the bucket ${String(resource.bucket)}, not one the config names for ${plan?.account.name} (${names.join(', ') || 'none'})`);
    },
  },
  {
    id: 'notification-prefix',
    benchmarks: ['delivery (trigger)'],
    description:
      "a trail bucket's notifications filter on where its trail writes (a prefix under the <prefix>/AWSLogs/<account or organization>/ its policy lets CloudTrail write to); with the config, exactly the forwarder's trigger prefix",
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html',
    targets: (stack) => stack.trailBuckets().flatMap(({ address }) => stack.attachedTo('aws_s3_bucket_notification', address)),
    check: ({ resource }, { stack, plan }) => {
      const bucket = stack.referenced(resource.bucket, 'aws_s3_bucket', ['id', 'bucket']) as string;
      const writable = stack.cloudTrailWritePrefixes(bucket);
      const trigger = plan?.forwarder?.trigger;
      return notificationFilters(resource).flatMap(({ kind, prefix }) =>
        problems(
          !writable.some((w) => prefix.startsWith(w)) && `sends new objects under "${prefix}" to a ${kind}, which is not where the trail writes (${writable.join(', ') || 'nowhere'})`,
          trigger?.type === 's3' && prefix !== trigger.filterPrefix && `sends new objects under "${prefix}" to a ${kind}, not under "${trigger.filterPrefix}" as the config says`,
        ),
      );
    },
  },
  {
    id: 'bucket-policy-size',
    benchmarks: ['size'],
    description: 'bucket policies stay within the 20 KB limit, whatever the size of the organization',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html',
    targets: bucketPolicies,
    check: ({ resource }) => {
      const size = Buffer.byteLength(String(resource.policy).replace(/\$\$\{/g, '${'));
      return problems(size > 20 * 1024 && `is ${size} bytes, over the 20 KB limit`);
    },
  },
  {
    id: 'no-deploy-destroys-data',
    benchmarks: ['safety'],
    description: 'no bucket or key can be destroyed by a deploy (force_destroy off, lifecycle prevent_destroy)',
    source: 'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle',
    targets: (stack) => [...buckets(stack), ...keys(stack)],
    check: ({ resource }) =>
      problems(
        resource.force_destroy === true && 'has force_destroy on',
        blocks(resource.lifecycle)[0]?.prevent_destroy !== true && 'can be destroyed by a deploy: no lifecycle prevent_destroy',
      ),
  },
  {
    id: 'key-rotation',
    benchmarks: ['CKV_AWS_7', 'KMS.4'],
    description: 'keys rotate',
    source: BENCHMARKS,
    targets: keys,
    check: ({ resource }) => problems(resource.enable_key_rotation !== true && 'does not rotate'),
  },
  {
    id: 'key-enabled',
    benchmarks: ['delivery (KMS)'],
    description: 'keys are enabled: CloudTrail cannot encrypt with a disabled key, so the trail delivers nothing, and no reader can decrypt',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html',
    targets: keys,
    check: ({ resource }) => problems(resource.is_enabled === false && 'is disabled (is_enabled false)'),
  },
  {
    id: 'key-policy-principals',
    benchmarks: ['CKV2_AWS_64', 'CKV_AWS_33'],
    description:
      'keys have a policy that grants only principals of their own account (no other account, CanonicalUser or federated identity), or Principal "*" narrowed to the own account or organization',
    source: BENCHMARKS,
    targets: keys,
    check: (key, { stack, config }) => {
      if (typeof key.resource.policy !== 'string') return ['has no key policy'];
      const known = knownCallers(stack, config);
      return allowStatements(stack.statements(key, 'policy')).flatMap((s) => {
        const foreign = foreignPrincipals(s, known);
        return problems(
          negation(s),
          everyoneProblem(s, known),
          foreign.length > 0 && `${s.label} grants ${s.actions.join(', ')} to ${foreign.join(', ')}, outside the key's account ${stack.accountId ?? '(unknown: the provider names no allowed_account_ids)'}`,
        );
      });
    },
  },
  {
    id: 'key-cloudtrail-grants',
    benchmarks: ['AWS guide (KMS)'],
    description:
      "CloudTrail's key grants are conditioned on aws:SourceArn = one trail (encryption also on its encryption context); log readers may only kms:Decrypt, and only under CloudTrail's encryption context",
    source: CLOUDTRAIL_KEY_GUIDE,
    targets: keys,
    check: (key, { stack }) =>
      allowStatements(stack.statements(key, 'policy')).flatMap((s) => {
        const ownRoot = `arn:${stack.partition}:iam::${stack.accountId}:root`;
        // The default key policy delegates to the account's IAM policies; it is no reader grant.
        if (!s.everyone && s.services.length === 0 && s.awsPrincipals.length === 1 && s.awsPrincipals[0] === ownRoot) return [];
        const found: Array<string | false> = [];
        for (const service of s.services) {
          if (service === 'cloudtrail.amazonaws.com') {
            found.push(!conditionedOnTrail(s) && `${s.label} lets CloudTrail use the key for any trail: no aws:SourceArn naming exactly one trail`);
            found.push(
              s.allows('kms:GenerateDataKey') &&
                !oneOf(s.condition('StringLike', 'kms:EncryptionContext:aws:cloudtrail:arn'), /^arn:[a-z-]+:cloudtrail:\*:\d{12}:trail\/\*$/) &&
                `${s.label} lets CloudTrail encrypt outside the trail account's encryption context`,
            );
          } else if (/^logs\.[a-z0-9-]+\.amazonaws\.com$/.test(service)) {
            const group = s.condition('ArnEquals', 'kms:EncryptionContext:aws:logs:arn');
            found.push(!oneOf(group, /^arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:[^*?]+$/) && `${s.label} lets CloudWatch Logs use the key for any log group`);
          } else {
            found.push(`${s.label} grants the key to the service ${service}`);
          }
        }
        if (s.everyone || s.awsPrincipals.length > 0) {
          const extra = s.actions.filter((a) => !sameAction(a, 'kms:Decrypt'));
          found.push(extra.length > 0 && `${s.label} grants log readers ${extra.join(', ')}, not only kms:Decrypt`);
          found.push(
            JSON.stringify(s.condition('Null', 'kms:EncryptionContext:aws:cloudtrail:arn')) !== '["false"]' &&
              `${s.label} lets readers decrypt outside CloudTrail's encryption context`,
          );
        }
        return problems(...found);
      }),
  },
  {
    id: 'role-trust',
    benchmarks: ['CKV_AWS_60', 'Datadog external ID'],
    description:
      "roles trust no one-and-all principal; AWS accounts only as Datadog's account (for the config's site) with sts:ExternalId (with the config: exactly the account's external ID); services only Lambda, or CloudTrail for one trail; only sts:AssumeRole",
    source: DATADOG_CLOUDTRAIL,
    targets: (stack) => stack.entries('aws_iam_role'),
    check: (role, { stack, account }) => {
      const datadog = account ? new Set([account.datadogAccountId]) : DATADOG_ACCOUNTS[stack.partition];
      return allowStatements(stack.statements(role, 'assume_role_policy')).flatMap((s) => {
        const extra = s.actions.filter((a) => !sameAction(a, 'sts:AssumeRole'));
        const strangers = s.awsPrincipals.filter((p) => ![...datadog].some((id) => p === `arn:${stack.partition}:iam::${id}:root`));
        const services = s.services.filter((service) => service !== 'lambda.amazonaws.com' && service !== 'cloudtrail.amazonaws.com');
        return problems(
          negation(s),
          s.everyone && `${s.label} trusts everyone`,
          extra.length > 0 && `${s.label} grants ${extra.join(', ')}`,
          s.federated.length > 0 && `${s.label} trusts the identity provider ${s.federated.join(', ')}`,
          strangers.length > 0 && `${s.label} trusts ${strangers.join(', ')}, not Datadog's AWS account ${account ? `for ${account.name}'s site` : `(${[...datadog].join(', ')})`}`,
          s.awsPrincipals.length > 0 && !trustsExternalId(s, stack) && `${s.label} trusts an account without StringEquals sts:ExternalId`,
          s.awsPrincipals.length > 0 &&
            account?.externalId !== undefined &&
            JSON.stringify(s.condition('StringEquals', 'sts:ExternalId')) !== JSON.stringify([account.externalId]) &&
            `${s.label} trusts the external ID ${(s.condition('StringEquals', 'sts:ExternalId') ?? []).join(', ') || '(none)'}, not ${account.name}'s ${account.externalId} from the config`,
          services.length > 0 && `${s.label} trusts the service ${services.join(', ')}`,
          s.services.includes('cloudtrail.amazonaws.com') && !conditionedOnTrail(s) && `${s.label} lets CloudTrail assume the role for any trail: no aws:SourceArn naming exactly one trail`,
        );
      });
    },
  },
  {
    id: 'role-policy-actions',
    benchmarks: ['least privilege'],
    description: 'role policies grant only the actions their role needs (Datadog role, forwarder, CloudTrail delivery), each named: no wildcard, no write beyond log delivery',
    source: DATADOG_CLOUDTRAIL,
    targets: rolePolicies,
    check: (policy, { stack }) => {
      const kind = roleKind(stack, policy);
      if (!kind) return ['belongs to a role the toolkit does not create (neither Datadog, Lambda nor CloudTrail assumes it)'];
      const allowed: readonly string[] = ROLE_ACTIONS[kind];
      const metrics = isMetricsPolicy(policy, kind);
      const problem = (s: Statement, a: string) => {
        if (metrics) return !documentedMetricsAction(a) && `${s.label} grants ${a}, which is not among the permissions Datadog documents for metric collection`;
        if (/[*?]/.test(a)) return `${s.label} grants ${a}: a wildcard action`;
        return !allowed.some((x) => sameAction(x, a)) && `${s.label} grants ${a}, which the ${kind} does not need`;
      };
      return allowStatements(stack.statements(policy, 'policy')).flatMap((s) => problems(negation(s), ...s.actions.map((a) => problem(s, a))));
    },
  },
  {
    id: 'role-policy-resources',
    benchmarks: ['CKV_AWS_355', 'least privilege'],
    description:
      'role policies grant "*" only for actions without resource-level permissions, and wildcards only for the objects or log streams under a fixed prefix (or a key narrowed by its alias); with the config, S3 access only to the bucket and log prefixes it names',
    source: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
    targets: rolePolicies,
    check: (policy, { stack, plan }) => {
      const kind = roleKind(stack, policy);
      const readable = plan && readableS3(plan, kind);
      const metrics = isMetricsPolicy(policy, kind);
      return allowStatements(stack.statements(policy, 'policy')).flatMap((s) =>
        problems(
          ...s.resources.map((r) => (metrics && r === '*' && s.actions.every(documentedMetricsAction) ? undefined : wildcardResourceProblem(s, r))),
          ...s.resources.map((r) => unreadableS3(s, r, plan, readable)),
        ),
      );
    },
  },
  {
    id: 'iam-role-policies',
    benchmarks: ['least privilege'],
    description:
      'IAM resources are the toolkit\'s roles and the inline policies it writes for each (Datadog role, forwarder, CloudTrail delivery), and nothing else: no other inline policy, no managed policy attached (aws_iam_role_policy_attachment, managed_policy_arns), no inline_policy block',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html',
    targets: (stack) => stack.resourceTypes().filter((type) => type.startsWith('aws_iam_')).flatMap((type) => stack.entries(type)),
    check: (target, { stack, config }) => iamResourceProblems(stack, target, config),
  },
  {
    id: 'lambda-permission-source',
    benchmarks: ['CKV_AWS_364', 'CKV_AWS_301', 'AVD-AWS-0067', 'Lambda.1'],
    description: 'functions may be invoked only by one named source: S3 for one bucket of the own account, one SNS topic or one EventBridge rule',
    source: BENCHMARKS,
    targets: (stack) => stack.entries('aws_lambda_permission'),
    check: ({ resource: permission }, { stack }) => {
      const principal = String(permission.principal);
      const source = permission.source_arn;
      const literal = (pattern: RegExp) => typeof source === 'string' && pattern.test(source);
      const named: Record<string, () => boolean> = {
        's3.amazonaws.com': () => stack.referenced(source, 'aws_s3_bucket', ['arn']) !== undefined || literal(/^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]+$/),
        'sns.amazonaws.com': () => stack.referenced(source, 'aws_sns_topic', ['arn']) !== undefined || literal(/^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[\w-]+$/),
        'events.amazonaws.com': () => stack.referenced(source, 'aws_cloudwatch_event_rule', ['arn']) !== undefined || literal(/^arn:[a-z-]+:events:[a-z0-9-]+:\d{12}:rule\/[\w./-]+$/),
      };
      if (!named[principal]) return [`may be invoked by ${principal}, not by S3, SNS or EventBridge`];
      return problems(
        permission.action !== 'lambda:InvokeFunction' && `grants ${String(permission.action)}, not lambda:InvokeFunction`,
        !named[principal]() && `may be invoked by ${principal} for ${source === undefined ? 'any source: no source_arn' : `any source matching ${String(source)}`}`,
        principal === 's3.amazonaws.com' && permission.source_account !== stack.accountId && `may be invoked by S3 for buckets of ${String(permission.source_account ?? 'any account')}, not of the account ${stack.accountId}`,
      );
    },
  },
  {
    id: 'lambda-runtime',
    benchmarks: ['CKV_AWS_363', 'Lambda.2'],
    description: `functions run a supported runtime (${SUPPORTED_RUNTIMES.join(', ')}, the ones the Datadog Forwarder layers support)`,
    source: BENCHMARKS,
    targets: functions,
    check: ({ resource }) => problems(!SUPPORTED_RUNTIMES.includes(String(resource.runtime)) && `runs ${String(resource.runtime)}`),
  },
  {
    id: 'lambda-no-secrets',
    benchmarks: ['CKV_AWS_45'],
    description: 'no secret in function environment variables (the Datadog API key only by its Secrets Manager ARN)',
    source: BENCHMARKS,
    targets: functions,
    check: ({ resource }) => {
      const variables = (blocks(resource.environment)[0]?.variables ?? {}) as Record<string, unknown>;
      return Object.entries(variables)
        .filter(([name, value]) => SECRET_VALUE.test(String(value)) || SECRET_NAME.test(name))
        .map(([name]) => `has ${name} in its environment, shaped like a secret`);
    },
  },
  {
    id: 'lambda-failure-destination',
    benchmarks: ['AWS guide (asynchronous invocation)'],
    description: 'functions keep the events of failed asynchronous invocations: an on-failure destination or a dead-letter queue',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
    targets: functions,
    check: ({ address, resource }, { stack }) => {
      const deadLetter = blocks(resource.dead_letter_config).some((d) => typeof d.target_arn === 'string' && d.target_arn !== '');
      const destination = stack
        .entries('aws_lambda_function_event_invoke_config')
        .some(
          (c) =>
            stack.referenced(c.resource.function_name, 'aws_lambda_function', ['function_name', 'arn']) === address &&
            blocks(c.resource.destination_config).some((d) => blocks(d.on_failure).some((f) => typeof f.destination === 'string' && f.destination !== '')),
        );
      return problems(!deadLetter && !destination && 'drops the events of failed invocations: no on-failure destination and no dead-letter queue');
    },
  },
  {
    id: 'lambda-log-group',
    benchmarks: ['log group'],
    description: 'functions log to an explicit /aws/lambda/<name> log group with a retention',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html',
    targets: functions,
    check: ({ resource }, { stack }) => {
      const name = `/aws/lambda/${String(resource.function_name)}`;
      const group = stack.entries('aws_cloudwatch_log_group').find((g) => g.resource.name === name);
      const retention = group?.resource.retention_in_days;
      return problems(!(typeof retention === 'number' && retention > 0) && `has no ${name} log group with a retention`);
    },
  },
  {
    id: 'trail-bucket-notification',
    benchmarks: ['ordering (trigger)'],
    description: "every trail bucket has exactly one notification configuration, created after the invoke permission for that bucket",
    source: 'https://github.com/hashicorp/terraform-provider-aws/issues/501',
    targets: (stack) => stack.trailBuckets(),
    check: ({ address }, { stack }) => {
      const notifications = stack.attachedTo('aws_s3_bucket_notification', address);
      if (notifications.length !== 1) return [`has ${notifications.length} notification configurations, not one`];
      const dependsOn = blocks(notifications[0].resource.depends_on) as unknown as string[];
      const waits = dependsOn.some((d) => d.startsWith('aws_lambda_permission.') && stack.referenced(stack.get(d)?.source_arn, 'aws_s3_bucket', ['arn']) === address);
      return problems(!waits && `notification ${notifications[0].address} does not wait for the invoke permission of ${address}`);
    },
  },
  {
    id: 'terraform-expressions',
    benchmarks: ['config is data'],
    description:
      'every ${...} in a stack is one the toolkit writes, a reference to a resource or data source of the stack; no other expression (file(), templatefile(), var.*, ...) and no %{...} directive, which Terraform would evaluate at plan time',
    source: 'https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences',
    targets: (stack) => [{ address: 'cdk.tf.json', resource: stack.json }],
    check: ({ resource }) => foreignExpressions(resource).map(({ path, expression }) => `${path} holds ${expression}, an expression the toolkit never writes`),
  },
];
