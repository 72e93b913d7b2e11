import type { Construct } from 'constructs';
import * as path from 'node:path';
import { App, LocalBackend, S3Backend, TerraformOutput } from 'cdktf';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DatadogProvider } from '@cdktf/provider-datadog/lib/provider';
import { IntegrationAwsExternalId } from '@cdktf/provider-datadog/lib/integration-aws-external-id';
import type { AccountPlan, ForwarderPlan, LogArchivePlan, TrailPlan } from '../config/plan';
import type { ResolvedConfig } from '../config/resolve';
import { datadogRolePolicies } from '../policies/datadog-role';
import { forwarderFailureQueueName } from '../config/topology';
import { datadogApiUrl } from '../config/sites';
import { adoptedTrailGrants } from '../policies/adopted-trail';
import { logArchivePolicies } from '../policies/log-archive';
import { logFileEventPattern } from '../policies/trigger-filters';
import { CloudTrailLogsMonitor } from './cloudtrail-logs-monitor';
import { DatadogIntegrationRole } from './datadog-integration-role';
import { DatadogRegistration } from './datadog-registration';
import { ForwarderFunction } from './forwarder-function';
import { ForwarderBucketEventsTrigger } from './forwarder-bucket-events-trigger';
import { ForwarderEventBridgeTrigger } from './forwarder-eventbridge-trigger';
import { ForwarderSnsTrigger } from './forwarder-sns-trigger';
import { ForwarderTrigger } from './forwarder-trigger';
import { policyJson } from './policy-json';
import { ReadableAddressStack } from './readable-stack';
import { Trail } from './trail';
import { TrailBucket } from './trail-bucket';
import { TrailKey } from './trail-key';
import { checkCloudTrailTrustedAccess } from './trusted-access-check';

type LogArchive = { key?: TrailKey; bucket: TrailBucket };

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

    const externalId = config.datadog.manageIntegration ? this.addDatadogProvider(config) : undefined;
    const policies = datadogRolePolicies(config, account, externalId?.id);
    const datadogRole = new DatadogIntegrationRole(this, 'datadog-role', {
      roleName: config.datadog.roleName,
      trustPolicy: policies.trust,
      cloudTrailPolicy: policies.cloudTrail,
      metricsPolicy: policies.metrics,
    });
    const archive = plan.logArchive && this.addLogArchive(config, plan, plan.logArchive);
    const forwarder = plan.forwarder && this.addForwarder(config, plan, plan.forwarder, archive);
    archive?.key?.createAfter(...[forwarder?.role, datadogRole.role].filter((role): role is IamRole => role !== undefined));
    if (plan.trail) this.addTrail(plan.trail, archive);
    if (plan.forwarder?.printsAdoptionGrants) this.addAdoptionOutputs(config);
    if (externalId) {
      const forwarderArn = plan.forwarder && (forwarder?.function.arn ?? plan.forwarder.existingArn);
      this.addRegistration(config, plan, externalId.id, datadogRole, forwarderArn);
    }
  }

  /**
   * The Datadog provider, with the API of the config's site and the keys from the environment
   * only (DD_API_KEY, DD_APP_KEY: https://registry.terraform.io/providers/DataDog/datadog/3.82.0/docs),
   * so that no key is ever in the synthesized JSON, the state or a plan; and the account's
   * external ID, which Datadog generates. It comes first: the role trusts it.
   */
  private addDatadogProvider(config: ResolvedConfig): IntegrationAwsExternalId {
    new DatadogProvider(this, 'datadog', { apiUrl: datadogApiUrl(config.datadog.site) });
    return new IntegrationAwsExternalId(this, 'datadog-external-id');
  }

  /**
   * The account's registration in Datadog, after the role and its policies: once registered,
   * Datadog assumes the role, and a registration ahead of its role shows "Datadog is not
   * authorized to perform action sts:AssumeRole" on the account
   * (https://github.com/DataDog/terraform-provider-datadog/issues/1137). On destroy the
   * registration goes before the role.
   */
  private addRegistration(config: ResolvedConfig, plan: AccountPlan, externalId: string, role: DatadogIntegrationRole, forwarderArn: string | undefined) {
    const { account } = plan;
    new DatadogRegistration(this, 'datadog-registration', {
      accountId: account.accountId,
      partition: account.partition,
      roleName: config.datadog.roleName,
      externalId,
      forwarderArns: forwarderArn ? [forwarderArn] : [],
      regions: config.datadog.regions,
      collectMetrics: config.datadog.collectMetrics,
      dependsOn: [...(role.role ? [role.role] : []), ...role.policies],
    });
    const monitor = config.datadog.monitor;
    if (monitor && forwarderArn) {
      const existing = account.forwarder.existingArn;
      new CloudTrailLogsMonitor(this, 'cloudtrail-logs-monitor', {
        accountName: account.name,
        bucketName: plan.logs.bucketName,
        forwarder: existing
          ? { name: existing }
          : { name: account.forwarder.functionName, failureQueue: forwarderFailureQueueName(account.forwarder.functionName) },
        noLogsMinutes: monitor.noLogsMinutes,
        notify: monitor.notify,
      });
    }
  }

  /** The trail key and the hardened bucket: here per account, or in the organization's log-archive account. */
  private addLogArchive(config: ResolvedConfig, plan: AccountPlan, logArchive: LogArchivePlan): LogArchive {
    const { account } = plan;
    const policies = logArchivePolicies(config, account, logArchive.trailLogGroup);
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
        apiKeySecretArn: config.datadog.apiKeySecretArn,
        apiKeySecretKmsKeyArn: config.datadog.apiKeySecretKmsKeyArn,
        bucketName: planned.bucketName,
        logPrefixes: [planned.readPrefix],
        keyArn: archive?.key?.key.arn ?? planned.adoptedKeyArn,
      });
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
      new ForwarderSnsTrigger(this, 'forwarder-trigger', { ...target, topicArn: trigger.topicArn });
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
  private addTrail(trail: TrailPlan, archive: LogArchive | undefined) {
    new Trail(this, 'trail', {
      name: trail.name,
      arn: trail.arn,
      bucketName: archive?.bucket.logs.bucket.id ?? trail.bucketName,
      s3KeyPrefix: trail.s3KeyPrefix,
      kmsKeyArn: archive?.key?.key.arn ?? trail.keyAliasArn,
      isOrganizationTrail: trail.organization,
      // CloudTrail returns the key ARN for an alias, which Terraform would update at every plan.
      keyIsAlias: trail.keyAliasArn !== undefined,
      cloudWatchLogs: trail.cloudWatchLogs && {
        logGroupName: trail.cloudWatchLogs.name,
        logGroupArn: trail.cloudWatchLogs.arn,
        retentionDays: trail.cloudWatchLogs.retentionDays,
        kmsKeyArn: archive?.key?.key.arn,
      },
      s3DataEvents: trail.s3DataEvents,
      dataEventExcludedBucketArns: trail.dataEventExcludedBucketArns,
      dependsOn: archive ? [archive.bucket.logs.policy, ...(archive.key ? [archive.key.key] : [])] : [],
    });
    if (trail.organization) checkCloudTrailTrustedAccess(this);
  }

  /** For an adopted bucket and key: the statements their owner must add, printed by `terraform output`. */
  private addAdoptionOutputs(config: ResolvedConfig) {
    const grants = adoptedTrailGrants(config);
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
