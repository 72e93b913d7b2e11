/**
 * The Datadog integration role: who may assume it, and the CloudTrail permissions Datadog
 * documents for its CloudTrail integration
 * (https://docs.datadoghq.com/integrations/amazon_cloudtrail/).
 */
import type { Partition } from '../config/regions';
import type { AccountPlan } from '../config/plan';
import type { LogKey } from '../config/topology';
import { accountRootArn, bucketArn } from '../config/arns';
import { datadogMetricsPolicy } from './datadog-metrics';
import { decryptLogFiles, readLogObjects } from './log-readers';
import { type PolicyDocument, policyDocument, type PolicyStatement } from './types';

export interface DatadogTrustProps {
  partition: Partition;
  /** Datadog's AWS account for the site and partition (config/sites.ts). */
  datadogAccountId: string;
  externalId: string;
}

/**
 * Datadog assumes the role from its own AWS account; the external ID, which Datadog issues
 * for this one AWS account (https://docs.datadoghq.com/api/latest/aws-integration/#generate-a-new-external-id),
 * keeps another Datadog customer from pointing Datadog at this role (the confused deputy
 * problem). Checkov's CKV_AWS_61 flags the account-root principal anyway:
 * that is Datadog's documented trust model, suppressed with this reason.
 */
export function datadogTrustPolicy(props: DatadogTrustProps): PolicyDocument {
  return policyDocument({
    Sid: 'DatadogAssumeRoleWithExternalId',
    Effect: 'Allow',
    Principal: { AWS: accountRootArn(props.partition, props.datadogAccountId) },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': props.externalId } },
  });
}

export interface DatadogCloudTrailPolicyProps {
  partition: Partition;
  /** ARNs of the trails Datadog reads (GetTrailStatus supports resource-level permissions). */
  trailArns: string[];
  /** The bucket the trails write to. */
  bucketName: string;
  /** Key prefixes (without trailing slash) whose objects Datadog may read. */
  logPrefixes: string[];
  /** The key of the log files; absent without KMS. */
  trailKey?: LogKey;
  /** Adds organizations:DescribeOrganization, which Datadog calls for organization trails. */
  organization: boolean;
}

export function datadogCloudTrailPolicy(props: DatadogCloudTrailPolicyProps): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      // DescribeTrails supports no resource-level permissions: it lists the trails of the
      // account (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html).
      Sid: 'DatadogCloudTrailDescribeTrails',
      Effect: 'Allow',
      Action: 'cloudtrail:DescribeTrails',
      Resource: '*',
    },
    {
      Sid: 'DatadogCloudTrailTrailStatus',
      Effect: 'Allow',
      Action: 'cloudtrail:GetTrailStatus',
      Resource: props.trailArns,
    },
    {
      Sid: 'DatadogCloudTrailBucket',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket'],
      Resource: bucketArn(props.partition, props.bucketName),
    },
    readLogObjects('DatadogCloudTrailLogObjects', props.partition, props.bucketName, props.logPrefixes),
  ];
  if (props.trailKey) statements.push(decryptLogFiles('DatadogCloudTrailDecryptLogs', props.trailKey));
  if (props.organization) {
    statements.push({
      // DescribeOrganization supports no resource-level permissions either.
      Sid: 'DatadogCloudTrailDescribeOrganization',
      Effect: 'Allow',
      Action: 'organizations:DescribeOrganization',
      Resource: '*',
    });
  }
  return policyDocument(...statements);
}

/** The settings the Datadog role's policies need beside the account's plan. */
export interface DatadogRoleSettings {
  /** `datadog.manageIntegration`: the role trusts the external ID Datadog generates (`generatedExternalId`). */
  manageIntegration: boolean;
  /** `datadog.collectMetrics`, with manageIntegration: the role may also read CloudWatch metrics. */
  collectMetrics: boolean;
  /** The logs are an organization trail's: Datadog calls DescribeOrganization. */
  organization: boolean;
  /** With manageIntegration: the reference to the external ID Datadog generates for the account in its stack. */
  generatedExternalId?: string;
}

/**
 * The trust and CloudTrail policies of the Datadog role of `plan`'s account: it reads the logs
 * the plan places (`logs`, `readPrefixes`). No trust policy when the role exists already
 * (`datadog.createRole: false`).
 */
export function datadogRolePolicies(plan: AccountPlan, settings: DatadogRoleSettings): DatadogRolePolicies {
  const { account, logs } = plan;
  const externalId = settings.manageIntegration ? settings.generatedExternalId : account.externalId;
  return {
    trust:
      externalId === undefined
        ? undefined
        : datadogTrustPolicy({ partition: account.partition, datadogAccountId: account.datadogAccountId, externalId }),
    cloudTrail: datadogCloudTrailPolicy({
      partition: account.partition,
      trailArns: logs.trailArns,
      bucketName: logs.bucketName,
      logPrefixes: plan.readPrefixes,
      trailKey: logs.key,
      organization: settings.organization,
    }),
    ...(settings.manageIntegration && settings.collectMetrics ? { metrics: datadogMetricsPolicy() } : {}),
  };
}

export interface DatadogRolePolicies {
  /** Absent when the role exists already. */
  trust?: PolicyDocument;
  cloudTrail: PolicyDocument;
  /** Only when Datadog also collects metrics. */
  metrics?: PolicyDocument;
}
