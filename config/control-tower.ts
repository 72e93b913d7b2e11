/**
 * AWS Control Tower's naming conventions for its organization trail (landing zone 3.x): the
 * trail in the management account's home region, the log-archive bucket, and the
 * organization-ID prefix it writes under (`<o-id>/AWSLogs/<o-id>/<account>/CloudTrail/...`).
 * https://docs.aws.amazon.com/controltower/latest/userguide/how-control-tower-works.html
 * https://docs.aws.amazon.com/controltower/latest/userguide/known-issues-decommissioning.html
 */
export const CONTROL_TOWER_TRAIL_NAME = 'aws-controltower-BaselineCloudTrail';

export function controlTowerBucketName(logArchiveAccountId: string, homeRegion: string): string {
  return `aws-controltower-logs-${logArchiveAccountId}-${homeRegion}`;
}
