import type { Construct } from 'constructs';
import * as path from 'node:path';
import { App, LocalBackend, S3Backend, TerraformOutput } from 'cdktf';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DatadogProvider } from '@cdktf/provider-datadog/lib/provider';
import type { AccountPlan, ForwarderPlan, LogArchivePlan, TrailPlan } from '../config/plan';
import type { ResolvedAccount, ResolvedConfig, ResolvedForwarder } from '../config/resolve';
import { datadogRolePolicies } from '../policies/datadog-role';
import { forwarderFailureQueueName, forwarderFailureQueues, forwarderRoleName } from '../config/topology';
import { apiKeySecretGrants } from '../policies/api-key-secret';
import { functionNameOf, lambdaFunctionArn } from '../config/arns';
import { datadogApiUrl } from '../config/sites';
import { adoptedTrailGrants } from '../policies/adopted-trail';
import type { DatadogReaderSettings } from '../policies/datadog-readers';
import { logArchivePolicies } from '../policies/log-archive';
import { logGroupKeyPolicy } from '../policies/trail-key';
import { logFileEventPattern, logFileNotificationFilter } from '../policies/trigger-filters';
import { CloudTrailLogsMonitor } from './cloudtrail-logs-monitor';
import { DatadogIntegrationRole } from './datadog-integration-role';
import { DatadogRegistration } from './datadog-registration';
import { ForwarderAlarms } from './forwarder-alarms';
import { ForwarderFunction } from './forwarder-function';
import { ForwarderBucketEventsTrigger } from './forwarder-bucket-events-trigger';
import { ForwarderMonitors } from './forwarder-monitors';
import { ForwarderEventBridgeTrigger } from './forwarder-eventbridge-trigger';
import { ForwarderSnsTrigger } from './forwarder-sns-trigger';
import { ForwarderTrigger } from './forwarder-trigger';
import { policyJson } from './policy-json';
import { ReadableAddressStack } from './readable-stack';
import { addStackOutputs } from './stack-outputs';
import { Trail } from './trail';
import { TrailBucket } from './trail-bucket';
import { TrailKey } from './trail-key';
import { checkCloudTrailTrustedAccess } from './trusted-access-check';

type LogArchive = { key?: TrailKey; bucket: TrailBucket };

/** What the grants of a shared bucket need of the settings. */
function readerSettings(config: ResolvedConfig): DatadogReaderSettings {
  return { roleName: config.datadog.roleName, organizationId: config.organization?.id };
}

export interface AccountStackProps {
  readonly config: ResolvedConfig;
  /** What the account's stack holds (config/plan.ts). */
  readonly plan: AccountPlan;
}

/** Everything one AWS account needs, deployed with `cdktf deploy <account name>`. */
export class AccountStack extends ReadableAddressStack {
  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, props.plan.account.name);
    const { config, plan } = props;
    const { account } = plan;

    new AwsProvider(this, 'aws', {
      region: account.region,
      // Terraform refuses to touch any other account, whatever credentials it runs with.
      allowedAccountIds: [account.accountId],
      assumeRole: account.assumeRoleArn ? [{ roleArn: account.assumeRoleArn, sessionName: 'datadog-cloudtrail' }] : undefined,
      defaultTags: Object.keys(account.tags).length > 0 ? [{ tags: account.tags }] : undefined,
    });
    if (config.backend) {
      const { s3 } = config.backend;
      const backend = new S3Backend(this, {
        bucket: s3.bucket,
        key: `${s3.keyPrefix}/${account.name}.tfstate`,
        region: s3.region,
        encrypt: true,
        assumeRole: s3.roleArn ? { roleArn: s3.roleArn } : undefined,
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
      backend.addOverride('use_lockfile', true);
    } else {
      // cdktf's default local state path is absolute, which ties the synthesized JSON to
      // this machine. Relative to the stack directory, it still lands in the project folder
      // for `cdktf deploy` and for plain `terraform` run in cdktf.out/stacks/<stack>.
      const stackDir = path.join(App.of(this).outdir, 'stacks', account.name);
      new LocalBackend(this, { path: path.relative(stackDir, path.join(process.cwd(), `terraform.${account.name}.tfstate`)) });
    }

    const archive = plan.logArchive && this.addLogArchive(config, plan, plan.logArchive);
    const forwarder = plan.forwarder && this.addForwarder(config, plan, plan.forwarder, archive);
    const registration = config.datadog.manageIntegration ? this.addRegistration(config, plan) : undefined;
    if (registration && config.datadog.monitor && plan.forwarder) this.addMonitors(config, plan, plan.forwarder, config.datadog.monitor);
    const policies = datadogRolePolicies(plan, {
      manageIntegration: config.datadog.manageIntegration,
      collectMetrics: config.datadog.collectMetrics,
      organization: config.organization !== undefined,
      generatedExternalId: registration?.externalId,
    });
    const datadogRole = new DatadogIntegrationRole(this, 'datadog-role', {
      roleName: config.datadog.roleName,
      trustPolicy: policies.trust,
      cloudTrailPolicy: policies.cloudTrail,
      metricsPolicy: policies.metrics,
    });
    archive?.key?.createAfter(...[forwarder?.role, datadogRole.role].filter((role): role is IamRole => role !== undefined));
    const trail = plan.trail && this.addTrail(plan.trail, archive, account);
    if (plan.forwarder?.adoptedBucketReaders) this.addAdoptionOutputs(config, plan);
    addStackOutputs(this, { account, datadogRole, forwarder: forwarder ?? plan.forwarder?.existingArn, trail, bucket: archive?.bucket, key: archive?.key });
  }

  /**
   * The account's registration in Datadog's AWS integration, the way Datadog's Terraform guide
   * makes it (https://docs.datadoghq.com/integrations/guide/aws-terraform-setup/): with no
   * external ID, so that Datadog generates one, which the role then trusts
   * (`auth_config.aws_auth_config_role.external_id`, Optional and Computed in provider 3.82.0).
   * The registration comes first and the role follows it in the same apply; Datadog does not
   * check the role when the registration is created (the provider's recorded acceptance test
   * TestAccIntegrationAwsAccount_RoleBased registers a role that does not exist, in
   * https://github.com/DataDog/terraform-provider-datadog/tree/v3.82.0/datadog/tests/cassettes;
   * Datadog's quick-start registers the account before it creates the role, passing the role
   * stack the registration's ExternalId: aws_quickstart/main_v2.yaml in
   * https://github.com/DataDog/cloudformation-template). The forwarder is named by the ARN the
   * config gives it, not by reference: the function waits for its policy, which the trail key's
   * grants wait for, which wait for this role.
   * The Datadog provider takes the API of the config's site and the keys from the environment
   * only (DD_API_KEY, DD_APP_KEY: https://registry.terraform.io/providers/DataDog/datadog/3.82.0/docs),
   * so that no key is ever in the synthesized JSON, the state or a plan.
   */
  private addRegistration(config: ResolvedConfig, plan: AccountPlan): DatadogRegistration {
    const { account } = plan;
    new DatadogProvider(this, 'datadog', { apiUrl: datadogApiUrl(config.datadog.site) });
    const forwarderArn =
      plan.forwarder && (plan.forwarder.existingArn ?? lambdaFunctionArn(account.partition, account.region, account.accountId, account.forwarder.functionName));
    const registration = new DatadogRegistration(this, 'datadog-registration', {
      accountId: account.accountId,
      partition: account.partition,
      roleName: config.datadog.roleName,
      forwarderArns: forwarderArn ? [forwarderArn] : [],
      regions: config.datadog.regions,
      collectMetrics: config.datadog.collectMetrics,
      // The SQS monitors need the queue metrics, which Datadog leaves out by default.
      collectSqsMetrics: config.datadog.collectMetrics && config.datadog.monitor !== undefined && plan.forwarder?.function !== undefined,
    });
    return registration;
  }

  /**
   * The Datadog monitors of the account that runs a forwarder: on its CloudTrail logs, and, with
   * the AWS metrics Datadog collects (`collectMetrics`), on its failures (config/alerting.ts
   * warns when they are left out).
   */
  private addMonitors(config: ResolvedConfig, plan: AccountPlan, planned: ForwarderPlan, monitor: NonNullable<ResolvedConfig['datadog']['monitor']>) {
    const { account } = plan;
    const deployed = planned.function;
    const functionName = deployed?.functionName ?? functionNameOf(planned.existingArn as string);
    new CloudTrailLogsMonitor(this, 'cloudtrail-logs-monitor', {
      accountName: account.name,
      bucketName: plan.logs.bucketName,
      sourceAccounts: planned.sourceAccounts,
      forwarder: deployed ? { name: functionName, failureQueue: forwarderFailureQueueName(functionName) } : { name: planned.existingArn as string },
      noLogsMinutes: monitor.noLogsMinutes,
      notify: monitor.notify,
    });
    if (config.datadog.collectMetrics) {
      new ForwarderMonitors(this, 'forwarder-monitors', {
        accountName: account.name,
        accountId: account.accountId,
        functionName,
        queues: deployed && forwarderFailureQueues(deployed),
        notify: monitor.notify,
      });
    }
  }

  /** The trail key and the hardened bucket: here per account, or in the organization's log-archive account. */
  private addLogArchive(config: ResolvedConfig, plan: AccountPlan, logArchive: LogArchivePlan): LogArchive {
    const { account } = plan;
    const policies = logArchivePolicies(plan, logArchive, readerSettings(config));
    const key = policies.key && logArchive.keyAlias ? new TrailKey(this, 'trail-key', { alias: logArchive.keyAlias, policy: policies.key }) : undefined;
    const bucket = new TrailBucket(this, 'trail-bucket', {
      partition: account.partition,
      accountId: account.accountId,
      bucketName: logArchive.bucketName,
      kmsKeyArn: key?.key.arn,
      retentionDays: logArchive.retentionDays,
      noncurrentVersionRetentionDays: logArchive.noncurrentVersionRetentionDays,
      accessLogBucket: logArchive.accessLogBucket,
      policy: policies.bucket,
    });
    return { key, bucket };
  }

  /**
   * The forwarder (unless the user runs one) and what invokes it, in the bucket's account: S3
   * triggers cannot cross accounts or regions. On the toolkit's own bucket that is its
   * notification configuration: to the forwarder directly, or (an organization's bucket) to
   * EventBridge, whose rule passes log files alone; on a bucket it only adopts, never: S3 keeps
   * one notification configuration per bucket, and writing it would replace the owner's. An
   * EventBridge rule or an SNS subscription is used there instead.
   */
  private addForwarder(config: ResolvedConfig, plan: AccountPlan, planned: ForwarderPlan, archive: LogArchive | undefined): ForwarderFunction | undefined {
    const { account } = plan;
    const created =
      planned.function &&
      new ForwarderFunction(this, 'forwarder', {
        forwarder: planned.function,
        partition: account.partition,
        region: account.region,
        accountId: account.accountId,
        site: config.datadog.site,
        apiKeySecretArn: account.apiKeySecret.arn,
        apiKeySecretKmsKeyArn: account.apiKeySecret.kmsKeyArn,
        bucketName: planned.bucketName,
        logPrefixes: [planned.readPrefix],
        keyArn: archive?.key?.key.arn ?? planned.adoptedKeyArn,
      });
    if (created) {
      this.addApiKeySecretOutputs(account);
      const deployed = planned.function as ResolvedForwarder;
      if (deployed.alarms.enabled) {
        new ForwarderAlarms(this, 'forwarder-alarms', {
          functionName: deployed.functionName,
          queues: forwarderFailureQueues(deployed),
          topicArn: deployed.alarms.snsTopicArn,
        });
      }
    }
    const target = created
      ? { functionArn: created.function.arn, functionName: created.function.functionName }
      : { functionArn: planned.existingArn as string, functionName: planned.existingArn as string };
    const { trigger } = planned;
    if (trigger.type === 's3' && archive) {
      new ForwarderTrigger(this, 'forwarder-trigger', {
        ...target,
        bucketName: archive.bucket.logs.bucket.id,
        bucketArn: archive.bucket.logs.bucket.arn,
        bucketAccountId: account.accountId,
        filterPrefix: trigger.filterPrefix,
      });
    } else if (trigger.type === 'sns') {
      new ForwarderSnsTrigger(this, 'forwarder-trigger', { ...target, topicArn: trigger.topicArn, filterPolicy: logFileNotificationFilter(planned.readPrefix) });
    } else if (trigger.type === 'eventbridge') {
      new ForwarderEventBridgeTrigger(this, 'forwarder-trigger', {
        ...target,
        bucketName: trigger.bucketName,
        eventPattern: logFileEventPattern(trigger.bucketName, planned.readPrefix),
      });
    } else if (trigger.type === 'bucket-eventbridge' && archive) {
      new ForwarderBucketEventsTrigger(this, 'forwarder-trigger', {
        ...target,
        bucket: archive.bucket.logs.bucket.id,
        bucketName: trigger.bucketName,
        eventPattern: logFileEventPattern(trigger.bucketName, planned.readPrefix),
      });
    }
    return created;
  }

  /**
   * The trail: per account, or the organization trail in the management account. Names and
   * ARNs of a bucket and key in another account come from the config, so the stacks never
   * reference each other; the log-archive stack deploys first (see `deployOrder`).
   */
  private addTrail(trail: TrailPlan, archive: LogArchive | undefined, account: ResolvedAccount): Trail {
    const logGroup = trail.cloudWatchLogs;
    const logGroupKey = logGroup?.ownKeyAlias
      ? new TrailKey(this, 'trail-log-group-key', {
          alias: logGroup.ownKeyAlias,
          encrypts: `the CloudWatch Logs log group ${logGroup.name}`,
          policy: logGroupKeyPolicy({ partition: account.partition, accountId: account.accountId, logGroup }),
        })
      : undefined;
    const created = new Trail(this, 'trail', {
      name: trail.name,
      bucket: archive?.bucket.logs ?? trail.bucketName,
      s3KeyPrefix: trail.s3KeyPrefix,
      key: archive?.key ?? trail.keyAliasArn,
      isOrganizationTrail: trail.organization,
      // CloudTrail returns the key ARN for an alias, which Terraform would update at every plan.
      keyIsAlias: trail.keyAliasArn !== undefined,
      cloudWatchLogs: logGroup && {
        logGroupName: logGroup.name,
        logGroupArn: logGroup.arn,
        retentionDays: logGroup.retentionDays,
        kmsKeyArn: (logGroupKey ?? archive?.key)?.key.arn,
      },
      s3DataEvents: trail.s3DataEvents,
      dataEventExcludedBucketArns: trail.dataEventExcludedBucketArns,
    });
    if (trail.organization) checkCloudTrailTrustedAccess(this);
    return created;
  }

  /** For an API key secret of another account: the statements its owner must add, printed by `terraform output`. */
  private addApiKeySecretOutputs(account: ResolvedAccount) {
    const grants = apiKeySecretGrants(account.partition, account.accountId, forwarderRoleName(account.forwarder.functionName), account.apiKeySecret);
    if (grants.secret.length > 0) {
      new TerraformOutput(this, 'api-key-secret-policy-statements-to-add', {
        description: `Add these statements to the resource policy of ${account.apiKeySecret.arn}: the toolkit never changes it.`,
        value: policyJson(grants.secret, 2),
      });
    }
    if (grants.key.length > 0) {
      new TerraformOutput(this, 'api-key-secret-key-policy-statements-to-add', {
        description: `Add these statements to the key policy of ${account.apiKeySecret.kmsKeyArn}: the toolkit never changes it.`,
        value: policyJson(grants.key, 2),
      });
    }
  }

  /** For an adopted bucket and key: the statements their owner must add, printed by `terraform output`. */
  private addAdoptionOutputs(config: ResolvedConfig, plan: AccountPlan) {
    const grants = adoptedTrailGrants(plan, readerSettings(config));
    const adopted = config.adoptedTrail as NonNullable<ResolvedConfig['adoptedTrail']>;
    if (grants.bucket.length > 0) {
      new TerraformOutput(this, 'bucket-policy-statements-to-add', {
        description: `Add these statements to the bucket policy of ${adopted.bucketName}: the toolkit never changes it.`,
        value: policyJson(grants.bucket, 2),
      });
    }
    if (grants.key.length > 0) {
      new TerraformOutput(this, 'key-policy-statements-to-add', {
        description: `Add these statements to the key policy of ${adopted.keyArn}: the toolkit never changes it.`,
        value: policyJson(grants.key, 2),
      });
    }
  }
}
