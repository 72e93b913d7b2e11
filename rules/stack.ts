/**
 * One synthesized `cdk.tf.json`, read once, as the rules see it: resources by Terraform
 * address, the references between them, and every IAM document parsed once.
 */
import { isObject } from '../config/json';
import { partitionOf, type Partition } from '../config/regions';
import { CheckInputError } from './errors';
import { parsePolicyDocument, type PolicyDocument, PolicyDocumentError, type Statement } from './statements';

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
  /** The whole parsed `cdk.tf.json`. */
  readonly json: Record<string, unknown>;
  private readonly resources: Record<string, Record<string, Resource>>;
  private readonly documents = new Map<string, PolicyDocument>();
  private trailBucketTargets?: Target[];
  /** entries() by type: the rules ask for the same types over and over. */
  private readonly targets = new Map<string, Target[]>();

  constructor(
    readonly name: string,
    json: unknown,
  ) {
    if (!isObject(json)) throw new CheckInputError(`${name}: cdk.tf.json is not a Terraform JSON object`);
    this.json = json;
    const tf = json as TfJson;
    const provider = tf.provider?.aws?.[0];
    const accounts = provider?.allowed_account_ids ?? [];
    this.accountId = accounts.length === 1 ? accounts[0] : undefined;
    this.partition = partitionOf(provider?.region ?? '') ?? 'aws';
    this.resources = isObject(tf.resource) ? tf.resource : {};
  }

  /** The resource types the stack declares. */
  resourceTypes(): string[] {
    return Object.keys(this.resources);
  }

  /** Every resource of `type`, by address. */
  entries(type: string): Target[] {
    let targets = this.targets.get(type);
    if (!targets) {
      targets = Object.entries(this.resources[type] ?? {}).map(([name, resource]) => ({ address: `${type}.${name}`, resource }));
      this.targets.set(type, targets);
    }
    return targets;
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
    let document: PolicyDocument;
    try {
      document = parsePolicyDocument(text);
    } catch (error) {
      if (error instanceof PolicyDocumentError) throw new CheckInputError(`${this.name}: ${key} ${error.message}`);
      throw error;
    }
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

  /** The literal value of a bucket attribute: the name, or the name of the stack's bucket it references. */
  bucketNameOf(value: unknown): string | undefined {
    const address = this.referenced(value, 'aws_s3_bucket', ['id', 'bucket']);
    return address ? this.bucketName(address) : typeof value === 'string' ? value : undefined;
  }

  /**
   * Where the policy of the bucket at `bucketAddress` lets CloudTrail write: the key prefix of
   * each object ARN of its grants (`AWSLogs/111111111111/`, `logs/AWSLogs/o-a1b2c3d4e5/`).
   */
  cloudTrailWritePrefixes(bucketAddress: string): string[] {
    const objects = `arn:${this.partition}:s3:::${this.bucketName(bucketAddress) ?? ''}/`;
    return this.attachedTo('aws_s3_bucket_policy', bucketAddress)
      .flatMap((policy) => this.statements(policy, 'policy'))
      .filter((s) => s.effect === 'Allow' && s.services.includes('cloudtrail.amazonaws.com') && s.allows('s3:PutObject'))
      .flatMap((s) => s.resources)
      .filter((resource) => resource.startsWith(objects) && resource.endsWith('/*'))
      .map((resource) => resource.slice(objects.length, -1));
  }

  /** The organizations whose trails the stack's buckets receive: `o-...` of `AWSLogs/o-.../` where CloudTrail may write. */
  organizationIds(): string[] {
    const ids = this.entries('aws_s3_bucket').flatMap(({ address }) => this.cloudTrailWritePrefixes(address).map((prefix) => /(?:^|\/)AWSLogs\/(o-[a-z0-9]+)\/$/.exec(prefix)?.[1]));
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  }

  /**
   * The buckets CloudTrail writes to: their policy lets the CloudTrail service put objects.
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
   */
  trailBuckets(): Target[] {
    this.trailBucketTargets ??= this.entries('aws_s3_bucket').filter(({ address }) =>
      this.attachedTo('aws_s3_bucket_policy', address).some((policy) =>
        this.statements(policy, 'policy').some((s) => s.effect === 'Allow' && s.services.includes('cloudtrail.amazonaws.com') && s.allows('s3:PutObject')),
      ),
    );
    return this.trailBucketTargets;
  }
}
