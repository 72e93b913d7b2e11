import { Construct } from 'constructs';
import { IntegrationAwsAccount } from '@cdktf/provider-datadog/lib/integration-aws-account';
import type { Partition } from '../config/regions';

export interface DatadogRegistrationProps {
  readonly accountId: string;
  readonly partition: Partition;
  /** The role Datadog assumes in the account. */
  readonly roleName: string;
  /**
   * Forwarders of this account to name in Datadog's AWS integration.
   * @default none: the account runs no forwarder (an organization member, for example)
   */
  readonly forwarderArns?: string[];
  /**
   * The regions Datadog collects from.
   * @default every region
   */
  readonly regions?: string[];
  /**
   * Collect CloudWatch metrics; the role must then carry the metric permissions.
   * @default false: the role carries only the CloudTrail permissions
   */
  readonly collectMetrics?: boolean;
  /**
   * With `collectMetrics`, collect the AWS/SQS namespace too, which Datadog excludes by default
   * ("Defaults to ["AWS/SQS", "AWS/ElasticMapReduce", "AWS/Usage"]", `exclude_only` in
   * docs/resources/integration_aws_account.md at v3.82.0): the forwarder's queue monitors need it.
   * @default false
   */
  readonly collectSqsMetrics?: boolean;
}

/**
 * The account's registration in Datadog's AWS integration, as the AWS tile would make it
 * (https://registry.terraform.io/providers/DataDog/datadog/3.82.0/docs/resources/integration_aws_account).
 *
 * Provider 3.82.0 requires every block (auth_config, aws_regions, logs_config.lambda_forwarder,
 * metrics_config.namespace_filters, resources_config, traces_config.xray_services: ExactlyOneOf
 * validators in resource_datadog_integration_aws_account.go at v3.82.0), and defaults metrics
 * and extended resource collection to on: both are set here, so that Datadog does only what
 * the role allows.
 */
export class DatadogRegistration extends Construct {
  readonly account: IntegrationAwsAccount;
  /**
   * The external ID Datadog generated for the account, which the role must trust: known after
   * the registration is created, and kept in state from then on (UseStateForUnknown in
   * resource_datadog_integration_aws_account.go at v3.82.0).
   */
  readonly externalId: string;

  constructor(scope: Construct, id: string, props: DatadogRegistrationProps) {
    super(scope, id);
    this.account = new IntegrationAwsAccount(this, 'account', {
      awsAccountId: props.accountId,
      awsPartition: props.partition,
      // No external_id: "If omitted, one will be generated" (the provider's schema).
      authConfig: { awsAuthConfigRole: { roleName: props.roleName } },
      awsRegions: props.regions ? { includeOnly: props.regions } : { includeAll: true },
      logsConfig: {
        lambdaForwarder: {
          // Names the forwarder in Datadog; delivery does not depend on it: the forwarder sends
          // with its own API key whenever its trigger invokes it.
          lambdas: props.forwarderArns ?? [],
          // A source turns on Datadog's automatic trigger set-up
          // (https://docs.datadoghq.com/logs/guide/send-aws-services-logs-with-the-datadog-lambda-function/#automatically-set-up-triggers),
          // which adds a notification rule of its own to the bucket, and S3 rejects one that
          // overlaps the toolkit's ("Cannot have overlapping suffixes in two rules",
          // https://github.com/DataDog/datadog-serverless-functions/issues/262).
          sources: [],
        },
      },
      metricsConfig: {
        enabled: props.collectMetrics ?? false,
        namespaceFilters: props.collectSqsMetrics ? { excludeOnly: ['AWS/ElasticMapReduce', 'AWS/Usage'] } : {},
      },
      resourcesConfig: { extendedCollection: false, cloudSecurityPostureManagementCollection: false },
      tracesConfig: { xrayServices: { includeOnly: [] } },
    });
    this.externalId = this.account.authConfig.awsAuthConfigRole.externalId;
  }
}
