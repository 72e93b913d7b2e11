/**
 * AWS regions by partition. Datadog does not serve the China partition (`aws-cn`), so its
 * regions are known only to be rejected with a clear message.
 */
export type Partition = 'aws' | 'aws-us-gov';

const REGIONS: Record<Partition, readonly string[]> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

export const CHINA_REGIONS: readonly string[] = ['cn-north-1', 'cn-northwest-1'];

/** The partition a region belongs to, or undefined for an unknown or unsupported region. */
export function partitionOf(region: string): Partition | undefined {
  return (Object.keys(REGIONS) as Partition[]).find((partition) => REGIONS[partition].includes(region));
}

export function allRegions(): string[] {
  return Object.values(REGIONS).flat();
}
