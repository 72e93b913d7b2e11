/**
 * One synthesized `cdk.tf.json`, read once, as the rules see it: resources by Terraform
 * address, the references between them, and every IAM document parsed once.
 */
import { partitionOf, type Partition } from '../config/regions';
import { CheckInputError } from './errors';
import { type PolicyDocument, type Statement, toStatements } from './statements';

export type Resource = Record<string, unknown>;

export interface Target {
  /** Terraform address, `type.name`. */
  address: string;
  resource: Resource;
}

interface TfJson {
  provider?: { aws?: Array<{ region?: string; allowed_account_ids?: string[] }> };
  resource?: Record<string, Record<string, Resource>>;
}

/** `${type.name.attribute}` → `type.name`, for a reference to a resource of `type`. */
const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}$/;

export class StackView {
  /** The account the stack's AWS provider is restricted to (`allowed_account_ids`), if one. */
  readonly accountId?: string;
  readonly partition: Partition;
  private readonly resources: Record<string, Record<string, Resource>>;
  private readonly documents = new Map<string, PolicyDocument>();

  constructor(
    readonly name: string,
    json: unknown,
  ) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CheckInputError(`${name}: cdk.tf.json is not a Terraform JSON object`);
    const tf = json as TfJson;
    const provider = tf.provider?.aws?.[0];
    const accounts = provider?.allowed_account_ids ?? [];
    this.accountId = accounts.length === 1 ? accounts[0] : undefined;
    this.partition = partitionOf(provider?.region ?? '') ?? 'aws';
    this.resources = tf.resource ?? {};
  }

  /** Every resource of `type`, by address. */
  entries(type: string): Target[] {
    return Object.entries(this.resources[type] ?? {}).map(([name, resource]) => ({ address: `${type}.${name}`, resource }));
  }

  /** The resource at `address`, if the stack has it. */
  get(address: string): Resource | undefined {
    const dot = address.indexOf('.');
    return this.resources[address.slice(0, dot)]?.[address.slice(dot + 1)];
  }

  /** The address a `${type.name.attr}` value refers to, when it names a resource of `type` (any attribute in `attributes`). */
  referenced(value: unknown, type: string, attributes: string[]): string | undefined {
    const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
    return match && match[1] === type && attributes.includes(match[3]) ? `${type}.${match[2]}` : undefined;
  }

  /** Resources of `type` whose `bucket` is the bucket at `bucketAddress`. */
  attachedTo(type: string, bucketAddress: string): Target[] {
    return this.entries(type).filter(({ resource }) => this.referenced(resource.bucket, 'aws_s3_bucket', ['id', 'bucket']) === bucketAddress);
  }

  /** The IAM document in `attribute` of the resource at `address`, parsed once; undefined when it has none. */
  policy(target: Target, attribute: string): PolicyDocument | undefined {
    const key = `${target.address}.${attribute}`;
    const cached = this.documents.get(key);
    if (cached) return cached;
    const text = target.resource[attribute];
    if (typeof text !== 'string') return undefined;
    let parsed: unknown;
    try {
      // Terraform turns `$${...}` back into `${...}` (stacks/policy-json.ts).
      parsed = JSON.parse(text.replace(/\$\$\{/g, '${'));
    } catch (error) {
      throw new CheckInputError(`${this.name}: ${key} is not JSON: ${(error as Error).message}`);
    }
    const document = { Statement: toStatements(parsed, `${this.name}: ${key}`) };
    this.documents.set(key, document);
    return document;
  }

  /** The statements of the document in `attribute`, or none. */
  statements(target: Target, attribute: string): Statement[] {
    return this.policy(target, attribute)?.Statement ?? [];
  }

  /** The literal name of the bucket at `address`. */
  bucketName(address: string): string | undefined {
    const name = this.get(address)?.bucket;
    return typeof name === 'string' ? name : undefined;
  }

  /**
   * The buckets CloudTrail writes to: their policy lets the CloudTrail service put objects.
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
   */
  trailBuckets(): Target[] {
    return this.entries('aws_s3_bucket').filter(({ address }) =>
      this.attachedTo('aws_s3_bucket_policy', address).some((policy) =>
        this.statements(policy, 'policy').some((s) => s.effect === 'Allow' && s.services.includes('cloudtrail.amazonaws.com') && s.allows('s3:PutObject')),
      ),
    );
  }
}
