import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AccountSettings, Config, TrailSettings } from '../../config/types';

export const EXTERNAL_ID = 'acb8f6b8a844443dbb726d07dcb1a870';
/** The external ID of a second account: Datadog issues one per account. */
export const OTHER_EXTERNAL_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:datadog-api-key-AbCdEf';
/** The second account's own secret: a forwarder reads its key in its own account and region. */
export const STAGING_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:datadog-api-key-AbCdEf';

/** A valid single-account config, its trail section present. */
export type TestConfig = Config & { trail: TrailSettings };

/** A fresh, valid single-account config to mutate in a test. */
export function validConfig(): TestConfig {
  return {
    datadog: { site: 'datadoghq.com', externalId: EXTERNAL_ID, apiKeySecretArn: SECRET_ARN },
    trail: { bucketName: 'acme-cloudtrail-{accountId}' },
    accounts: [{ name: 'prod', accountId: '111111111111', region: 'us-east-1' }],
  };
}

/** A second account, `staging` in eu-west-1, with its own external ID and API key secret. */
export function stagingAccount(fields: Partial<AccountSettings> = {}): AccountSettings {
  return { name: 'staging', accountId: '222222222222', region: 'eu-west-1', externalId: OTHER_EXTERNAL_ID, apiKeySecretArn: STAGING_SECRET_ARN, ...fields };
}

/** Every temporary directory of a test file, removed after it (a 5,000-account synth is 40 MB). */
const TEST_TMP = mkdtempSync(path.join(tmpdir(), 'ddct-tests-'));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

/** Writes `content` (an object as JSON, or raw text) to a new temporary file and returns its path. */
export function writeConfig(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(TEST_TMP, 'config-')), 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export function tempDir(prefix = 'ddct-'): string {
  return mkdtempSync(path.join(TEST_TMP, prefix));
}
