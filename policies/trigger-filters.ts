/**
 * What invokes the forwarder on a bucket the toolkit only adopts, as data: the EventBridge
 * event pattern and the SNS subscription filter policy that let through CloudTrail's log
 * files, and as little else as each service can express.
 *
 * CloudTrail writes log files under `<prefix>/AWSLogs/<account>/CloudTrail/`, or
 * `<prefix>/AWSLogs/<o-id>/<account>/CloudTrail/` for an organization trail, and keeps its
 * digest and Insights files beside them, under `CloudTrail-Digest/` and `CloudTrail-Insight/`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html,
 * .../cloudtrail-log-file-validation-digest-file-structure.html, .../logging-insights-events-with-cloudtrail.html).
 * A shared log bucket such as Control Tower's also holds AWS Config files, under
 * `<prefix>/AWSLogs/<account>/Config/`.
 */

/** An EventBridge pattern for S3 Object Created events of one bucket, by object key. */
export interface ObjectCreatedPattern {
  source: ['aws.s3'];
  'detail-type': ['Object Created'];
  detail: { bucket: { name: [string] }; object: { key: [{ wildcard: string }] } };
}

/**
 * An SNS filter policy on the body of an S3 event notification (`{"Records":[{"s3":{"object":
 * {"key":...}}}]}`, https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html),
 * applied with the subscription's FilterPolicyScope `MessageBody`: S3 publishes no message
 * attributes (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html).
 */
export interface NotificationKeyFilterPolicy {
  Records: { s3: { object: { key: [{ prefix: string }] } } };
}

/**
 * EventBridge's wildcard escapes only `*` and `\` with a backslash, and refuses a backslash
 * before anything else (the wildcard rules of https://github.com/aws/event-ruler, README,
 * "Wildcard matching": the matching library of EventBridge, https://aws.amazon.com/blogs/opensource/open-sourcing-event-ruler/).
 */
function escapeWildcard(literal: string): string {
  return literal.replace(/[\\*]/g, (character) => `\\${character}`);
}

/**
 * The object keys of CloudTrail log files under `logPrefix` (`[prefix/]AWSLogs`, or
 * `[prefix/]AWSLogs/<o-id>`, without trailing slash). `*` matches any run of characters,
 * slashes included, so the first one spans `<account>` and, in a bucket that also holds an
 * organization trail's logs, `<o-id>/<account>`; `/CloudTrail/` leaves out
 * `CloudTrail-Digest/`, `CloudTrail-Insight/` and `Config/`, which never contain it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching
 */
export function logFileKeyWildcard(logPrefix: string): string {
  return `${escapeWildcard(logPrefix)}/*/CloudTrail/*.json.gz`;
}

/** The S3 Object Created events of CloudTrail log files in `bucketName`, and no others. */
export function logFileEventPattern(bucketName: string, logPrefix: string): ObjectCreatedPattern {
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [bucketName] }, object: { key: [{ wildcard: logFileKeyWildcard(logPrefix) }] } },
  };
}

/**
 * The S3 notifications of objects under `logPrefix/`. SNS filters by `prefix` (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html),
 * which keeps out AWS Config files of an organization's bucket (`AWSLogs/<account>/Config/`, outside
 * `AWSLogs/<o-id>/`) but not digest or Insights files: the forwarder the toolkit deploys drops
 * digests itself (EXCLUDE_AT_MATCH, stacks/forwarder-function.ts), and Insights files hold
 * CloudTrail Insights events, which it ships as CloudTrail logs.
 */
export function logFileNotificationFilter(logPrefix: string): NotificationKeyFilterPolicy {
  return { Records: { s3: { object: { key: [{ prefix: `${logPrefix}/` }] } } } };
}
