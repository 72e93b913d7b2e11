/**
 * CloudTrail writes a digest file next to the log files every hour. The Datadog Forwarder
 * takes a digest for a CloudTrail file (its key pattern matches `CloudTrail-Digest`), finds no
 * `Records` in it and sends each of its lines as a log (steps/handlers/s3_handler.py in
 * DataDog/datadog-serverless-functions, forwarder 5.1.1). These tests replay what it does with
 * the forwarder's own exclusion step, `re.search(EXCLUDE_AT_MATCH, line)`, on a real digest.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PlannedConfig } from '../config/plan';
import { writeConfig } from './support/configs';
import { synthFile, type TfJson } from './support/synth';

const ACCOUNT = '327878933619';
const DIGEST_KEY = `AWSLogs/o-a1b2c3d4e5/${ACCOUNT}/CloudTrail-Digest/ap-northeast-1/2023/10/15/${ACCOUNT}_CloudTrail-Digest_ap-northeast-1_org-trail_us-west-2_20231015T230404Z.json.gz`;
const LOG_KEY = `AWSLogs/o-a1b2c3d4e5/${ACCOUNT}/CloudTrail/ap-northeast-1/2023/10/15/${ACCOUNT}_CloudTrail_ap-northeast-1_20231015T2300Z_Abc123.json.gz`;
/** A real digest file body: one line of JSON, slashes escaped, as CloudTrail writes it (fingerprints and hashes shortened). */
const DIGEST_BODY =
  '{"awsAccountId":"327878933619","digestStartTime":"2023-10-15T22:04:04Z","digestEndTime":"2023-10-15T23:04:04Z","digestS3Bucket":"llm-guard-trail",' +
  '"digestS3Object":"AWSLogs\\/327878933619\\/CloudTrail-Digest\\/ap-northeast-1\\/2023\\/10\\/15\\/327878933619_CloudTrail-Digest_ap-northeast-1_llm-guard-trail_us-west-2_20231015T230404Z.json.gz",' +
  '"digestPublicKeyFingerprint":"be2f0b99d6c43a7e2b8d7c3f1a7e6d21","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":"2023-10-15T23:03:51Z","oldestEventTime":"2023-10-15T22:03:06Z",' +
  '"previousDigestS3Bucket":"llm-guard-trail","previousDigestS3Object":"AWSLogs\\/327878933619\\/CloudTrail-Digest\\/ap-northeast-1\\/2023\\/10\\/15\\/327878933619_CloudTrail-Digest_ap-northeast-1_llm-guard-trail_us-west-2_20231015T220404Z.json.gz",' +
  '"previousDigestHashValue":"4f1e6c0b9f","previousDigestHashAlgorithm":"SHA-256","previousDigestSignature":"11c11e42aa",' +
  '"logFiles":[{"s3Bucket":"llm-guard-trail","s3Object":"AWSLogs\\/327878933619\\/CloudTrail\\/ap-northeast-1\\/2023\\/10\\/15\\/327878933619_CloudTrail_ap-northeast-1_20231015T2250Z_Abc123.json.gz","hashValue":"9a0b3c","hashAlgorithm":"SHA-256","newestEventTime":"2023-10-15T22:47:13Z","oldestEventTime":"2023-10-15T22:45:10Z"}]}';
/** A CloudTrail record as the forwarder serializes it for matching (json.dumps of the event). */
const LOG_EVENT = JSON.stringify({
  eventVersion: '1.09',
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'GetTrailStatus',
  awsRegion: 'ap-northeast-1',
  requestParameters: { name: 'org-trail', note: '"digestPublicKeyFingerprint": in a value is escaped' },
  recipientAccountId: ACCOUNT,
  ddsource: 'cloudtrail',
  aws: { s3: { bucket: 'acme-org-cloudtrail', key: LOG_KEY } },
});
/** The forwarder's CloudTrail key pattern (steps/common.py, CLOUDTRAIL_REGEX). */
const FORWARDER_CLOUDTRAIL_KEY = /\d+_CloudTrail(|-Digest|-Insight)_\w{2}(|-gov|-cn)-\w{4,9}-\d_(|.+)\d{8}T\d{4,6}Z(|.+).json.gz$/i;

const examples = path.join(__dirname, '..', 'examples');
/** The key prefix of the S3 notification that invokes the config's forwarder. */
const triggerPrefix = (config: PlannedConfig): string => {
  const trigger = config.plans.find((plan) => plan.forwarder)?.forwarder?.trigger;
  if (trigger?.type !== 's3') throw new Error('no S3 trigger');
  return trigger.filterPrefix;
};
const excludeOf = (stack: TfJson) =>
  (Object.values(stack.resource.aws_lambda_function)[0] as { environment: { variables: Record<string, string> } }).environment.variables.EXCLUDE_AT_MATCH;

describe('CloudTrail digest files', () => {
  const organization = synthFile(path.join(examples, 'organization.json'));
  const exclude = new RegExp(excludeOf(organization.stacks['log-archive']));

  test("reach an organization forwarder behind an S3 prefix trigger (a layer before 5.3.0), which cannot leave them out", () => {
    const config = JSON.parse(readFileSync(path.join(examples, 'organization.json'), 'utf8'));
    config.forwarder = { layerVersion: 96, storeFailedEvents: false };
    const older = synthFile(writeConfig(config));

    expect(DIGEST_KEY.startsWith(triggerPrefix(older.config))).toBe(true);
    expect(FORWARDER_CLOUDTRAIL_KEY.test(DIGEST_KEY)).toBe(true);
  });

  test('are dropped by the exclusion the forwarder applies to each line it would send', () => {
    expect(DIGEST_BODY.split('\n').filter((line) => line.trim() !== '' && !exclude.test(line))).toEqual([]);
  });

  test('leave every CloudTrail log record to be sent', () => {
    expect(exclude.test(LOG_EVENT)).toBe(false);
  });

  test('never trigger a per-account forwarder, whose prefix stops at CloudTrail/', () => {
    const single = synthFile(path.join(examples, 'single-account.json'));
    const accountDigest = `AWSLogs/${single.config.accounts[0].accountId}/CloudTrail-Digest/us-east-1/2023/10/15/x_CloudTrail-Digest_us-east-1_t_us-east-1_20231015T230404Z.json.gz`;

    expect(accountDigest.startsWith(triggerPrefix(single.config))).toBe(false);
  });
});
