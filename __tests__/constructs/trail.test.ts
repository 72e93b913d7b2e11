import { HardenedBucket } from '../../stacks/hardened-bucket';
import { Trail, type TrailProps } from '../../stacks/trail';
import { TrailKey } from '../../stacks/trail-key';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, parsePolicy, type TfJson } from '../support/synth';

const ACCOUNT = '111111111111';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const LOG_GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/cloudtrail/datadog-cloudtrail`;
const OWN_BUCKETS = ['arn:aws:s3:::acme-cloudtrail', 'arn:aws:s3:::acme-cloudtrail-access-logs'];

const PROPS: TrailProps = {
  name: 'datadog-cloudtrail',
  bucket: 'acme-cloudtrail',
  key: KEY_ARN,
};
const NO_POLICY = { Version: '2012-10-17' as const, Statement: [] };
const CLOUDWATCH_LOGS = { logGroupName: '/aws/cloudtrail/datadog-cloudtrail', logGroupArn: LOG_GROUP_ARN, retentionDays: 365, kmsKeyArn: KEY_ARN };

function synthTrail(props: Partial<TrailProps> = {}): TfJson {
  return synthScope((scope) => new Trail(scope, 'trail', { ...PROPS, ...props }));
}

const theTrail = (stack: TfJson) => resourceAt(stack, 'aws_cloudtrail.trail_trail') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource
const selectors = (props: Partial<TrailProps>) => theTrail(synthTrail(props)).advanced_event_selector;
const dataSelector = (props: Partial<TrailProps>) => selectors(props)[1].field_selector as Array<Record<string, unknown>>;

describe('Trail', () => {
  test('is multi-region with global service events, validates its log files and is logging', () => {
    expect(theTrail(synthTrail())).toMatchObject({
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
  });

  test('writes to the bucket and key prefix it is given, encrypted with its key', () => {
    expect(theTrail(synthTrail({ s3KeyPrefix: 'cloudtrail' }))).toMatchObject({
      name: 'datadog-cloudtrail',
      s3_bucket_name: 'acme-cloudtrail',
      s3_key_prefix: 'cloudtrail',
      kms_key_id: KEY_ARN,
    });
  });

  test('is an account trail unless it is made an organization trail', () => {
    expect(theTrail(synthTrail()).is_organization_trail).toBe(false);
    expect(theTrail(synthTrail({ isOrganizationTrail: true })).is_organization_trail).toBe(true);
  });

  test("keeps CloudTrail's default of every management event and no data event without s3DataEvents", () => {
    expect(theTrail(synthTrail())).not.toHaveProperty('advanced_event_selector');
    expect(theTrail(synthTrail({ s3DataEvents: 'none' }))).not.toHaveProperty('advanced_event_selector');
  });

  test('lists every management event again next to S3 data events, which advanced selectors would otherwise drop', () => {
    expect(selectors({ s3DataEvents: 'all' })[0]).toEqual({ name: 'All management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] });
  });

  test.each([
    ['write', [{ field: 'readOnly', equals: ['false'] }]],
    ['read', [{ field: 'readOnly', equals: ['true'] }]],
    ['all', []],
  ] as const)('with s3DataEvents %s, logs the S3 object events of that kind', (s3DataEvents, readOnly) => {
    expect(dataSelector({ s3DataEvents })).toEqual([
      { field: 'eventCategory', equals: ['Data'] },
      { field: 'resources.type', equals: ['AWS::S3::Object'] },
      ...readOnly,
    ]);
  });

  test('logs no data event for the objects of the buckets it excludes, whose deliveries would log themselves', () => {
    expect(dataSelector({ s3DataEvents: 'all', dataEventExcludedBucketArns: OWN_BUCKETS })).toContainEqual({
      field: 'resources.ARN',
      not_starts_with: ['arn:aws:s3:::acme-cloudtrail/', 'arn:aws:s3:::acme-cloudtrail-access-logs/'],
    });
  });

  test("writes to its own stack's bucket and key by reference, and is created after the bucket policy and key policy, which CloudTrail checks when it creates the trail", () => {
    const stack = synthScope((scope) => {
      const bucket = new HardenedBucket(scope, 'bucket', { bucketName: 'acme-cloudtrail', policy: NO_POLICY, expirationDays: 365, noncurrentExpirationDays: 30 });
      const key = new TrailKey(scope, 'key', { alias: 'alias/datadog-cloudtrail', policy: NO_POLICY });
      new Trail(scope, 'trail', { ...PROPS, bucket, key });
    });

    expect(theTrail(stack)).toMatchObject({
      s3_bucket_name: '${aws_s3_bucket.bucket_bucket.id}',
      kms_key_id: '${aws_kms_key.key_key.arn}',
      depends_on: ['aws_s3_bucket_policy.bucket_policy', 'aws_kms_key.key_key'],
    });
  });

  test("waits for nothing of another stack's bucket and key, known by name and ARN and deployed first", () => {
    expect(theTrail(synthTrail()).depends_on ?? []).toEqual([]);
  });

  test('compares its key with the configuration at every plan by default', () => {
    expect(theTrail(synthTrail())).not.toHaveProperty('lifecycle');
  });

  test('sets a key known by its alias when it is created and ignores its changes afterwards, since CloudTrail returns the key ARN', () => {
    expect(theTrail(synthTrail({ keyIsAlias: true })).lifecycle).toEqual({ ignore_changes: ['kms_key_id'] });
  });

  describe('without cloudWatchLogs', () => {
    test('delivers to no CloudWatch Logs log group and creates no delivery role', () => {
      const stack = synthTrail();

      expect(theTrail(stack)).not.toHaveProperty('cloud_watch_logs_group_arn');
      expect(addresses(stack)).toEqual(['aws_cloudtrail.trail_trail']);
    });
  });

  describe('with cloudWatchLogs', () => {
    const stack = synthTrail({ cloudWatchLogs: CLOUDWATCH_LOGS });

    test("delivers to its log group's streams through its delivery role", () => {
      expect(theTrail(stack)).toMatchObject({
        cloud_watch_logs_group_arn: '${aws_cloudwatch_log_group.trail_log-group.arn}:*',
        cloud_watch_logs_role_arn: '${aws_iam_role.trail_delivery-role.arn}',
      });
    });

    test('creates the log group with its retention, encrypted with the key it is given', () => {
      expect(resourceAt(stack, 'aws_cloudwatch_log_group.trail_log-group')).toEqual({
        name: '/aws/cloudtrail/datadog-cloudtrail',
        retention_in_days: 365,
        kms_key_id: KEY_ARN,
      });
    });

    test('lets CloudTrail assume the delivery role with no aws:SourceArn or aws:SourceAccount condition, which AWS does not support there', () => {
      expect(parsePolicy(resourceAt(stack, 'aws_iam_role.trail_delivery-role')?.assume_role_policy).Statement).toEqual([
        { Sid: 'CloudTrailAssumesToDeliverToCloudWatchLogs', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
    });

    test("lets the delivery role write only the log group's streams", () => {
      const policy = resourceAt(stack, 'aws_iam_role_policy.trail_delivery-policy');

      expect(policy?.role).toBe('${aws_iam_role.trail_delivery-role.name}');
      expect(parsePolicy(policy?.policy).Statement).toEqual([
        {
          Sid: 'CloudTrailDeliversToTheTrailLogGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${LOG_GROUP_ARN}:log-stream:*`,
        },
      ]);
    });

    test("is created after the delivery role's policy, so that the role can deliver from the start", () => {
      expect(theTrail(stack).depends_on).toEqual(['aws_iam_role_policy.trail_delivery-policy']);
    });

    test('keeps its Terraform addresses', () => {
      expect(addresses(stack)).toEqual([
        'aws_cloudtrail.trail_trail',
        'aws_cloudwatch_log_group.trail_log-group',
        'aws_iam_role.trail_delivery-role',
        'aws_iam_role_policy.trail_delivery-policy',
      ]);
    });
  });
});
