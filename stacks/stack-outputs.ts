import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { functionNameOf, roleArn } from '../config/arns';
import type { ResolvedAccount } from '../config/resolve';
import type { DatadogIntegrationRole } from './datadog-integration-role';
import type { ForwarderFunction } from './forwarder-function';
import type { Trail } from './trail';
import type { TrailBucket } from './trail-bucket';
import type { TrailKey } from './trail-key';

/** What an account stack holds, as far as its outputs tell: the constructs it created, and what the config gave it. */
export interface StackParts {
  readonly account: ResolvedAccount;
  readonly datadogRole: DatadogIntegrationRole;
  /** The forwarder this stack deploys, or the ARN of the user's (`forwarder.existingArn`); absent when the stack hosts none. */
  readonly forwarder?: ForwarderFunction | string;
  readonly trail?: Trail;
  readonly bucket?: TrailBucket;
  readonly key?: TrailKey;
}

/** An output's value; `adopted` when the config gave it and the stack did not create the resource. */
type OutputValue = { readonly value: string; readonly adopted?: true } | undefined;

interface OutputSpec {
  readonly description: string;
  readonly value: (parts: StackParts) => OutputValue;
}

const created = (value: string | undefined): OutputValue => (value === undefined ? undefined : { value });
const adopted = (value: string): OutputValue => ({ value, adopted: true });
const ownForwarder = (parts: StackParts) => (typeof parts.forwarder === 'object' ? parts.forwarder : undefined);
const forwarderArn = (parts: StackParts) => (typeof parts.forwarder === 'string' ? parts.forwarder : undefined);

/**
 * A stack's interface: what a user (or the next tool) wires to, as Datadog's forwarder template
 * exports `DatadogForwarderArn` (Outputs in aws/logs_monitoring/template.yaml of
 * https://github.com/DataDog/datadog-serverless-functions) and Terraform modules keep
 * `outputs.tf`. Each stack has the outputs of the roles it plays (config/plan.ts): every
 * account's Datadog role; the forwarder's in the account that hosts it; the trail's in the
 * trail owner's; the bucket's and key's in their owner's. A resource the config names and the
 * stack does not create (an existing role, the user's forwarder) is output by the ARN the config
 * gives, and says so. Names are a public contract (docs/DEPLOYING.md, "Stack outputs"): never
 * rename one. None of them is secret.
 */
export const STACK_OUTPUTS: Readonly<Record<string, OutputSpec>> = {
  datadog_role_arn: {
    description: "ARN of the IAM role Datadog assumes in this account: the role of the account's AWS integration in Datadog",
    value: ({ account, datadogRole }) =>
      datadogRole.role ? created(datadogRole.role.arn) : adopted(roleArn(account.partition, account.accountId, datadogRole.roleName)),
  },
  datadog_role_name: {
    description: 'Name of the IAM role Datadog assumes in this account',
    value: ({ datadogRole }) => (datadogRole.role ? created(datadogRole.role.name) : adopted(datadogRole.roleName)),
  },
  forwarder_function_arn: {
    description: "ARN of the Datadog Forwarder Lambda function that sends the trail bucket's log files to Datadog (DatadogForwarderArn of Datadog's template)",
    value: (parts) => {
      const existing = forwarderArn(parts);
      return existing ? adopted(existing) : created(ownForwarder(parts)?.function.arn);
    },
  },
  forwarder_function_name: {
    description: 'Name of the Datadog Forwarder Lambda function',
    value: (parts) => {
      const existing = forwarderArn(parts);
      return existing ? adopted(functionNameOf(existing)) : created(ownForwarder(parts)?.function.functionName);
    },
  },
  forwarder_role_arn: {
    description: "ARN of the forwarder's execution role: the principal that reads the log files, the trail key and the API key secret",
    value: (parts) => created(ownForwarder(parts)?.role.arn),
  },
  forwarder_failure_queue_arn: {
    description: "ARN of the SQS queue that keeps the events of forwarder invocations that failed past Lambda's retries",
    value: (parts) => created(ownForwarder(parts)?.failureQueue.arn),
  },
  forwarder_failed_event_queue_arn: {
    description: "ARN of the SQS queue where the forwarder stores the logs Datadog's intake refused, retried on a schedule (forwarder.storeFailedEvents)",
    value: (parts) => created(ownForwarder(parts)?.failedEventQueue?.arn),
  },
  trail_arn: {
    description: 'ARN of the CloudTrail trail (in a management account, the organization trail)',
    value: ({ trail }) => created(trail?.trail.arn),
  },
  trail_log_group_name: {
    description: 'Name of the CloudWatch Logs log group the trail also delivers to (trail.cloudWatchLogs), where metric filters and alarms go',
    value: ({ trail }) => created(trail?.logGroup?.name),
  },
  trail_log_group_arn: {
    description: 'ARN of the CloudWatch Logs log group the trail also delivers to',
    value: ({ trail }) => created(trail?.logGroup?.arn),
  },
  trail_bucket_name: {
    description: "Name of the S3 bucket CloudTrail writes the log files to (an organization's log archive in its log-archive account)",
    value: ({ bucket }) => created(bucket?.logs.bucket.bucket),
  },
  trail_bucket_arn: {
    description: 'ARN of the S3 bucket CloudTrail writes the log files to',
    value: ({ bucket }) => created(bucket?.logs.bucket.arn),
  },
  trail_key_arn: {
    description: 'ARN of the KMS key that encrypts the log files: a reader of the bucket needs kms:Decrypt on it',
    value: ({ key }) => created(key?.key.arn),
  },
  access_log_bucket_name: {
    description: "Name of the S3 bucket that receives the trail bucket's server access logs, when this stack creates it",
    value: ({ bucket }) => created(bucket?.accessLogs?.bucket.bucket),
  },
};

/** Adds the stack's interface outputs: those of STACK_OUTPUTS that it has. */
export function addStackOutputs(stack: Construct, parts: StackParts): void {
  for (const [name, spec] of Object.entries(STACK_OUTPUTS)) {
    const output = spec.value(parts);
    if (!output) continue;
    new TerraformOutput(stack, name, {
      value: output.value,
      description: output.adopted ? `${spec.description}. Adopted: the config names it and this stack does not create it.` : spec.description,
    });
  }
}
