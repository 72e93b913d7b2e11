/**
 * The config switches that may explain a rule's violation in a stack: the settings of the
 * account whose trail, bucket or key the stack holds. Without a config, every switch has its
 * schema default, so the output of the default config checks clean.
 */
import type { ResolvedAccount, ResolvedConfig, ResolvedTrail } from '../config/resolve';
import { withDefaults } from '../config/schema-validation';
import type { TrailSettings } from '../config/types';

export interface Switches {
  /** `trail.kms`: the trail and its bucket use the customer managed key. */
  kms: boolean;
  /** `trail.accessLogging`: the trail bucket logs server access. */
  accessLogging: boolean;
  /** `trail.cloudWatchLogs.enabled`: the trail also delivers to CloudWatch Logs. */
  cloudWatchLogs: boolean;
  /** `trail.s3DataEvents`: which S3 object-level events the trail logs. */
  s3DataEvents: ResolvedTrail['s3DataEvents'];
}

/** The switches of the schema's defaults, for stacks checked without their config. */
export function defaultSwitches(): Switches {
  const trail = withDefaults('trail', {} as TrailSettings);
  return {
    kms: trail.kms as boolean,
    accessLogging: trail.accessLogging !== false,
    cloudWatchLogs: trail.cloudWatchLogs?.enabled as boolean,
    s3DataEvents: trail.s3DataEvents as Switches['s3DataEvents'],
  };
}

/**
 * The switches for `account`'s stack. In an organization the bucket and key follow the
 * log-archive account's settings and the trail the management account's.
 */
export function accountSwitches(config: ResolvedConfig, account: ResolvedAccount): Switches {
  const bucketOwner = config.organization?.logArchive ?? account;
  const trailOwner = config.organization?.management ?? account;
  return {
    kms: bucketOwner.trail.kms,
    accessLogging: bucketOwner.trail.accessLogBucket !== undefined,
    cloudWatchLogs: trailOwner.trail.cloudWatchLogs.enabled,
    s3DataEvents: trailOwner.trail.s3DataEvents,
  };
}
