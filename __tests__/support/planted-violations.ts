/**
 * The smallest violation of each security rule, planted by hand in a synthesized stack that
 * every rule applies to (one account, with CloudWatch Logs delivery and every S3 data event).
 */
import type { TestConfig } from './configs';
import { OTHER_EXTERNAL_ID, validConfig } from './configs';
import { parsePolicy, synthConfig, type TfJson } from './synth';

/** Every switch on, so that every rule has something to look at and nothing is opted out. */
export function fullConfig(): TestConfig {
  const config = validConfig();
  config.trail.cloudWatchLogs = { enabled: true };
  config.trail.s3DataEvents = 'all';
  return config;
}

let synthesized: { stack: TfJson; config: ReturnType<typeof synthConfig>['config'] } | undefined;
/** The `prod` stack of fullConfig() (synthesized once per test file) and its resolved config. */
export function fullStack(): { stack: TfJson; config: ReturnType<typeof synthConfig>['config'] } {
  if (!synthesized) {
    const { stacks, config } = synthConfig(fullConfig());
    synthesized = { stack: stacks.prod, config };
  }
  return { stack: structuredClone(synthesized.stack), config: synthesized.config };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, edited in place at any depth to plant violations

export function resource(stack: TfJson, address: string): Json {
  const dot = address.indexOf('.');
  return stack.resource[address.slice(0, dot)][address.slice(dot + 1)];
}

/** Edits the IAM document in `attribute` of the resource at `address`. */
export function editPolicy(stack: TfJson, address: string, attribute: string, edit: (document: Json) => void): void {
  const target = resource(stack, address);
  const document = parsePolicy(target[attribute]);
  edit(document);
  target[attribute] = JSON.stringify(document);
}

/** The statement with `sid`, for the test to edit (the rules themselves never look at Sids). */
export const statement = (document: Json, sid: string): Json => document.Statement.find((s: Json) => s.Sid === sid);

export const ACCOUNT = '111111111111';
export const STRANGER = '999999999999';
export const BUCKET = `acme-cloudtrail-${ACCOUNT}`;
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

export const TRAIL = 'aws_cloudtrail.trail_trail';
export const LOG_BUCKET = 'aws_s3_bucket.trail-bucket_logs_bucket';
export const BUCKET_POLICY = 'aws_s3_bucket_policy.trail-bucket_logs_policy';
export const ACCESS_LOG_BUCKET_POLICY = 'aws_s3_bucket_policy.trail-bucket_access-logs_policy';
export const KEY = 'aws_kms_key.trail-key_key';
export const DATADOG_ROLE = 'aws_iam_role.datadog-role_role';
export const DATADOG_POLICY = 'aws_iam_role_policy.datadog-role_cloudtrail-policy';
export const FORWARDER_POLICY = 'aws_iam_role_policy.forwarder_policy';
export const PERMISSION = 'aws_lambda_permission.forwarder-trigger_permission';
export const FUNCTION = 'aws_lambda_function.forwarder_function';
export const RETRY_SCHEDULE = 'aws_scheduler_schedule.forwarder_retry-schedule_schedule';
export const RETRY_ROLE = 'aws_iam_role.forwarder_retry-schedule_role';
export const RETRY_POLICY = 'aws_iam_role_policy.forwarder_retry-schedule_policy';
export const FORWARDER_ROLE = 'aws_iam_role.forwarder_role';
export const NOTIFICATION = 'aws_s3_bucket_notification.forwarder-trigger_notification';
export const LIFECYCLE = 'aws_s3_bucket_lifecycle_configuration.trail-bucket_logs_lifecycle';
/** What an injected expression would read: the runner's environment, its credentials included. */
export const INJECTED = '${file("/proc/self/environ")}';

export interface Plant {
  rule: string;
  violation: string;
  plant: (stack: TfJson) => void;
}

const dataSelector = (stack: TfJson): Json => resource(stack, TRAIL).advanced_event_selector.find((s: Json) => s.field_selector.some((f: Json) => f.equals?.includes('Data')));

/** One per rule: exactly that rule must fire. */
export const PLANTS: Plant[] = [
  { rule: 'trail-all-regions', violation: 'the trail is single-region', plant: (s) => void (resource(s, TRAIL).is_multi_region_trail = false) },
  { rule: 'trail-log-file-validation', violation: 'log file validation is off', plant: (s) => void (resource(s, TRAIL).enable_log_file_validation = false) },
  { rule: 'trail-kms', violation: 'the trail has no KMS key', plant: (s) => void delete resource(s, TRAIL).kms_key_id },
  { rule: 'trail-logging-on', violation: 'the trail does not log', plant: (s) => void (resource(s, TRAIL).enable_logging = false) },
  {
    rule: 'trail-cloudwatch-logs',
    violation: 'the trail log group keeps 30 days',
    plant: (s) => void (resource(s, 'aws_cloudwatch_log_group.trail_log-group').retention_in_days = 30),
  },
  {
    rule: 'trail-s3-write-events',
    violation: 'the data event selector logs reads only',
    plant: (s) => void dataSelector(s).field_selector.push({ field: 'readOnly', equals: ['true'] }),
  },
  {
    rule: 'trail-s3-read-events',
    violation: 'the data event selector logs writes only',
    plant: (s) => void dataSelector(s).field_selector.push({ field: 'readOnly', equals: ['false'] }),
  },
  {
    rule: 'trail-ordering',
    violation: 'the trail does not wait for the bucket policy',
    plant: (s) => void (resource(s, TRAIL).depends_on = resource(s, TRAIL).depends_on.filter((d: string) => d !== BUCKET_POLICY)),
  },
  { rule: 'trail-destination', violation: "the trail writes to a bucket that is not the stack's", plant: (s) => void (resource(s, TRAIL).s3_bucket_name = 'attacker-logs') },
  {
    rule: 'bucket-public-access-block',
    violation: 'the access-log bucket lets public buckets be public',
    plant: (s) => void (resource(s, 'aws_s3_bucket_public_access_block.trail-bucket_access-logs_public-access-block').restrict_public_buckets = false),
  },
  {
    rule: 'bucket-acls-disabled',
    violation: 'the trail bucket prefers, not enforces, bucket-owner ownership',
    plant: (s) => void (resource(s, 'aws_s3_bucket_ownership_controls.trail-bucket_logs_ownership').rule.object_ownership = 'BucketOwnerPreferred'),
  },
  {
    rule: 'bucket-tls-only',
    violation: 'the TLS deny covers the bucket but not its objects',
    plant: (s) => editPolicy(s, BUCKET_POLICY, 'policy', (d) => void (statement(d, 'DenyInsecureTransport').Resource = BUCKET_ARN)),
  },
  {
    rule: 'trail-bucket-kms',
    violation: 'the trail bucket encrypts with SSE-S3',
    plant: (s) => void (resource(s, 'aws_s3_bucket_server_side_encryption_configuration.trail-bucket_logs_encryption').rule[0].apply_server_side_encryption_by_default = { sse_algorithm: 'AES256' }),
  },
  {
    rule: 'trail-bucket-no-bucket-key',
    violation: 'the trail bucket uses an S3 Bucket Key, and CloudTrail may not decrypt',
    plant: (s) => void (resource(s, 'aws_s3_bucket_server_side_encryption_configuration.trail-bucket_logs_encryption').rule[0].bucket_key_enabled = true),
  },
  {
    rule: 'bucket-versioning',
    violation: 'versioning is suspended',
    plant: (s) => void (resource(s, 'aws_s3_bucket_versioning.trail-bucket_logs_versioning').versioning_configuration.status = 'Suspended'),
  },
  {
    rule: 'bucket-lifecycle',
    violation: 'the lifecycle keeps incomplete multipart uploads',
    plant: (s) => void delete resource(s, 'aws_s3_bucket_lifecycle_configuration.trail-bucket_logs_lifecycle').rule[0].abort_incomplete_multipart_upload,
  },
  { rule: 'bucket-retention', violation: 'the lifecycle expires logs after 1 day', plant: (s) => void (resource(s, LIFECYCLE).rule[0].expiration[0].days = 1) },
  {
    rule: 'trail-bucket-access-logging',
    violation: 'the trail bucket has no access logging',
    plant: (s) => void delete s.resource.aws_s3_bucket_logging,
  },
  {
    rule: 'bucket-policy-grants',
    violation: 'Principal "*" may read log objects with only a TLS condition',
    plant: (s) =>
      editPolicy(s, BUCKET_POLICY, 'policy', (d) =>
        d.Statement.push({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*`, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
      ),
  },
  {
    rule: 'cloudtrail-bucket-grants',
    violation: "CloudTrail's write grant has no aws:SourceArn",
    plant: (s) => editPolicy(s, BUCKET_POLICY, 'policy', (d) => void delete statement(d, 'AWSCloudTrailWrite20150319').Condition.StringEquals['aws:SourceArn']),
  },
  { rule: 'log-archive-names', violation: 'the key alias is not the one the config names', plant: (s) => void (resource(s, 'aws_kms_alias.trail-key_alias').name = 'alias/other') },
  {
    rule: 'notification-prefix',
    violation: "the notification sends another account's prefix to the forwarder",
    plant: (s) => void (resource(s, NOTIFICATION).lambda_function[0].filter_prefix = `AWSLogs/${STRANGER}/CloudTrail/`),
  },
  {
    rule: 'bucket-policy-size',
    violation: 'the access-log bucket policy grows past 20 KB',
    plant: (s) =>
      editPolicy(s, ACCESS_LOG_BUCKET_POLICY, 'policy', (d) =>
        d.Statement.push({
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:DeleteObject',
          Resource: Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::${BUCKET}-access-logs/prefix-${i}/*`),
        }),
      ),
  },
  { rule: 'no-deploy-destroys-data', violation: 'the trail bucket may be force-destroyed', plant: (s) => void (resource(s, LOG_BUCKET).force_destroy = true) },
  { rule: 'key-rotation', violation: 'the key does not rotate', plant: (s) => void (resource(s, KEY).enable_key_rotation = false) },
  { rule: 'key-enabled', violation: 'the key is disabled', plant: (s) => void (resource(s, KEY).is_enabled = false) },
  {
    rule: 'key-policy-principals',
    violation: 'the key lets a role of a foreign account decrypt',
    plant: (s) => editPolicy(s, KEY, 'policy', (d) => void statement(d, 'AllowLogReadersToDecrypt').Principal.AWS.push(`arn:aws:iam::${STRANGER}:role/Reader`)),
  },
  {
    rule: 'key-cloudtrail-grants',
    violation: "readers may decrypt outside CloudTrail's encryption context",
    plant: (s) => editPolicy(s, KEY, 'policy', (d) => void delete statement(d, 'AllowLogReadersToDecrypt').Condition),
  },
  {
    rule: 'role-trust',
    violation: 'the Datadog role trusts another account',
    plant: (s) => editPolicy(s, DATADOG_ROLE, 'assume_role_policy', (d) => void (d.Statement[0].Principal.AWS = `arn:aws:iam::${STRANGER}:root`)),
  },
  {
    rule: 'role-policy-actions',
    violation: 'the forwarder may pass a named role',
    plant: (s) => editPolicy(s, FORWARDER_POLICY, 'policy', (d) => void d.Statement.push({ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/Admin` })),
  },
  {
    rule: 'role-policy-resources',
    violation: 'the Datadog role may read every object of every bucket',
    plant: (s) => editPolicy(s, DATADOG_POLICY, 'policy', (d) => void (statement(d, 'DatadogCloudTrailLogObjects').Resource = '*')),
  },
  {
    rule: 'iam-role-policies',
    violation: 'the forwarder role gets AdministratorAccess attached',
    plant: (s) =>
      void (s.resource.aws_iam_role_policy_attachment = {
        admin: { role: `\${${FORWARDER_ROLE}.name}`, policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      }),
  },
  {
    rule: 'lambda-permission-source',
    violation: "S3 may invoke the forwarder for another account's buckets",
    plant: (s) => void (resource(s, PERMISSION).source_account = STRANGER),
  },
  { rule: 'lambda-runtime', violation: 'the forwarder runs python3.9', plant: (s) => void (resource(s, FUNCTION).runtime = 'python3.9') },
  {
    rule: 'lambda-no-secrets',
    violation: 'the API key itself is in the environment',
    plant: (s) => void (resource(s, FUNCTION).environment.variables.DD_API_KEY = '0123456789abcdef0123456789abcdef'),
  },
  {
    rule: 'lambda-failure-destination',
    violation: 'failed invocations of the forwarder have no destination',
    plant: (s) => void delete s.resource.aws_lambda_function_event_invoke_config,
  },
  {
    rule: 'retry-schedule',
    violation: 'the schedule sends the forwarder an event of its own instead of {"retry": true}',
    plant: (s) => void (resource(s, RETRY_SCHEDULE).target.input = JSON.stringify({ Records: [{ s3: { bucket: { name: 'acme-payroll' }, object: { key: 'salaries.csv' } } }] })),
  },
  {
    rule: 'queue-encryption',
    violation: 'the failed-event queue is not encrypted',
    plant: (s) => void (resource(s, 'aws_sqs_queue.forwarder_failed-event-queue').sqs_managed_sse_enabled = false),
  },
  {
    rule: 'lambda-log-group',
    violation: "the forwarder's log group has no retention",
    plant: (s) => void delete resource(s, 'aws_cloudwatch_log_group.forwarder_log-group').retention_in_days,
  },
  {
    rule: 'trail-bucket-notification',
    violation: 'the notification does not wait for the invoke permission',
    plant: (s) => void (resource(s, NOTIFICATION).depends_on = []),
  },
  {
    rule: 'terraform-expressions',
    violation: 'a tag value reads the environment',
    plant: (s) => void (s.provider.aws[0].default_tags = [{ tags: { Owner: INJECTED } }]),
  },
];

const statementOf = (grant: Json) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/AWSLogs/${ACCOUNT}/*`, ...grant });
const readLogs = (grant: Json) => (s: TfJson) => editPolicy(s, BUCKET_POLICY, 'policy', (d) => void d.Statement.push(statementOf(grant)));
const FOREIGN_ORGANIZATION = 'o-zzzzzzzzzz';

/** Violations shaped to slip past a rule's obvious test: each must be caught, by exactly these rules. */
export const EVASIONS: Array<{ rules: string[]; violation: string; plant: (stack: TfJson) => void }> = [
  {
    rules: ['bucket-tls-only'],
    violation: "a TLS deny on another bucket's ARNs",
    plant: (s) => editPolicy(s, BUCKET_POLICY, 'policy', (d) => void (statement(d, 'DenyInsecureTransport').Resource = ['arn:aws:s3:::other', 'arn:aws:s3:::other/*'])),
  },
  { rules: ['bucket-policy-grants'], violation: 'Principal "*" with only a TLS condition', plant: PLANTS.find((p) => p.rule === 'bucket-policy-grants')?.plant as Plant['plant'] },
  {
    rules: ['lambda-permission-source', 'trail-bucket-notification'],
    violation: 'an S3 invoke permission for arn:aws:s3:::*',
    plant: (s) => void (resource(s, PERMISSION).source_arn = 'arn:aws:s3:::*'),
  },
  {
    rules: ['role-policy-actions', 'role-policy-resources'],
    violation: 's3:Get* on "*"',
    plant: (s) => editPolicy(s, DATADOG_POLICY, 'policy', (d) => void d.Statement.push({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' })),
  },
  {
    rules: ['role-policy-actions', 'role-policy-resources'],
    violation: 'iam:PassRole on "*"',
    plant: (s) => editPolicy(s, FORWARDER_POLICY, 'policy', (d) => void d.Statement.push({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' })),
  },
  { rules: ['key-policy-principals'], violation: 'decrypt for a foreign account', plant: PLANTS.find((p) => p.rule === 'key-policy-principals')?.plant as Plant['plant'] },
  { rules: ['role-trust'], violation: 'a trust policy naming another account', plant: PLANTS.find((p) => p.rule === 'role-trust')?.plant as Plant['plant'] },
  {
    rules: ['iam-role-policies'],
    violation: 'a managed policy in the Datadog role\'s managed_policy_arns',
    plant: (s) => void (resource(s, DATADOG_ROLE).managed_policy_arns = ['arn:aws:iam::aws:policy/ReadOnlyAccess']),
  },
  {
    rules: ['iam-role-policies'],
    violation: 'an inline_policy block on the Datadog role',
    plant: (s) => void (resource(s, DATADOG_ROLE).inline_policy = [{ name: 'extra', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) }]),
  },
  {
    rules: ['iam-role-policies'],
    violation: 'a second inline policy on the forwarder role, granting only what the first grants',
    plant: (s) => void (s.resource.aws_iam_role_policy.second = { ...resource(s, FORWARDER_POLICY), name: 'DatadogForwarderExtra' }),
  },
  { rules: ['bucket-policy-grants'], violation: "a bucket grant to another account's root", plant: readLogs({ Principal: { AWS: `arn:aws:iam::${STRANGER}:root` } }) },
  { rules: ['bucket-policy-grants'], violation: 'a bucket grant to a bare foreign account ID', plant: readLogs({ Principal: { AWS: STRANGER } }) },
  { rules: ['bucket-policy-grants'], violation: 'a bucket grant to a CanonicalUser', plant: readLogs({ Principal: { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' } }) },
  {
    rules: ['bucket-policy-grants'],
    violation: 'Principal "*" narrowed only to a foreign aws:PrincipalAccount',
    plant: readLogs({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': STRANGER } } }),
  },
  {
    rules: ['bucket-policy-grants'],
    violation: 'Principal "*" narrowed only to a foreign aws:PrincipalOrgID',
    plant: readLogs({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': FOREIGN_ORGANIZATION } } }),
  },
  {
    rules: ['bucket-policy-grants'],
    violation: 'a bucket grant to a service other than CloudTrail and S3 logging',
    plant: readLogs({ Principal: { Service: 'delivery.logs.amazonaws.com' } }),
  },
  {
    rules: ['key-policy-principals'],
    violation: 'Principal "*" narrowed only to a foreign organization may decrypt log files',
    plant: (s) =>
      editPolicy(s, KEY, 'policy', (d) =>
        void d.Statement.push({
          Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': FOREIGN_ORGANIZATION }, Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } },
        }),
      ),
  },
  {
    rules: ['role-trust'],
    violation: 'the Datadog role trusts an external ID other than the config\'s',
    plant: (s) => editPolicy(s, DATADOG_ROLE, 'assume_role_policy', (d) => void (d.Statement[0].Condition.StringEquals['sts:ExternalId'] = OTHER_EXTERNAL_ID)),
  },
  {
    rules: ['role-policy-resources'],
    violation: "the forwarder reads another bucket's logs under the same prefix",
    plant: (s) => editPolicy(s, FORWARDER_POLICY, 'policy', (d) => void d.Statement.push({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::other-logs/AWSLogs/${ACCOUNT}/*` })),
  },
  {
    rules: ['trail-destination'],
    violation: "the trail encrypts with another account's key",
    plant: (s) => void (resource(s, TRAIL).kms_key_id = `arn:aws:kms:us-east-1:${STRANGER}:key/0b3c6c3e-1c1a-4f0e-9e55-6f1d2b7c9a10`),
  },
  { rules: ['trail-destination'], violation: 'the trail writes under a prefix its bucket does not expect', plant: (s) => void (resource(s, TRAIL).s3_key_prefix = 'elsewhere') },
  { rules: ['trail-destination'], violation: 'an organization trail where the config has no organization', plant: (s) => void (resource(s, TRAIL).is_organization_trail = true) },
  {
    rules: ['bucket-retention'],
    violation: 'a second lifecycle rule expires part of the logs after 1 day',
    plant: (s) =>
      void resource(s, LIFECYCLE).rule.push({ id: 'quietly', status: 'Enabled', filter: [{ prefix: `AWSLogs/${ACCOUNT}/CloudTrail/` }], expiration: [{ days: 1 }] }),
  },
  {
    rules: ['bucket-retention'],
    violation: 'replaced log versions expire after 1 day',
    plant: (s) => void (resource(s, LIFECYCLE).rule[0].noncurrent_version_expiration[0].noncurrent_days = 1),
  },
  { rules: ['terraform-expressions'], violation: 'an environment variable of the forwarder reads a file', plant: (s) => void (resource(s, FUNCTION).environment.variables.DD_TAGS = INJECTED) },
  { rules: ['terraform-expressions'], violation: 'a template directive in a description', plant: (s) => void (resource(s, KEY).description = '%{ if true }x%{ endif }') },
  { rules: ['terraform-expressions'], violation: 'an input variable, set from TF_VAR_* in the environment', plant: (s) => void (resource(s, LOG_BUCKET).tags = { Team: '${var.team}' }) },
  {
    rules: ['terraform-expressions'],
    violation: 'a function of a reference that reads a file',
    plant: (s) => void (resource(s, LOG_BUCKET).tags = { Team: `\${templatefile("/etc/passwd", { b = ${LOG_BUCKET}.id })}` }),
  },
];

/** The retry schedule's role and invocation (Datadog's SchedulerRole, tightened): each loosening is caught. */
export const RETRY_SCHEDULE_CASES: Array<{ rules: string[]; violation: string; plant: (stack: TfJson) => void }> = [
  {
    rules: ['role-trust'],
    violation: "EventBridge Scheduler may assume the retry role for any account's schedules (Datadog's template trusts it so)",
    plant: (s) => editPolicy(s, RETRY_ROLE, 'assume_role_policy', (d) => void delete d.Statement[0].Condition),
  },
  {
    rules: ['role-trust'],
    violation: 'the retry role is conditioned on a schedule group of another account',
    plant: (s) =>
      editPolicy(s, RETRY_ROLE, 'assume_role_policy', (d) => void (d.Statement[0].Condition.StringEquals['aws:SourceArn'] = `arn:aws:scheduler:us-east-1:${STRANGER}:schedule-group/default`)),
  },
  {
    rules: ['role-policy-resources', 'retry-schedule'],
    violation: 'the retry role may invoke every function',
    plant: (s) => editPolicy(s, RETRY_POLICY, 'policy', (d) => void (d.Statement[0].Resource = '*')),
  },
  {
    rules: ['role-policy-actions', 'retry-schedule'],
    violation: "the retry role may also change the forwarder's code",
    plant: (s) => editPolicy(s, RETRY_POLICY, 'policy', (d) => void (d.Statement[0].Action = ['lambda:InvokeFunction', 'lambda:UpdateFunctionCode'])),
  },
  {
    rules: ['retry-schedule'],
    violation: 'the schedule targets a function outside the stack',
    plant: (s) => void (resource(s, RETRY_SCHEDULE).target.arn = `arn:aws:lambda:us-east-1:${STRANGER}:function:Payroll`),
  },
  {
    rules: ['iam-role-policies', 'retry-schedule', 'role-policy-actions'],
    violation: 'the retry role may also be assumed by Lambda functions',
    plant: (s) => editPolicy(s, RETRY_ROLE, 'assume_role_policy', (d) => void d.Statement.push({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })),
  },
];
