/**
 * The example configs with the Datadog registration managed by Terraform
 * (`datadog.manageIntegration`), as a user would switch them: synthesized in process, planned
 * with real Terraform.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../../config/types';

/** An example config with the registration managed by Terraform, as a user would switch it. */
export function managed(example: string, datadog: Partial<Config['datadog']> = {}): Config {
  const config: Config = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', example), 'utf8'));
  delete config.datadog.externalId;
  for (const account of config.accounts) delete account.externalId;
  config.datadog = { ...config.datadog, manageIntegration: true, ...datadog };
  return config;
}

/** single-account.json managed, with a no-logs monitor of 90 minutes that notifies a Slack channel. */
export const managedSingleAccount = (): Config => managed('single-account.json', { monitor: { noLogsMinutes: 90, notify: ['@slack-secops'] } });
