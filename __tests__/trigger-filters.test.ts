/**
 * What each trigger lets through to the forwarder, replayed on the object keys CloudTrail and
 * AWS Config write: a log file, a digest file, an Insights file and an AWS Config file, in the
 * per-account, organization and Control Tower layouts, filtered as the synthesized stacks
 * filter them (the S3 notification's prefix, the EventBridge rule's pattern, the SNS
 * subscription's body filter policy).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Config, ControlTowerSettings } from '../config/types';
import { matchesPattern, wildcardRegExp } from './support/event-filters';
import { writeConfig } from './support/configs';
import { resourcesOfType, synthFile, type TfJson } from './support/synth';

type Kind = 'log' | 'digest' | 'insights' | 'config';
const KINDS: Kind[] = ['log', 'digest', 'insights', 'config'];

/**
 * The keys of one account's files in a day, under `base` (`[prefix/]AWSLogs[/<o-id>]`), named as
 * AWS documents them: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html,
 * .../cloudtrail-log-file-validation-digest-file-structure.html, .../logging-insights-events-with-cloudtrail.html,
 * and https://docs.aws.amazon.com/config/latest/developerguide/example-configuration-history-notification.html.
 * AWS Config writes at the account level even in an organization's bucket (no `<o-id>`).
 */
function keys(base: string, configBase: string, account: string, region: string): Record<Kind, string> {
  const day = '2026/05/01';
  return {
    log: `${base}/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_20260501T0005Z_AbCdEf123456.json.gz`,
    digest: `${base}/${account}/CloudTrail-Digest/${region}/${day}/${account}_CloudTrail-Digest_${region}_trail_${region}_20260501T010532Z.json.gz`,
    insights: `${base}/${account}/CloudTrail-Insight/${region}/${day}/${account}_CloudTrail-Insight_${region}_20260501T0005Z_AbCdEf123456.json.gz`,
    config: `${configBase}/${account}/Config/${region}/2026/5/1/ConfigHistory/${account}_Config_${region}_ConfigHistory_AWS::CloudTrail::Trail_20260501T000532Z_20260501T000532Z_1.json.gz`,
  };
}

/** What each filter passes, of the four files. */
const passing = (passes: (key: string) => boolean, files: Record<Kind, string>): Kind[] => KINDS.filter((kind) => passes(files[kind]));

/** An S3 Object Created event on EventBridge (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). */
const eventBridgeEvent = (bucket: string, key: string) => ({
  version: '0',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '222222222222',
  detail: { version: '0', bucket: { name: bucket }, object: { key, size: 1024 }, reason: 'PutObject' },
});

/**
 * The body of the S3 event notification SNS carries, its key URL-encoded as S3 writes it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 */
const notificationBody = (bucket: string, key: string) => ({
  Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 1024 } } }],
});

const example = (name: string): Config => JSON.parse(readFileSync(path.join(__dirname, '..', 'examples', name), 'utf8'));
const synth = (config: Config): Record<string, TfJson> => synthFile(writeConfig(config)).stacks;

const s3Prefix = (stack: TfJson): string => (resourcesOfType(stack, 'aws_s3_bucket_notification')[0].lambda_function as Array<{ filter_prefix: string }>)[0].filter_prefix;
const rulePattern = (stack: TfJson) => JSON.parse(String(resourcesOfType(stack, 'aws_cloudwatch_event_rule')[0].event_pattern));
const subscriptionPolicy = (stack: TfJson) => {
  const [subscription] = resourcesOfType(stack, 'aws_sns_topic_subscription');
  expect(subscription.filter_policy_scope).toBe('MessageBody');
  return JSON.parse(String(subscription.filter_policy));
};

describe('the matcher the trigger tests replay filters with', () => {
  test('lets a wildcard * span slashes, as the organization layout needs', () => {
    expect(wildcardRegExp('AWSLogs/*/CloudTrail/*.json.gz').test('AWSLogs/o-a1b2c3d4e5/111111111111/CloudTrail/us-east-1/x.json.gz')).toBe(true);
  });

  test('reads \\* and \\\\ as literal characters, and refuses what EventBridge refuses', () => {
    expect(wildcardRegExp('a\\*b').test('a*b')).toBe(true);
    expect(wildcardRegExp('a\\*b').test('axb')).toBe(false);
    expect(wildcardRegExp('a\\\\b').test('a\\b')).toBe(true);
    expect(() => wildcardRegExp('AWSLogs/**/x')).toThrow('consecutive');
    expect(() => wildcardRegExp('a\\b')).toThrow('escapes only');
  });

  test('requires every field of a pattern, and one of the values of each', () => {
    expect(matchesPattern({ source: ['aws.s3'], detail: { bucket: { name: ['b'] } } }, eventBridgeEvent('b', 'k'))).toBe(true);
    expect(matchesPattern({ source: ['aws.s3'], detail: { bucket: { name: ['other'] } } }, eventBridgeEvent('b', 'k'))).toBe(false);
  });

  test('matches a nested policy in an array of objects when one element matches', () => {
    expect(matchesPattern({ Records: { s3: { object: { key: [{ prefix: 'AWSLogs/' }] } } } }, notificationBody('b', 'AWSLogs/x'))).toBe(true);
    expect(matchesPattern({ Records: { s3: { object: { key: [{ prefix: 'AWSLogs/' }] } } } }, notificationBody('b', 'other/x'))).toBe(false);
  });

  test('throws on an operator it does not implement, rather than guess', () => {
    expect(() => matchesPattern({ key: [{ suffix: '.gz' }] }, { key: 'a.gz' })).toThrow('unsupported');
  });
});

describe('per account: the S3 notification of the toolkit bucket', () => {
  const { prod } = synthFile(path.join(__dirname, '..', 'examples', 'single-account.json')).stacks;
  const files = keys('AWSLogs', 'AWSLogs', '111111111111', 'us-east-1');

  test('passes log files only: its prefix ends in CloudTrail/', () => {
    expect(passing((key) => key.startsWith(s3Prefix(prod)), files)).toEqual(['log']);
  });
});

describe('organization', () => {
  const files = keys('AWSLogs/o-a1b2c3d4e5', 'AWSLogs', '555555555555', 'eu-west-1');
  const bucket = 'acme-org-cloudtrail-222222222222';

  test('with a forwarder that reads EventBridge S3 events (the default layer), the rule on the bucket passes log files only', () => {
    const pattern = rulePattern(synth(example('organization.json'))['log-archive']);
    expect(passing((key) => matchesPattern(pattern, eventBridgeEvent(bucket, key)), files)).toEqual(['log']);
  });

  test("with an older forwarder, the S3 notification passes log, digest and Insights files under the organization's prefix (S3 prefix filters take no wildcard), not AWS Config's", () => {
    const input = example('organization.json');
    input.forwarder = { layerVersion: 96, storeFailedEvents: false };
    expect(passing((key) => key.startsWith(s3Prefix(synth(input)['log-archive'])), files)).toEqual(['log', 'digest', 'insights']);
  });
});

describe('Control Tower with trigger "sns": the subscription to the log bucket topic', () => {
  const stacks = synth(example('control-tower.json'));
  const bucket = 'aws-controltower-logs-222222222222-eu-west-1';
  const files = keys('o-a1b2c3d4e5/AWSLogs/o-a1b2c3d4e5', 'o-a1b2c3d4e5/AWSLogs', '444444444444', 'eu-west-1');

  test('passes log, digest and Insights files (SNS filters by prefix), and drops AWS Config files, which otherwise fail in the forwarder', () => {
    const policy = subscriptionPolicy(stacks['log-archive']);
    expect(passing((key) => matchesPattern(policy, notificationBody(bucket, key)), files)).toEqual(['log', 'digest', 'insights']);
  });
});

describe('Control Tower with trigger "eventbridge": the rule on the log bucket', () => {
  const input = example('control-tower.json');
  input.controlTower = { ...(input.controlTower as ControlTowerSettings), trigger: 'eventbridge', snsTopicArn: undefined };
  input.forwarder = { existingArn: 'arn:aws:lambda:eu-west-1:222222222222:function:DatadogForwarder' };
  const stacks = synth(input);
  const bucket = 'aws-controltower-logs-222222222222-eu-west-1';
  const files = keys('o-a1b2c3d4e5/AWSLogs/o-a1b2c3d4e5', 'o-a1b2c3d4e5/AWSLogs', '444444444444', 'eu-west-1');

  test('passes log files only (EventBridge wildcard)', () => {
    const pattern = rulePattern(stacks['log-archive']);
    expect(passing((key) => matchesPattern(pattern, eventBridgeEvent(bucket, key)), files)).toEqual(['log']);
  });

  test('passes no file of another bucket', () => {
    expect(matchesPattern(rulePattern(stacks['log-archive']), eventBridgeEvent('another-bucket', files.log))).toBe(false);
  });
});

describe('an adopted trail with trigger "eventbridge": the rule on its bucket', () => {
  const stacks = synthFile(path.join(__dirname, '..', 'examples', 'existing-trail.json')).stacks;
  const bucket = 'acme-central-cloudtrail';
  const pattern = rulePattern(stacks.security);

  test("passes log files only, whether the bucket's trails are per account or an organization's", () => {
    const account = keys('cloudtrail/AWSLogs', 'cloudtrail/AWSLogs', '222222222222', 'us-east-1');
    const organization = keys('cloudtrail/AWSLogs/o-a1b2c3d4e5', 'cloudtrail/AWSLogs', '333333333333', 'us-east-1');
    const passes = (key: string) => matchesPattern(pattern, eventBridgeEvent(bucket, key));

    expect(passing(passes, account)).toEqual(['log']);
    expect(passing(passes, organization)).toEqual(['log']);
  });

  test('passes nothing outside its prefix', () => {
    expect(matchesPattern(pattern, eventBridgeEvent(bucket, keys('other/AWSLogs', 'other/AWSLogs', '222222222222', 'us-east-1').log))).toBe(false);
  });
});
