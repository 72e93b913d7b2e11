/**
 * How much of the forwarder an organization keeps busy. Each log file is one S3 event and one
 * forwarder invocation, so by Little's law the concurrency it needs is the arrival rate of log
 * files times the time one takes. The rate comes from the config and CloudTrail's documented
 * delivery; the time per file is an assumption (see FILE_SECONDS), to be replaced by the
 * forwarder's measured Duration.
 */
import type { Partition } from './regions';
import type { PlannedConfig } from './plan';
import type { ResolvedAccount } from './resolve';

/**
 * CloudTrail "publishes log files multiple times an hour, about every 5 minutes", one per
 * account and region with events (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html),
 * and a digest file every hour (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html).
 */
const FILES_PER_ACCOUNT_REGION_HOUR = 60 / 5 + 1;

/**
 * A multi-region trail delivers for every Region enabled in an account: the ones enabled by
 * default, introduced before 2019-03-20 (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html),
 * 17 in aws, and the 2 GovCloud Regions.
 */
const DEFAULT_REGIONS: Record<Partition, number> = { aws: 17, 'aws-us-gov': 2 };

/** Assumed seconds per log file: a CloudTrail file of a few hundred KB, read, parsed and sent at 1024 MB. */
export const FILE_SECONDS = 1;

/** Deliveries bunch at the 5-minute marks: the peak is taken as twice the mean. */
const PEAK_FACTOR = 2;

/** Lambda's default concurrency quota per Region, of which 100 always stay unreserved (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html). */
export const DEFAULT_CONCURRENCY_QUOTA = 1000;
const UNRESERVED_MINIMUM = 100;

export interface ForwarderLoad {
  /** The account whose stack runs the forwarder. */
  account: ResolvedAccount;
  /** Accounts whose log files it receives. */
  accounts: number;
  filesPerSecond: number;
  /** Concurrent executions at the peak. */
  concurrencyNeeded: number;
}

/** The load of each forwarder the config deploys. */
export function forwarderLoads(config: PlannedConfig): ForwarderLoad[] {
  return config.plans.flatMap(({ account, forwarder }) => {
    if (!forwarder?.function) return [];
    const accounts = forwarder.sourceAccounts;
    const filesPerSecond = (accounts * DEFAULT_REGIONS[account.partition] * FILES_PER_ACCOUNT_REGION_HOUR) / 3600;
    return [{ account, accounts, filesPerSecond, concurrencyNeeded: Math.ceil(filesPerSecond * FILE_SECONDS * PEAK_FACTOR) }];
  });
}

/**
 * A sentence for each forwarder whose reserved concurrency, or what the Region's concurrency
 * quota leaves unreserved, is below its peak need.
 */
export function capacityWarnings(config: PlannedConfig, quota = DEFAULT_CONCURRENCY_QUOTA): string[] {
  return forwarderLoads(config).flatMap(({ account, accounts, filesPerSecond, concurrencyNeeded }) => {
    const load = `receives about ${filesPerSecond.toFixed(1)} log files a second from ${accounts} account(s) and needs about ${concurrencyNeeded} concurrent executions at peak (at ${FILE_SECONDS} s a file)`;
    const reserved = account.forwarder.reservedConcurrency;
    if (reserved !== undefined && reserved < concurrencyNeeded) {
      return [`The forwarder of ${account.name} ${load}, but its reserved concurrency is ${reserved}: throttled deliveries wait and retry, and go to its failure queue after 6 hours. Raise forwarder.reservedConcurrency to at least ${concurrencyNeeded}.`];
    }
    if (reserved === undefined && concurrencyNeeded > quota - UNRESERVED_MINIMUM) {
      return [`The forwarder of ${account.name} ${load}, more than a concurrency quota of ${quota} in ${account.region} leaves: request a higher concurrency quota there.`];
    }
    return [];
  });
}
