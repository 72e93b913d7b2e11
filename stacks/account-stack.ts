import type { Construct, Node } from 'constructs';
import * as path from 'node:path';
import { App, LocalBackend, S3Backend, TerraformElement, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ResolvedAccount, ResolvedConfig } from '../config/resolve';
import { datadogRolePolicies } from '../policies/datadog-role';
import { trailLocation, trailLogGroupName } from '../config/topology';
import { logGroupArn, logPrefix, roleArn } from '../policies/arns';
import { trailBucketPolicy } from '../policies/trail-bucket';
import { trailKeyPolicy } from '../policies/trail-key';
import { DatadogIntegrationRole } from './datadog-integration-role';
import { Trail } from './trail';
import { TrailBucket } from './trail-bucket';
import { TrailKey } from './trail-key';

export interface AccountStackProps {
  readonly config: ResolvedConfig;
  readonly account: ResolvedAccount;
}

/** Everything one AWS account needs, deployed with `cdktf deploy <account name>`. */
export class AccountStack extends TerraformStack {
  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, props.account.name);
    const { config, account } = props;

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

    const policies = datadogRolePolicies(config, account);
    const datadogRole = new DatadogIntegrationRole(this, 'datadog-role', {
      roleName: config.datadog.roleName,
      createRole: config.datadog.createRole,
      trustPolicy: policies.trust,
      cloudTrailPolicy: policies.cloudTrail,
    });
    const location = trailLocation(config, account);
    const { trail } = account;
    const trailArnValue = location.trailArn;
    const logGroup = trail.cloudWatchLogs.enabled
      ? { name: trailLogGroupName(trail.name), arn: logGroupArn(account.partition, account.region, account.accountId, trailLogGroupName(trail.name)) }
      : undefined;

    const key = location.keyAlias
      ? new TrailKey(this, 'trail-key', {
          alias: location.keyAlias,
          policy: trailKeyPolicy({
            partition: account.partition,
            accountId: account.accountId,
            trailArn: trailArnValue,
            trailAccountId: location.trailAccountId,
            readerRoleArns: [roleArn(account.partition, account.accountId, config.datadog.roleName)],
            logGroup: logGroup && { arn: logGroup.arn, region: account.region },
          }),
        })
      : undefined;
    if (key && datadogRole.role) key.createAfter(datadogRole.role);

    const bucket = new TrailBucket(this, 'trail-bucket', {
      partition: account.partition,
      accountId: account.accountId,
      bucketName: location.bucketName,
      kmsKeyArn: key?.key.arn,
      retentionDays: trail.retentionDays,
      noncurrentVersionRetentionDays: trail.noncurrentVersionRetentionDays,
      accessLogBucket: trail.accessLogBucket,
      policy: trailBucketPolicy({
        partition: account.partition,
        bucketName: location.bucketName,
        trailArn: trailArnValue,
        accountLogPrefixes: [logPrefix(trail.s3KeyPrefix, account.accountId)],
      }),
    });

    new Trail(this, 'trail', {
      name: trail.name,
      arn: trailArnValue,
      bucketName: bucket.logs.bucket.id,
      s3KeyPrefix: trail.s3KeyPrefix,
      kmsKeyArn: key?.key.arn,
      cloudWatchLogs: logGroup && { logGroupName: logGroup.name, logGroupArn: logGroup.arn, retentionDays: trail.cloudWatchLogs.retentionDays, kmsKeyArn: key?.key.arn },
      s3DataEvents: trail.s3DataEvents,
      dataEventExcludedBucketArns: [bucket.logs.bucket.arn, ...(bucket.accessLogs ? [bucket.accessLogs.bucket.arn] : [])],
      dependsOn: [bucket.logs.policy, ...(key ? [key.key] : [])],
    });
  }

  /**
   * Terraform addresses are the construct path joined with `_` (`datadog-role_role`), not
   * cdktf's hashed default: reviewers read them in plans, and they never change unless a
   * construct is renamed (which the address-listing test makes visible).
   */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    return node.scopes
      .slice(node.scopes.indexOf(this) + 1)
      .map((scope) => scope.node.id)
      .join('_');
  }
}
