import { Construct } from 'constructs';
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { trailDeliveryPolicy, trailDeliveryTrustPolicy } from '../policies/trail-delivery';
import type { ResolvedTrail } from '../config/resolve';
import type { HardenedBucket } from './hardened-bucket';
import { policyJson } from './policy-json';
import type { TrailKey } from './trail-key';

export type S3DataEvents = ResolvedTrail['s3DataEvents'];

export interface TrailProps {
  readonly name: string;
  /**
   * The bucket the trail writes to: this stack's, or the name of another stack's (an
   * organization's log-archive account), deployed first. The trail is created after this
   * stack's bucket policy: CloudTrail checks it when it creates the trail
   * (InsufficientS3BucketPolicyException in
   * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html;
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
   */
  readonly bucket: HardenedBucket | string;
  /** @default logs at the bucket root, under AWSLogs/ */
  readonly s3KeyPrefix?: string;
  /**
   * The key that encrypts the log files: this stack's, which the trail is created after
   * (CloudTrail checks its key policy too: InsufficientEncryptionPolicyException, same page),
   * or the ARN of another stack's.
   * @default SSE-S3, which fails CIS 3.7 / CloudTrail.2
   */
  readonly key?: TrailKey | string;
  /**
   * `key` is an alias ARN (a key in another account, known by name only). CloudTrail
   * stores and returns the key's ARN instead, and the provider reads that back as it is
   * (`d.Set(names.AttrKMSKeyID, trail.KmsKeyId)` in internal/service/cloudtrail/trail.go, no
   * diff suppression), so Terraform would plan an update at every run
   * (https://github.com/hashicorp/terraform-provider-aws/issues/33928): the key is then set
   * when the trail is created and not compared afterwards.
   * @default false
   */
  readonly keyIsAlias?: boolean;
  /**
   * An organization trail, from the management account, for every member account.
   * @default false
   */
  readonly isOrganizationTrail?: boolean;
  /**
   * Also deliver to this CloudWatch Logs log group (CloudTrail.5).
   * @default no CloudWatch Logs delivery
   */
  readonly cloudWatchLogs?: { readonly logGroupName: string; readonly logGroupArn: string; readonly retentionDays: number; readonly kmsKeyArn?: string };
  /**
   * S3 object-level data events to log (CIS 3.8 write, 3.9 read).
   * @default 'none'
   */
  readonly s3DataEvents?: S3DataEvents;
  /** Buckets never to log data events for: the trail's own, whose deliveries would log themselves. */
  readonly dataEventExcludedBucketArns?: string[];
}

/**
 * A multi-region trail with global service events and log file validation (CIS 3.1, 3.2;
 * CloudTrail.1, .4), encrypted with the trail key, logging all management events.
 */
export class Trail extends Construct {
  readonly trail: Cloudtrail;
  /** The CloudWatch Logs log group it delivers to, if it does. */
  readonly logGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: TrailProps) {
    super(scope, id);
    const { bucket, key } = props;
    const delivery = props.cloudWatchLogs && this.cloudWatchDelivery(props.cloudWatchLogs);
    this.logGroup = delivery?.logGroup;
    // What CloudTrail checks when it creates the trail, when this stack creates it.
    const policies = [...(typeof bucket === 'object' ? [bucket.policy] : []), ...(typeof key === 'object' ? [key.key] : [])];
    this.trail = new Cloudtrail(this, 'trail', {
      name: props.name,
      s3BucketName: typeof bucket === 'object' ? bucket.bucket.id : bucket,
      s3KeyPrefix: props.s3KeyPrefix,
      kmsKeyId: typeof key === 'object' ? key.key.arn : key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      isOrganizationTrail: props.isOrganizationTrail ?? false,
      cloudWatchLogsGroupArn: delivery && `${delivery.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: delivery?.role.arn,
      advancedEventSelector: dataEventSelectors(props.s3DataEvents ?? 'none', props.dataEventExcludedBucketArns ?? []),
      dependsOn: [...policies, ...(delivery ? [delivery.policy] : [])],
      lifecycle: props.keyIsAlias ? { ignoreChanges: ['kms_key_id'] } : undefined,
    });
  }

  private cloudWatchDelivery(props: NonNullable<TrailProps['cloudWatchLogs']>) {
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.logGroupName,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const role = new IamRole(this, 'delivery-role', {
      namePrefix: 'cloudtrail-to-logs-',
      description: `CloudTrail delivers ${props.logGroupName} (datadog-cloudtrail)`,
      assumeRolePolicy: policyJson(trailDeliveryTrustPolicy()),
    });
    const policy = new IamRolePolicy(this, 'delivery-policy', {
      role: role.name,
      name: 'CloudTrailDelivery',
      policy: policyJson(trailDeliveryPolicy(props.logGroupArn)),
    });
    return { logGroup, role, policy };
  }
}

/**
 * No selectors keeps CloudTrail's default: every management event, read and write. With
 * data events, advanced selectors must list the management events again.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 */
function dataEventSelectors(events: S3DataEvents, excludedBucketArns: string[]): CloudtrailAdvancedEventSelector[] | undefined {
  if (events === 'none') return undefined;
  const readOnly = events === 'all' ? [] : [{ field: 'readOnly', equalTo: [String(events === 'read')] }];
  return [
    { name: 'All management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] },
    {
      name: 'S3 object events, except the trail buckets',
      fieldSelector: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        ...(excludedBucketArns.length > 0 ? [{ field: 'resources.ARN', notStartsWith: excludedBucketArns.map((arn) => `${arn}/`) }] : []),
        ...readOnly,
      ],
    },
  ];
}
