/**
 * `npm run import-accounts -- <list-accounts.json> --config FILE [--wave N] [--region R]
 *  [--role-name NAME | --no-assume-role] [--dry-run]` (see USAGE)
 *
 * Merges the output of `aws organizations list-accounts` into a config: existing entries and
 * their fields stay as they are; new active accounts get a safe, unique stack name, the
 * region, a deploy role and a wave; suspended or closed accounts are skipped. The result is
 * validated before it is written, every check but the new accounts' external IDs (Datadog
 * issues them; synth refuses the config until each has its own), so a merge never leaves a
 * config behind that is wrong in any other way. Needs no AWS credentials: run list-accounts
 * wherever you have them and pass its JSON.
 */
import { writeFileSync } from 'node:fs';
import { closest, ConfigError, type ConfigIssue, formatIssues } from '../config/errors';
import { readJsonInput } from '../config/json-file';
import { accountsNeedingExternalId, EXTERNAL_ID_SOURCE } from '../config/checks';
import { validateDocument } from '../config/load';
import { withDefaults } from '../config/schema-validation';
import { allRegions, partitionOf } from '../config/regions';
import type { AccountSettings, Config } from '../config/types';
import { type CommandLine, type CommandSpec, configFile, displayPath, runCommand, UsageError, userPath } from './cli';

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

/**
 * The accounts in `list-accounts` output: `{"Accounts": [...]}`, or a bare array of them.
 * Throws ConfigError (path, value, fix) for anything else; `file` names the input in it.
 */
export function listedAccounts(output: unknown, file = 'the list-accounts output'): ListedAccount[] {
  const accounts = Array.isArray(output) ? output : (output as { Accounts?: unknown })?.Accounts;
  const kind = 'list-accounts output';
  const fix = 'pass the JSON of `aws organizations list-accounts --output json`: {"Accounts": [{"Id": "...", "Name": "...", ...}]}';
  if (!Array.isArray(accounts)) throw new ConfigError(file, [{ path: 'Accounts', problem: 'is missing: this is not list-accounts output', fix }], kind);
  const issues: ConfigIssue[] = accounts.flatMap((account: unknown, index) => {
    const id = (account as { Id?: unknown } | null)?.Id;
    return typeof id === 'string' && /^\d{12}$/.test(id)
      ? []
      : [{ path: `Accounts[${index}].Id`, problem: 'is not a 12-digit AWS account ID', value: id ?? null, fix }];
  });
  if (issues.length > 0) throw new ConfigError(file, issues, kind);
  return accounts as ListedAccount[];
}

export function importAccounts(config: Config, listed: ListedAccount[], options: ImportOptions = {}): ImportResult {
  const existing = new Map(config.accounts.map((account) => [account.accountId, account]));
  const names = new Set(config.accounts.map((account) => account.name.toLowerCase()));
  const wave = options.wave ?? Math.max(0, ...config.accounts.map((account) => withDefaults('account', { wave: account.wave }).wave as number)) + 1;
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

const USAGE = `Usage: npm run import-accounts -- LIST_ACCOUNTS_JSON --config FILE [--wave N] [--region R]
         [--role-name NAME | --no-assume-role] [--dry-run]

Merges the output of \`aws organizations list-accounts --output json\` into the config FILE:
existing entries stay as they are; new active accounts get a unique stack name, a region, a
deploy role and a wave; suspended and closed accounts are skipped. The config is written
only if the result passes every check but one: the new accounts' external IDs, which Datadog
issues per account and which the import cannot know. Synth refuses the config until each new
account has its own (the command lists them). Needs no AWS credentials.

Options:
  --config FILE      the config to merge into (default: $DD_CLOUDTRAIL_CONFIG; one is required)
  --wave N           wave of the new accounts (default: one after the highest wave)
  --region R         region of the new accounts' stacks (default: the management account's)
  --role-name NAME   role Terraform assumes in each new account (default: OrganizationAccountAccessRole)
  --no-assume-role   new accounts get no assumeRoleArn
  --dry-run          print what would change, write nothing
  -h, --help         show this help
`;

const COMMAND: CommandSpec = {
  name: 'import-accounts',
  usage: USAGE,
  options: {
    config: { type: 'string' },
    wave: { type: 'string' },
    region: { type: 'string' },
    'role-name': { type: 'string' },
    'no-assume-role': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
};

function options(args: CommandLine): ImportOptions {
  if (args.string('role-name') !== undefined && args.flag('no-assume-role')) {
    throw new UsageError(`${args.written('role-name')} and ${args.written('no-assume-role')} contradict each other: give one`);
  }
  const region = args.string('region');
  if (region !== undefined && partitionOf(region) === undefined) {
    const guess = closest(region, allRegions());
    throw new UsageError(`${args.written('region')} ${JSON.stringify(region)} is not a known AWS region${guess ? `: did you mean ${guess}?` : ' (us-east-1, eu-west-1, ...)'}`);
  }
  return {
    wave: args.positiveInteger('wave'),
    region,
    roleName: args.flag('no-assume-role') ? null : args.string('role-name'),
  };
}

function main(args: CommandLine): number {
  const input = userPath(args.positionals[0]);
  const file = configFile(args).file;
  const importOptions = options(args);
  const dryRun = args.flag('dry-run');
  const name = displayPath(file);
  const document = readJsonInput(file, { kind: 'config', name, unreadableFix: 'name the config to merge into with --config FILE' });
  // The config as it is must be valid before anything is merged into it (its accounts may
  // still lack their external IDs, as after an earlier import).
  const before = validateDocument(document, { allowMissingExternalIds: true });
  if (before.length > 0) throw new ConfigError(name, before);
  const listed = readJsonInput(input, { kind: 'list-accounts output', name: args.positionals[0], unreadableFix: 'pass the file you saved `aws organizations list-accounts --output json` into' });
  const result = importAccounts(document as Config, listedAccounts(listed, args.positionals[0]), importOptions);
  for (const account of result.added) console.log(`+ ${account.name} (${account.accountId}) wave ${account.wave} in ${account.region}`);
  for (const skip of result.skipped) console.log(`- skipped ${skip.name ?? ''} (${skip.id}): ${skip.reason}`);
  console.log(`${result.added.length} added, ${result.kept.length} already in the config, ${result.skipped.length} skipped.`);
  // Datadog issues each account's external ID when the account is added there: the new
  // accounts cannot have one yet, and synth refuses them until they do.
  const issues: ConfigIssue[] = validateDocument(result.config, { allowMissingExternalIds: true });
  if (issues.length > 0) {
    console.error(formatIssues(`${name} (after the import)`, issues, 'The config was not changed.'));
    return 1;
  }
  if (!dryRun && result.added.length > 0) {
    writeFileSync(file, `${JSON.stringify(result.config, null, 2)}\n`);
    console.log(`Wrote ${name}.`);
  }
  const pending = accountsNeedingExternalId(result.config as unknown as Record<string, unknown>);
  if (pending.length > 0) {
    console.log(`${pending.length} account(s) still need their own external ID before synth accepts the config: ${pending.join(', ')}.`);
    console.log(`For each: ${EXTERNAL_ID_SOURCE}.`);
  }
  return 0;
}

if (require.main === module) runCommand(COMMAND, main);
