/**
 * What the roll-out's commands compute, in process: the deploy order of the stacks
 * (`npm run stacks`) and the import of `aws organizations list-accounts` output into a
 * per-account config (`npm run import-accounts`). The commands as processes are specified in
 * processes/rollout-scripts.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig, validateDocument } from '../config/load';
import { deployOrder } from '../config/topology';
import { importAccounts, listedAccounts, stackName } from '../commands/import-accounts';
import { importable, LISTED } from './support/per-account-listing';

const ROOT = path.join(__dirname, '..');
const ORGANIZATION = path.join(ROOT, 'examples', 'organization.json');

describe('deployOrder', () => {
  test('orders by wave, then the log-archive account before the management account', () => {
    const config = parseConfig(readFileSync(ORGANIZATION, 'utf8'), 'organization.json');

    expect(deployOrder(config).map((a) => `${a.wave}:${a.name}`)).toEqual(['1:log-archive', '1:management', '1:sandbox', '2:staging', '3:prod']);
  });
});

describe('importAccounts', () => {
  const result = importAccounts(importable(), listedAccounts(LISTED));

  test('keeps existing entries exactly as they are', () => {
    expect(result.config.accounts[0]).toEqual(importable().accounts[0]);
    expect(result.kept.map((a) => a.accountId)).toEqual(['111111111111']);
  });

  test('skips suspended accounts', () => {
    expect(result.skipped).toEqual([{ id: '333333333333', name: 'Old sandbox', reason: 'suspended' }]);
  });

  test('derives safe, unique stack names', () => {
    expect(result.added.map((a) => a.name)).toEqual(['data-platform-eu', 'account-2024-experiments', 'prod-555555555555']);
  });

  test('puts new accounts in the highest wave in use, never a new one, in the existing region, with the organization access role', () => {
    expect(result.added[0]).toEqual({
      name: 'data-platform-eu',
      accountId: '222222222222',
      region: 'us-east-1',
      assumeRoleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      wave: 1,
    });
  });

  test('writes a config that is valid but for the external IDs Datadog has yet to issue', () => {
    expect(validateDocument(result.config, { allowMissingExternalIds: true })).toEqual([]);
  });

  test('writes a config that synth refuses until each new account has its own external ID', () => {
    expect(() => parseConfig(JSON.stringify(result.config), 'merged.json')).toThrow(/datadog\.externalId: is the external ID of 4 accounts/);
    const complete = structuredClone(result.config);
    complete.accounts.forEach((account, i) => { account.externalId = `${i}`.repeat(32); });
    expect(() => parseConfig(JSON.stringify(complete), 'merged.json')).not.toThrow();
  });

  test('with manageIntegration, writes a config synth accepts as it is: Datadog generates the new accounts\' IDs', () => {
    const managed = importable();
    delete managed.datadog.externalId;
    managed.datadog.manageIntegration = true;

    const merged = importAccounts(managed, listedAccounts(LISTED)).config;

    expect(() => parseConfig(JSON.stringify(merged), 'merged.json')).not.toThrow();
  });

  test('names an account without a usable name after its id', () => {
    expect(stackName({ Id: '666666666666', Name: '***' })).toBe('account-666666666666');
  });
});
