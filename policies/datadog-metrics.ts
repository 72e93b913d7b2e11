/**
 * What the Datadog role may read when Datadog also collects CloudWatch metrics
 * (`datadog.collectMetrics`): the permissions Datadog documents for its AWS integration, as
 * data. The Datadog provider's `datadog_integration_aws_iam_permissions_standard` data source
 * returns them too, but a data source calls the Datadog API at every plan, which offline plans
 * and reviewers without keys cannot.
 *
 * Source: the inline policy `DatadogAWSIntegrationPolicy` of Datadog's integration role
 * template, DataDog/cloudformation-template `aws_quickstart/datadog_integration_role.yaml` at
 * commit 1e903ee3c00e17267ee9470a228c0f19f89f77a9 (2025-11-07), the last version that listed
 * them, contemporary with the Datadog provider 3.82.0 the bindings target
 * (https://github.com/DataDog/cloudformation-template/blob/1e903ee3c00e17267ee9470a228c0f19f89f77a9/aws_quickstart/datadog_integration_role.yaml).
 */
import { type PolicyDocument, policyDocument } from './types';

/** The template's list, in its order. */
export const DATADOG_INTEGRATION_PERMISSIONS: readonly string[] = [
  'account:GetAccountInformation',
  'airflow:GetEnvironment',
  'airflow:ListEnvironments',
  'apigateway:GET',
  'appsync:ListGraphqlApis',
  'autoscaling:Describe*',
  'backup:List*',
  'batch:DescribeJobDefinitions',
  'bcm-data-exports:GetExport',
  'bcm-data-exports:ListExports',
  'budgets:ViewBudget',
  'cloudfront:GetDistributionConfig',
  'cloudfront:ListDistributions',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrail',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:ListTrails',
  'cloudtrail:LookupEvents',
  'cloudwatch:Describe*',
  'cloudwatch:Get*',
  'cloudwatch:List*',
  'codebuild:BatchGetProjects',
  'codebuild:ListProjects',
  'codedeploy:BatchGet*',
  'codedeploy:List*',
  'cur:DescribeReportDefinitions',
  'directconnect:Describe*',
  'dms:DescribeReplicationInstances',
  'dynamodb:Describe*',
  'dynamodb:List*',
  'ec2:Describe*',
  'ecs:Describe*',
  'ecs:List*',
  'eks:DescribeCluster',
  'eks:ListClusters',
  'elasticache:Describe*',
  'elasticache:List*',
  'elasticfilesystem:DescribeAccessPoints',
  'elasticfilesystem:DescribeFileSystems',
  'elasticfilesystem:DescribeTags',
  'elasticloadbalancing:Describe*',
  'elasticmapreduce:Describe*',
  'elasticmapreduce:List*',
  'es:DescribeElasticsearchDomains',
  'es:ListDomainNames',
  'es:ListTags',
  'events:CreateEventBus',
  'fsx:DescribeFileSystems',
  'fsx:ListTagsForResource',
  'health:DescribeAffectedEntities',
  'health:DescribeEventDetails',
  'health:DescribeEvents',
  'iam:ListAccountAliases',
  'kinesis:Describe*',
  'kinesis:List*',
  'lambda:List*',
  'logs:DeleteSubscriptionFilter',
  'logs:DescribeDeliveries',
  'logs:DescribeDeliverySources',
  'logs:DescribeLogGroups',
  'logs:DescribeLogStreams',
  'logs:DescribeSubscriptionFilters',
  'logs:FilterLogEvents',
  'logs:GetDeliveryDestination',
  'logs:PutSubscriptionFilter',
  'logs:TestMetricFilter',
  'network-firewall:DescribeLoggingConfiguration',
  'network-firewall:ListFirewalls',
  'oam:ListAttachedLinks',
  'oam:ListSinks',
  'organizations:Describe*',
  'organizations:List*',
  'rds:Describe*',
  'rds:List*',
  'redshift-serverless:ListNamespaces',
  'redshift:DescribeClusters',
  'redshift:DescribeLoggingStatus',
  'route53:List*',
  'route53resolver:ListResolverQueryLogConfigs',
  's3:GetBucketLocation',
  's3:GetBucketLogging',
  's3:GetBucketNotification',
  's3:GetBucketTagging',
  's3:ListAllMyBuckets',
  's3:PutBucketNotification',
  'ses:Get*',
  'ses:List*',
  'sns:GetSubscriptionAttributes',
  'sns:List*',
  'sns:Publish',
  'sqs:ListQueues',
  'ssm:GetServiceSetting',
  'ssm:ListCommands',
  'states:DescribeStateMachine',
  'states:ListStateMachines',
  'support:DescribeTrustedAdvisor*',
  'support:RefreshTrustedAdvisorCheck',
  'tag:GetResources',
  'tag:GetTagKeys',
  'tag:GetTagValues',
  'timestream:DescribeEndpoints',
  'wafv2:ListLoggingConfigurations',
  'xray:BatchGetTraces',
  'xray:GetTraceSummaries',
];

/**
 * The template's actions that change the account rather than read it. Datadog uses them to set
 * up log forwarding itself (automatic subscription of log groups and S3 buckets to the
 * forwarder, https://docs.datadoghq.com/logs/guide/send-aws-services-logs-with-the-datadog-lambda-function/#automatically-set-up-triggers),
 * which the registration keeps off (no `sources`): `s3:PutBucketNotification` would let it
 * replace the trail bucket's notification configuration, which holds the toolkit's trigger
 * (https://github.com/DataDog/datadog-serverless-functions/issues/262).
 * Metrics need none of them.
 */
export const WRITE_PERMISSIONS_LEFT_OUT: readonly string[] = [
  'events:CreateEventBus',
  'logs:DeleteSubscriptionFilter',
  'logs:PutSubscriptionFilter',
  's3:PutBucketNotification',
  'sns:Publish',
];

/** Datadog's list without the writes, on every resource, as the template grants it. */
export function datadogMetricsPolicy(): PolicyDocument {
  return policyDocument({
    Sid: 'DatadogAWSIntegrationRead',
    Effect: 'Allow',
    Action: DATADOG_INTEGRATION_PERMISSIONS.filter((action) => !WRITE_PERMISSIONS_LEFT_OUT.includes(action)),
    Resource: '*',
  });
}
