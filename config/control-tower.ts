/**
 * AWS Control Tower's organization trail and log bucket, as each landing zone version names
 * them; the config chooses the version (`controlTower.landingZoneVersion`).
 *
 * - 3.x: the trail `aws-controltower-BaselineCloudTrail` in the management account's home
 *   region, writing to `aws-controltower-logs-<log archive account>-<home region>` under the
 *   organization-ID prefix (`<o-id>/AWSLogs/<o-id>/<account>/CloudTrail/...`); AWS Config
 *   delivers to the same bucket.
 *   https://docs.aws.amazon.com/controltower/latest/userguide/how-control-tower-works.html
 *   https://docs.aws.amazon.com/controltower/latest/userguide/known-issues-decommissioning.html
 * - 4.0: the CloudTrail integration is optional, in the account `centralizedLogging.accountId`
 *   of the manifest, and AWS Config has a logging bucket of its own (`config.configurations.loggingBucket`)
 *   (https://docs.aws.amazon.com/controltower/latest/userguide/key-changes-lz-v4.html,
 *   https://docs.aws.amazon.com/controltower/latest/userguide/lz-manifest-file.html). AWS does
 *   not document the names 4.0 gives its resources; landing zones deployed with 4.0 carry a
 *   generated suffix (the CloudTrail log group `aws-controltower/CloudTrailLogs-<suffix>`, the
 *   Config bucket `aws-controltower-config-logs-<account>-<suffix>`: UPGRADING.md, v10.0.0, of
 *   https://github.com/schubergphilis/terraform-aws-mcaf-landing-zone, and its pull request 255,
 *   "Landing zone 4.0 now uses postfixes in the CloudTrail name"). Nothing can derive a
 *   generated name, so with 4.0 the config names the trail and the bucket.
 */
export type LandingZoneVersion = '3.x' | '4.0';

const TRAIL_NAME_3X = 'aws-controltower-BaselineCloudTrail';

/** The names a landing zone version lets the toolkit derive; none for 4.0. */
export function derivedControlTowerNames(
  version: LandingZoneVersion,
  logArchiveAccountId: string,
  homeRegion: string,
): { trailName?: string; bucketName?: string } {
  return version === '3.x' ? { trailName: TRAIL_NAME_3X, bucketName: `aws-controltower-logs-${logArchiveAccountId}-${homeRegion}` } : {};
}
