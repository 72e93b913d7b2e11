/**
 * SECURITY.md as a rule table over synthesized `cdk.tf.json`: each rule returns the
 * violations it finds in one stack, named by Terraform address.
 */
import { parsePolicy, type TfJson } from './synth';

type Resource = Record<string, unknown>;
type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };
type Document = { Statement: Statement[] };

export interface SecurityRule {
  /** Benchmark ids, as in SECURITY.md. */
  id: string;
  description: string;
  check: (stack: TfJson) => string[];
}

const entries = (stack: TfJson, type: string): Array<[string, Resource]> =>
  Object.entries(stack.resource?.[type] ?? {}).map(([name, resource]) => [`${type}.${name}`, resource]);

/** Resources of `type` whose `bucket` refers to the bucket at `address`. */
const attachedTo = (stack: TfJson, type: string, address: string): Resource[] =>
  entries(stack, type)
    .map(([, resource]) => resource)
    .filter((resource) => resource.bucket === `\${${address}.id}` || resource.bucket === `\${${address}.bucket}`);

const actions = (statement: Statement) => [statement.Action].flat();
const parse = (value: unknown) => parsePolicy(value) as Document;
const isWildcardPrincipal = (principal: unknown) =>
  principal === '*' || (typeof principal === 'object' && principal !== null && [(principal as { AWS?: unknown }).AWS].flat().includes('*'));

function eachBucket(stack: TfJson, check: (address: string, bucket: Resource) => string | undefined): string[] {
  return entries(stack, 'aws_s3_bucket')
    .map(([address, bucket]) => check(address, bucket))
    .filter((violation): violation is string => violation !== undefined);
}

/** The buckets CloudTrail writes to in this stack, by address. */
function trailBucketAddresses(stack: TfJson): string[] {
  return entries(stack, 'aws_s3_bucket_policy')
    .filter(([, policy]) => parse(policy.policy).Statement.some((s) => s.Sid === 'AWSCloudTrailWrite20150319'))
    .map(([, policy]) => String(policy.bucket).replace(/^\$\{(.*)\.(id|bucket)\}$/, '$1'));
}

export const SECURITY_RULES: SecurityRule[] = [
  {
    id: 'CIS 3.1, CKV_AWS_67, CloudTrail.1',
    description: 'trails are multi-region, with global service events and every management event',
    check: (stack) =>
      entries(stack, 'aws_cloudtrail').flatMap(([address, trail]) => {
        const selectors = (trail.advanced_event_selector ?? []) as Array<{ field_selector: Array<{ field: string; equals?: string[] }> }>;
        const management =
          selectors.length === 0 ||
          selectors.some((s) => s.field_selector.length === 1 && s.field_selector[0].equals?.join() === 'Management');
        return [
          trail.is_multi_region_trail !== true ? `${address} is not multi-region` : '',
          trail.include_global_service_events !== true ? `${address} omits global service events` : '',
          trail.event_selector !== undefined || !management ? `${address} narrows management events` : '',
        ].filter(Boolean);
      }),
  },
  {
    id: 'CIS 3.2, CKV_AWS_36, CloudTrail.4',
    description: 'trails validate log files',
    check: (stack) => entries(stack, 'aws_cloudtrail').filter(([, t]) => t.enable_log_file_validation !== true).map(([a]) => `${a} has no log file validation`),
  },
  {
    id: 'CIS 3.5/3.7, CKV_AWS_35, CloudTrail.2',
    description: "trails encrypt with the trail key: the stack's own, or the log-archive account's by its alias",
    check: (stack) =>
      entries(stack, 'aws_cloudtrail')
        .filter(([, t]) => !/^(\$\{aws_kms_key\.[^.]+\.arn\}|arn:[^:]+:kms:[^:]+:\d{12}:alias\/.+)$/.test(String(t.kms_key_id)))
        .map(([a]) => `${a} is not encrypted with a customer managed key`),
  },
  {
    id: 'CKV_AWS_251',
    description: 'trails log',
    check: (stack) => entries(stack, 'aws_cloudtrail').filter(([, t]) => t.enable_logging === false).map(([a]) => `${a} has logging off`),
  },
  {
    id: 'ordering',
    description: 'trails depend on the bucket policy and key of their stack (CloudTrail validates them on create)',
    check: (stack) =>
      entries(stack, 'aws_cloudtrail').flatMap(([address, trail]) => {
        // A bucket in another account's stack is ordered by the stack dependency instead.
        if (!String(trail.s3_bucket_name).startsWith('${aws_s3_bucket.')) return [];
        const dependsOn = (trail.depends_on ?? []) as string[];
        return [
          dependsOn.some((d) => d.startsWith('aws_s3_bucket_policy.')) ? '' : `${address} does not depend on the bucket policy`,
          trail.kms_key_id === undefined || dependsOn.some((d) => d.startsWith('aws_kms_key.')) ? '' : `${address} does not depend on the key`,
        ].filter(Boolean);
      }),
  },
  {
    id: 'CIS 2.1.4, CKV2_AWS_6, S3.8',
    description: 'every bucket blocks public access with all four flags',
    check: (stack) =>
      eachBucket(stack, (address) => {
        const [block] = attachedTo(stack, 'aws_s3_bucket_public_access_block', address);
        const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
        return block && flags.every((flag) => block[flag] === true) ? undefined : `${address} lacks a full public access block`;
      }),
  },
  {
    id: 'CKV2_AWS_65, S3.12',
    description: 'every bucket disables ACLs (BucketOwnerEnforced)',
    check: (stack) =>
      eachBucket(stack, (address) => {
        const [controls] = attachedTo(stack, 'aws_s3_bucket_ownership_controls', address);
        const rule = controls?.rule as { object_ownership?: string } | undefined;
        return rule?.object_ownership === 'BucketOwnerEnforced' ? undefined : `${address} allows ACLs`;
      }),
  },
  {
    id: 'CIS 2.1.1, S3.5',
    description: 'every bucket policy denies requests without TLS, to everyone, on the bucket and its objects',
    check: (stack) =>
      eachBucket(stack, (address) => {
        const [policy] = attachedTo(stack, 'aws_s3_bucket_policy', address);
        const deny = policy && parse(policy.policy).Statement.find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
        const ok = deny && deny.Principal === '*' && actions(deny).includes('s3:*') && [deny.Resource].flat().length === 2;
        return ok ? undefined : `${address} accepts plain HTTP`;
      }),
  },
  {
    id: 'CKV_AWS_145, S3.17',
    description: 'trail buckets encrypt with the KMS key and no bucket key (CloudTrail gets no kms:Decrypt); other buckets at least with SSE-S3',
    check: (stack) =>
      eachBucket(stack, (address) => {
        const [sse] = attachedTo(stack, 'aws_s3_bucket_server_side_encryption_configuration', address);
        const rule = (sse?.rule as Array<{ apply_server_side_encryption_by_default: { sse_algorithm: string; kms_master_key_id?: string }; bucket_key_enabled: boolean }> | undefined)?.[0];
        if (!rule) return `${address} has no default encryption`;
        if (!trailBucketAddresses(stack).includes(address)) return undefined;
        const byDefault = rule.apply_server_side_encryption_by_default;
        if (byDefault.sse_algorithm !== 'aws:kms' || !byDefault.kms_master_key_id) return `${address} is not encrypted with the trail key`;
        return rule.bucket_key_enabled ? `${address} has an S3 Bucket Key, with which CloudTrail needs kms:Decrypt and readers' decrypt condition fails` : undefined;
      }),
  },
  {
    id: 'CKV_AWS_21, S3.14',
    description: 'every bucket is versioned',
    check: (stack) =>
      eachBucket(stack, (address) => {
        const [versioning] = attachedTo(stack, 'aws_s3_bucket_versioning', address);
        const status = (versioning?.versioning_configuration as { status?: string } | undefined)?.status;
        return status === 'Enabled' ? undefined : `${address} is not versioned`;
      }),
  },
  {
    id: 'CKV2_AWS_61, CKV_AWS_300, S3.13',
    description: 'every bucket has a lifecycle that expires objects and aborts incomplete multipart uploads',
    check: (stack) =>
      eachBucket(stack, (address) => {
        const [lifecycle] = attachedTo(stack, 'aws_s3_bucket_lifecycle_configuration', address);
        const rules = (lifecycle?.rule ?? []) as Array<Record<string, unknown>>;
        const ok = rules.some((r) => r.status === 'Enabled' && r.expiration && r.abort_incomplete_multipart_upload);
        return ok ? undefined : `${address} has no complete lifecycle`;
      }),
  },
  {
    id: 'CIS 3.4/3.6, CKV_AWS_18, CloudTrail.7',
    description: 'trail buckets log server access to another bucket',
    check: (stack) =>
      trailBucketAddresses(stack).flatMap((address) => {
        const [logging] = attachedTo(stack, 'aws_s3_bucket_logging', address);
        return logging && logging.target_bucket !== `\${${address}.id}` ? [] : [`${address} has no server access logging`];
      }),
  },
  {
    id: 'CKV_AWS_70, S3.6',
    description: 'bucket policies allow no one-and-all principal without a narrowing condition, and grant no policy or ACL changes',
    check: (stack) =>
      entries(stack, 'aws_s3_bucket_policy').flatMap(([address, policy]) =>
        parse(policy.policy)
          .Statement.filter((s) => s.Effect === 'Allow')
          .flatMap((s) => [
            isWildcardPrincipal(s.Principal) && !s.Condition ? `${address} ${s.Sid} allows everyone` : '',
            actions(s).some((a) => /^s3:(Put|Delete)Bucket(Policy|Acl)$|^s3:PutObjectAcl$|^s3:\*$/.test(a)) ? `${address} ${s.Sid} grants policy or ACL changes` : '',
          ])
          .filter(Boolean),
      ),
  },
  {
    id: 'safety',
    description: 'no bucket or key can be destroyed by a deploy',
    check: (stack) =>
      [...entries(stack, 'aws_s3_bucket'), ...entries(stack, 'aws_kms_key')]
        .filter(([, r]) => r.force_destroy === true || (r.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy !== true)
        .map(([a]) => `${a} can be destroyed by a deploy`),
  },
  {
    id: 'AWS guide (confused deputy)',
    description: 'CloudTrail bucket grants name exactly the trail ARN and require bucket-owner-full-control on writes',
    check: (stack) =>
      entries(stack, 'aws_s3_bucket_policy').flatMap(([address, policy]) =>
        parse(policy.policy)
          .Statement.filter((s) => JSON.stringify(s.Principal) === '{"Service":"cloudtrail.amazonaws.com"}')
          .flatMap((s) => [
            /^arn:[^:]+:cloudtrail:[^:]+:\d{12}:trail\/[^*]+$/.test(String(s.Condition?.StringEquals?.['aws:SourceArn'])) ? '' : `${address} ${s.Sid} lacks an exact aws:SourceArn`,
            actions(s).includes('s3:PutObject') && s.Condition?.StringEquals?.['s3:x-amz-acl'] !== 'bucket-owner-full-control' ? `${address} ${s.Sid} allows writes without bucket-owner-full-control` : '',
          ])
          .filter(Boolean),
      ),
  },
  {
    id: 'size',
    description: 'bucket policies stay under the 20 KB limit',
    check: (stack) => entries(stack, 'aws_s3_bucket_policy').filter(([, p]) => String(p.policy).length > 20 * 1024).map(([a]) => `${a} is over 20 KB`),
  },
  {
    id: 'CKV_AWS_7, KMS.4',
    description: 'keys rotate',
    check: (stack) => entries(stack, 'aws_kms_key').filter(([, k]) => k.enable_key_rotation !== true).map(([a]) => `${a} does not rotate`),
  },
  {
    id: 'CKV2_AWS_64, CKV_AWS_33',
    description: 'keys have a policy that allows no one-and-all principal, except one restricted to the organization (aws:PrincipalOrgID)',
    check: (stack) =>
      entries(stack, 'aws_kms_key').flatMap(([address, key]) =>
        typeof key.policy !== 'string'
          ? [`${address} has no key policy`]
          : parse(key.policy)
              .Statement.filter((s) => s.Effect === 'Allow' && isWildcardPrincipal(s.Principal) && !s.Condition?.StringEquals?.['aws:PrincipalOrgID'])
              .map((s) => `${address} ${s.Sid} allows everyone`),
      ),
  },
  {
    id: 'AWS guide (KMS)',
    description: "CloudTrail's key grant is conditioned on its encryption context and the trail; readers' decrypt on the CloudTrail context",
    check: (stack) =>
      entries(stack, 'aws_kms_key').flatMap(([address, key]) =>
        parse(key.policy)
          .Statement.flatMap((s) => {
            if (actions(s).includes('kms:GenerateDataKey*') && JSON.stringify(s.Principal).includes('cloudtrail'))
              return s.Condition?.StringLike?.['kms:EncryptionContext:aws:cloudtrail:arn'] && s.Condition?.StringEquals?.['aws:SourceArn'] ? [] : [`${address} ${s.Sid} is unconditioned`];
            if (actions(s).includes('kms:Decrypt') && s.Sid !== 'EnableIamPolicies' && !JSON.stringify(s.Principal).includes('logs.'))
              return s.Condition?.Null?.['kms:EncryptionContext:aws:cloudtrail:arn'] === 'false' ? [] : [`${address} ${s.Sid} decrypts outside CloudTrail's context`];
            return [];
          }),
      ),
  },
  {
    id: 'CKV_AWS_60, CKV_AWS_61 (external id)',
    description: 'role trust policies name no one-and-all principal; the Datadog role requires the external ID',
    check: (stack) =>
      entries(stack, 'aws_iam_role').flatMap(([address, role]) =>
        parse(role.assume_role_policy).Statement.flatMap((s) => [
          isWildcardPrincipal(s.Principal) ? `${address} trusts everyone` : '',
          JSON.stringify(s.Principal).includes(':root') && !s.Condition?.StringEquals?.['sts:ExternalId'] ? `${address} trusts an account without an external ID` : '',
        ]).filter(Boolean),
      ),
  },
  {
    id: 'least privilege',
    description: 'role policies grant no wildcard action and no service-wide action',
    check: (stack) =>
      entries(stack, 'aws_iam_role_policy').flatMap(([address, policy]) =>
        parse(policy.policy)
          .Statement.flatMap(actions)
          .filter((a) => a === '*' || /:\*$/.test(a))
          .map((a) => `${address} grants ${a}`),
      ),
  },
  {
    id: 'least privilege (Datadog role)',
    description: "the Datadog role's policy grants only the CloudTrail integration's read actions",
    check: (stack) => {
      const allowed = new Set(['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 's3:GetBucketLocation', 's3:ListBucket', 's3:GetObject', 'kms:Decrypt', 'organizations:DescribeOrganization']);
      return entries(stack, 'aws_iam_role_policy')
        .filter(([address]) => address.includes('datadog-role'))
        .flatMap(([address, policy]) => parse(policy.policy).Statement.flatMap(actions).filter((a) => !allowed.has(a)).map((a) => `${address} grants ${a}`));
    },
  },
  {
    id: 'CKV_AWS_364, AVD-AWS-0067, Lambda.1',
    description: 'a function may be invoked only from one named source: S3 for one bucket of one account, or one SNS topic or EventBridge rule',
    check: (stack) =>
      entries(stack, 'aws_lambda_permission')
        .filter(([, p]) =>
          p.principal === 's3.amazonaws.com'
            ? !p.source_arn || !/^\d{12}$/.test(String(p.source_account))
            : !['sns.amazonaws.com', 'events.amazonaws.com'].includes(String(p.principal)) || !p.source_arn,
        )
        .map(([a]) => `${a} is not limited to one source`),
  },
  {
    id: 'CKV_AWS_363, Lambda.2',
    description: 'functions run a supported runtime',
    check: (stack) => entries(stack, 'aws_lambda_function').filter(([, f]) => !['python3.12', 'python3.13'].includes(String(f.runtime))).map(([a, f]) => `${a} runs ${f.runtime}`),
  },
  {
    id: 'CKV_AWS_45',
    description: 'no secret in function environment variables',
    check: (stack) =>
      entries(stack, 'aws_lambda_function').flatMap(([address, f]) =>
        Object.entries(((f.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {}))
          .filter(([name, value]) => /(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/i.test(value) || /API_KEY$|APP_KEY$/.test(name))
          .map(([name]) => `${address} has ${name} in its environment`),
      ),
  },
  {
    id: 'log group',
    description: 'functions log to an explicit /aws/lambda/<name> log group with retention',
    check: (stack) =>
      entries(stack, 'aws_lambda_function')
        .filter(([, f]) => !entries(stack, 'aws_cloudwatch_log_group').some(([, g]) => g.name === `/aws/lambda/${f.function_name}` && typeof g.retention_in_days === 'number'))
        .map(([a]) => `${a} has no log group with retention`),
  },
  {
    id: 'ordering (trigger)',
    description: 'every trail bucket has exactly one notification configuration, created after the invoke permission',
    check: (stack) =>
      trailBucketAddresses(stack).flatMap((address) => {
        const notifications = attachedTo(stack, 'aws_s3_bucket_notification', address);
        if (notifications.length !== 1) return [`${address} has ${notifications.length} notification configurations`];
        const dependsOn = (notifications[0].depends_on ?? []) as string[];
        return dependsOn.some((d) => d.startsWith('aws_lambda_permission.')) ? [] : [`${address} notification does not wait for the invoke permission`];
      }),
  },
];
