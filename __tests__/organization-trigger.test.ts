/**
 * An organization's forwarder is invoked through EventBridge, by a rule that passes the
 * organization's CloudTrail log files and nothing else: no digest file (one an hour per account
 * and Region, about 2 million invocations a day at 5,000 accounts through an S3 prefix
 * filter), no Insights file. The rule's pattern is replayed on S3 Object Created events with
 * the key shapes AWS documents, by __tests__/support/event-filters.ts: an implementation of
 * EventBridge's documented matching (aws/event-ruler), not EventBridge itself, which cannot be
 * reached here (its TestEventPattern API would settle it).
 */
import type { Config } from '../config/types';
import { checkParsedStacks } from '../rules/engine';
import { matchesPattern } from './support/event-filters';
import { validConfig } from './support/configs';
import { resourcesOfType, synthConfig, type TfJson } from './support/synth';

const ORG = 'o-a1b2c3d4e5';
const MEMBER = '333333333333';

/** An organization of two accounts, the first the management and log-archive account. */
function organization(change: (config: Config) => void = () => undefined): Record<string, TfJson> {
  const config = validConfig();
  config.organization = { id: ORG, managementAccount: 'prod', logArchiveAccount: 'prod' };
  config.accounts.push({ ...config.accounts[0], name: 'member', accountId: MEMBER, externalId: 'ee964fe0763db2c6196353113e5dbece', assumeRoleArn: undefined });
  change(config);
  return synthConfig(config).stacks;
}

/** An S3 Object Created event on EventBridge (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). */
const objectCreated = (bucket: string, key: string) => ({
  version: '0',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '111111111111',
  region: 'us-east-1',
  resources: [`arn:aws:s3:::${bucket}`],
  detail: { version: '0', bucket: { name: bucket }, object: { key, size: 1024, etag: 'e' }, reason: 'PutObject' },
});

/**
 * An organization trail's files of one account and day under `base` (`[prefix/]AWSLogs/<o-id>`), named
 * as AWS documents them (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html,
 * .../cloudtrail-log-file-validation-digest-file-structure.html, .../logging-insights-events-with-cloudtrail.html).
 */
const files = (base: string, account = MEMBER, region = 'eu-west-1') => ({
  log: `${base}/${account}/CloudTrail/${region}/2026/12/04/${account}_CloudTrail_${region}_20261204T0005Z_AbCdEf123456.json.gz`,
  digest: `${base}/${account}/CloudTrail-Digest/${region}/2026/12/04/${account}_CloudTrail-Digest_${region}_acme-trail_us-east-1_20261204T010532Z.json.gz`,
  insights: `${base}/${account}/CloudTrail-Insight/${region}/2026/12/04/${account}_CloudTrail-Insight_${region}_20261204T0005Z_AbCdEf123456.json.gz`,
  folder: `${base}/${account}/CloudTrail/${region}/2026/12/04/`,
});

const bucketOf = (stack: TfJson) => String(stack.resource.aws_s3_bucket['trail-bucket_logs_bucket'].bucket);
const ruleOf = (stack: TfJson) => JSON.parse(String(resourcesOfType(stack, 'aws_cloudwatch_event_rule')[0].event_pattern));
/** Which of the files the stack's rule passes to the forwarder. */
const passed = (stack: TfJson, keys: Record<string, string>, bucket = bucketOf(stack)) =>
  Object.entries(keys)
    .filter(([, key]) => matchesPattern(ruleOf(stack), objectCreated(bucket, key)))
    .map(([kind]) => kind);

describe("an organization's forwarder trigger", () => {
  const { prod } = organization();

  test('passes the log files of every account and Region of the organization', () => {
    for (const account of ['111111111111', MEMBER]) {
      for (const region of ['us-east-1', 'ap-southeast-2']) expect(passed(prod, { log: files(`AWSLogs/${ORG}`, account, region).log })).toEqual(['log']);
    }
  });

  test('passes no digest file, no Insights file and no folder placeholder', () => {
    expect(passed(prod, files(`AWSLogs/${ORG}`))).toEqual(['log']);
  });

  test("passes no file of another bucket, nor another organization's files", () => {
    expect(passed(prod, { log: files(`AWSLogs/${ORG}`).log }, 'someone-elses-bucket')).toEqual([]);
    expect(passed(prod, { log: files('AWSLogs/o-zzzzzzzzzz').log })).toEqual([]);
  });

  test("under the trail's key prefix, escaping what EventBridge's wildcard would read as one", () => {
    const prefixed = organization((config) => void (config.trail = { ...config.trail, s3KeyPrefix: 'audit/*all*' })).prod;

    expect(passed(prefixed, files(`audit/*all*/AWSLogs/${ORG}`))).toEqual(['log']);
    expect(passed(prefixed, files(`audit/xallx/AWSLogs/${ORG}`))).toEqual([]);
  });

  test("sends the bucket's events to EventBridge from its one notification configuration, and to nothing else", () => {
    const [notification] = resourcesOfType(prod, 'aws_s3_bucket_notification');

    expect(Object.keys(prod.resource.aws_s3_bucket_notification)).toEqual(['forwarder-trigger_notification']);
    expect(Object.keys(notification).filter((key) => key !== '//').sort()).toEqual(['bucket', 'depends_on', 'eventbridge']);
    expect(notification).toMatchObject({
      bucket: '${aws_s3_bucket.trail-bucket_logs_bucket.id}',
      eventbridge: true,
      // Written once the rule delivers, so that no log file written meanwhile is lost.
      depends_on: ['aws_cloudwatch_event_target.forwarder-trigger_eventbridge_target'],
    });
  });

  test('lets only its rule invoke the forwarder', () => {
    expect(resourcesOfType(prod, 'aws_lambda_permission')).toEqual([
      expect.objectContaining({ principal: 'events.amazonaws.com', source_arn: '${aws_cloudwatch_event_rule.forwarder-trigger_eventbridge_rule.arn}' }),
    ]);
  });

  test('updates the S3 trigger\'s notification configuration in place: same Terraform address', () => {
    const before = organization((config) => void (config.forwarder = { layerVersion: 96, storeFailedEvents: false })).prod;

    expect(Object.keys(prod.resource.aws_s3_bucket_notification)).toEqual(Object.keys(before.resource.aws_s3_bucket_notification));
  });
});

describe('where the S3 notification stays', () => {
  const s3Trigger = (stack: TfJson) => resourcesOfType(stack, 'aws_s3_bucket_notification')[0].lambda_function;

  test('a forwarder layer older than 5.3.0, which would forward the EventBridge event instead of the log file', () => {
    const { prod } = organization((config) => void (config.forwarder = { layerVersion: 96, storeFailedEvents: false }));

    expect(s3Trigger(prod)).toEqual([expect.objectContaining({ filter_prefix: `AWSLogs/${ORG}/` })]);
    expect(prod.resource.aws_cloudwatch_event_rule).toBeUndefined();
  });

  test('a release zip, whose version the toolkit cannot know', () => {
    const { prod } = organization((config) => void (config.forwarder = { code: { s3Bucket: 'acme-artifacts', s3Key: 'aws-dd-forwarder-5.4.11.zip' }, runtime: 'python3.14' }));

    expect(s3Trigger(prod)).toEqual([expect.objectContaining({ filter_prefix: `AWSLogs/${ORG}/` })]);
  });

  test('one account: its prefix AWSLogs/<account>/CloudTrail/ already leaves digests out', () => {
    const { stacks } = synthConfig(validConfig());

    expect(s3Trigger(stacks.prod)).toEqual([expect.objectContaining({ filter_prefix: 'AWSLogs/111111111111/CloudTrail/' })]);
  });
});

describe('the security rule table on the EventBridge trigger', () => {
  test('refuses a notification configuration written before the rule delivers the bucket\'s events', () => {
    const config = validConfig();
    config.organization = { id: ORG, managementAccount: 'prod', logArchiveAccount: 'prod' };
    const { stacks, config: resolved } = synthConfig(config);
    delete stacks.prod.resource.aws_s3_bucket_notification['forwarder-trigger_notification'].depends_on;

    expect(checkParsedStacks(stacks, resolved).violations.filter((v) => !v.optedOut).map((v) => [v.rule, v.problem])).toEqual([
      ['trail-bucket-notification', expect.stringContaining('sends events to EventBridge before a rule')],
    ]);
  });
});
