/**
 * `npm run import-accounts -- <list-accounts.json> [--config FILE] [--wave N] [--region R]
 *  [--role-name NAME | --no-assume-role] [--dry-run]`
 *
 * Merges the output of `aws organizations list-accounts` into a config: existing entries and
 * their fields stay as they are; new active accounts get a safe, unique stack name, the
 * region, a deploy role and a wave; suspended or closed accounts are skipped. The result is
 * validated before it is written, so a merge never leaves an invalid config behind. Needs no
 * AWS credentials: run list-accounts wherever you have them and pass its JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type ConfigIssue, formatIssues } from '../config/errors';
import { accountsNeedingExternalId, EXTERNAL_ID_SOURCE } from '../config/checks';
import { validateDocument } from '../config/load';
import { partitionOf } from '../config/regions';
import type { AccountSettings, Config } from '../config/types';

export interface ListedAccount {
  Id: string;
  Name?: string;
  /** Deprecated by AWS in favour of State, still returned. */
  Status?: string;
  State?: string;
}

export interface ImportOptions {
  /** Wave of the new accounts. @default one after the highest wave in the config */
  wave?: number;
  /** Region of the new accounts' stacks. @default the management account's, else the first account's */
  region?: string;
  /** Role Terraform assumes in each new account; null for none. @default 'OrganizationAccountAccessRole' */
  roleName?: string | null;
}

export interface ImportResult {
  config: Config;
  added: AccountSettings[];
  kept: AccountSettings[];
  skipped: Array<{ id: string; name?: string; reason: string }>;
}

/** The accounts in `list-accounts` output: `{"Accounts": [...]}`, or a bare array of them. */
export function listedAccounts(output: unknown): ListedAccount[] {
  const accounts = Array.isArray(output) ? output : (output as { Accounts?: unknown })?.Accounts;
  if (!Array.isArray(accounts) || accounts.some((a) => typeof a?.Id !== 'string')) {
    throw new Error('expected the JSON of `aws organizations list-accounts`: {"Accounts": [{"Id": "...", "Name": "...", ...}]}');
  }
  return accounts as ListedAccount[];
}

export function importAccounts(config: Config, listed: ListedAccount[], options: ImportOptions = {}): ImportResult {
  const existing = new Map(config.accounts.map((account) => [account.accountId, account]));
  const names = new Set(config.accounts.map((account) => account.name.toLowerCase()));
  const wave = options.wave ?? Math.max(0, ...config.accounts.map((account) => account.wave ?? 1)) + 1;
  const region = options.region ?? defaultRegion(config);
  const roleName = options.roleName === undefined ? 'OrganizationAccountAccessRole' : options.roleName;
  const partition = partitionOf(region) ?? 'aws';

  const added: AccountSettings[] = [];
  const kept: AccountSettings[] = [];
  const skipped: ImportResult['skipped'] = [];
  for (const account of [...listed].sort((a, b) => a.Id.localeCompare(b.Id))) {
    const state = account.State ?? account.Status ?? 'ACTIVE';
    const known = existing.get(account.Id);
    if (known) kept.push(known);
    else if (state !== 'ACTIVE') skipped.push({ id: account.Id, name: account.Name, reason: state.toLowerCase() });
    else {
      const name = uniqueName(stackName(account), account.Id, names);
      names.add(name.toLowerCase());
      added.push({
        name,
        accountId: account.Id,
        region,
        ...(roleName ? { assumeRoleArn: `arn:${partition}:iam::${account.Id}:role/${roleName}` } : {}),
        wave,
      });
    }
  }
  return { config: { ...config, accounts: [...config.accounts, ...added] }, added, kept, skipped };
}

/** A stack name from the account's name: lowercase words joined by '-', starting with a letter. */
export function stackName(account: ListedAccount): string {
  const words = (account.Name ?? '').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const name = /^[a-z]/.test(words) ? words : `account-${words || account.Id}`;
  return name.slice(0, 64).replace(/-+$/, '');
}

function uniqueName(name: string, accountId: string, taken: Set<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  return `${name.slice(0, 64 - 13)}-${accountId}`;
}

function defaultRegion(config: Config): string {
  const management = config.accounts.find((account) => account.name === config.organization?.managementAccount);
  return (management ?? config.accounts[0]).region;
}

function parseArgs(args: string[]): { input: string; file: string; dryRun: boolean; options: ImportOptions } {
  const value = (flag: string) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const flags = new Set(['--config', '--wave', '--region', '--role-name']);
  const input = args.find((arg, i) => !arg.startsWith('--') && !flags.has(args[i - 1]));
  const file = value('--config') ?? process.env.DD_CLOUDTRAIL_CONFIG;
  if (!input || !file) {
    throw new Error('usage: npm run import-accounts -- <list-accounts.json> --config <config.json> [--wave N] [--region R] [--role-name NAME | --no-assume-role] [--dry-run]');
  }
  const wave = value('--wave');
  if (wave !== undefined && !/^[1-9]\d*$/.test(wave)) throw new Error(`--wave takes a wave number (1, 2, ...), got ${JSON.stringify(wave)}`);
  return {
    input,
    file,
    dryRun: args.includes('--dry-run'),
    options: {
      wave: wave === undefined ? undefined : Number(wave),
      region: value('--region'),
      roleName: args.includes('--no-assume-role') ? null : value('--role-name'),
    },
  };
}

function main(args: string[]): number {
  const { input, file, dryRun, options } = parseArgs(args);
  const config = JSON.parse(readFileSync(file, 'utf8')) as Config;
  const result = importAccounts(config, listedAccounts(JSON.parse(readFileSync(input, 'utf8'))), options);
  for (const account of result.added) console.log(`+ ${account.name} (${account.accountId}) wave ${account.wave} in ${account.region}`);
  for (const skip of result.skipped) console.log(`- skipped ${skip.name ?? ''} (${skip.id}): ${skip.reason}`);
  console.log(`${result.added.length} added, ${result.kept.length} already in the config, ${result.skipped.length} skipped.`);
  // Datadog issues each account's external ID when the account is added there: the new
  // accounts cannot have one yet, and synth refuses them until they do.
  const issues: ConfigIssue[] = validateDocument(result.config, { allowMissingExternalIds: true });
  if (issues.length > 0) {
    console.error(formatIssues(`${file} (after the import)`, issues).replace('No Terraform was written.', 'The config was not changed.'));
    return 1;
  }
  if (!dryRun && result.added.length > 0) {
    writeFileSync(file, `${JSON.stringify(result.config, null, 2)}\n`);
    console.log(`Wrote ${file}.`);
  }
  const pending = accountsNeedingExternalId(result.config as unknown as Record<string, unknown>);
  if (pending.length > 0) {
    console.log(`${pending.length} account(s) still need their own external ID before synth accepts the config: ${pending.join(', ')}.`);
    console.log(`For each: ${EXTERNAL_ID_SOURCE}.`);
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`import-accounts: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
