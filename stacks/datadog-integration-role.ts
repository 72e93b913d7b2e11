import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { PolicyDocument } from '../policies/types';
import { policyJson } from './policy-json';

export interface DatadogIntegrationRoleProps {
  /** Name of the role Datadog assumes. */
  readonly roleName: string;
  /**
   * Who may assume the role: Datadog's AWS account with the account's external ID. The role
   * is created with it.
   * @default the role exists already (for example from Datadog's CloudFormation template) and
   * only the CloudTrail policy is attached to it
   */
  readonly trustPolicy?: PolicyDocument;
  /** The CloudTrail permissions Datadog needs. */
  readonly cloudTrailPolicy: PolicyDocument;
  /**
   * The permissions Datadog needs to collect metrics, as a second inline policy.
   * @default none: Datadog collects no metrics with this role
   */
  readonly metricsPolicy?: PolicyDocument;
}

/** Inline policy names; distinctive so that they do not replace a policy the role already has. */
export const CLOUDTRAIL_POLICY_NAME = 'DatadogCloudTrailIntegration';
export const METRICS_POLICY_NAME = 'DatadogAWSIntegrationMetrics';

/**
 * The Datadog integration role with the CloudTrail permissions, or those permissions added
 * to an existing role. An inline policy serves both cases: it attaches by role name, so an
 * existing role needs no lookup (a data source would call AWS during plan).
 */
export class DatadogIntegrationRole extends Construct {
  /** The role, when this construct creates it. */
  readonly role?: IamRole;
  /** The role's name: a reference to the role when this construct creates it. */
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: DatadogIntegrationRoleProps) {
    super(scope, id);
    if (props.trustPolicy) {
      this.role = new IamRole(this, 'role', {
        name: props.roleName,
        description: 'Assumed by Datadog to read CloudTrail (datadog-cloudtrail)',
        assumeRolePolicy: policyJson(props.trustPolicy),
        maxSessionDuration: 3600,
      });
    }
    this.roleName = this.role?.name ?? props.roleName;
    new IamRolePolicy(this, 'cloudtrail-policy', { name: CLOUDTRAIL_POLICY_NAME, role: this.roleName, policy: policyJson(props.cloudTrailPolicy) });
    if (props.metricsPolicy) {
      new IamRolePolicy(this, 'metrics-policy', { name: METRICS_POLICY_NAME, role: this.roleName, policy: policyJson(props.metricsPolicy) });
    }
  }
}
