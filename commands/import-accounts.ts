/**
 * `npm run import-accounts -- <list-accounts.json> --config FILE [--organization TREE_JSON]
 *  [--wave N] [--region R] [--role-name NAME | --no-assume-role] [--dry-run]` (see USAGE)
 *
 * Merges the output of `aws organizations list-accounts` into a config: existing entries and
 * their fields stay as they are; new active accounts in the enrollment scope get a safe, unique
 * stack name, the region, a deploy role and a wave some account already uses; accounts that
 * left (suspended, closed, gone, out of scope) are reported, never removed. The result is
 * validated before it is written, every check but the new accounts' external IDs (Datadog
 * issues them; synth refuses the config until each has its own), so a merge never leaves a
 * config behind that is wrong in any other way. The new entries are added to the file as text,
 * so the rest of it keeps its formatting. Needs no AWS credentials: rollout/enroll.ts (or you)
 * runs the AWS CLI wherever there are credentials and passes its JSON.
 */
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { closest, ConfigError, type ConfigIssue, formatIssues } from '../config/errors';
import { parseJsonText, readJsonText } from '../config/json-file';
import { accountsNeedingExternalId, EXTERNAL_ID_SOURCE } from '../config/checks';
import {
  enrollmentDefaults,
  enrollmentScope,
  type OrganizationTree,
  outOfScope,
  scopeIssues,
  scopeNeedsTree,
  usedWaves,
} from '../config/enrollment';
import { isObject } from '../config/json';
import { validateDocument } from '../config/load';
import { allRegions, partitionOf } from '../config/regions';
import { roleArn } from '../config/arns';
import type { AccountSettings, Config } from '../config/types';
import { CommandError, type CommandLine, type CommandSpec, configFile, displayPath, runCommand, UsageError, userPath } from './cli';

export interface ListedAccount {
  Id: string;
  Name?: string;
  /**
   * ACTIVE | SUSPENDED | PENDING_CLOSURE. AWS retires it on 9 September 2026 in favour of State
   * (botocore's Organizations model, `Account.Status`).
   */
  Status?: string;
  /** PENDING_ACTIVATION | ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED. */
  State?: string;
}

export interface ImportOptions {
  /** Wave of the new accounts: one in use. @default enrollment.wave, else the highest wave in use */
  wave?: number;
  /** Region of the new accounts' stacks. @default enrollment.region, else the management account's, else the first account's */
  region?: string;
  /** Role Terraform assumes in each new account; null for none. @default enrollment.roleName */
  roleName?: string | null;
  /** The organization's roots, OUs and the parent of each account: required when the scope names OUs. */
  tree?: OrganizationTree;
}

/** An account of the config that left the organization or the scope: reported, kept. */
export interface LeftAccount {
  name: string;
  accountId: string;
  reason: string;
}

export interface ImportResult {
  config: Config;
  added: AccountSettings[];
  kept: AccountSettings[];
  left: LeftAccount[];
  /** New accounts not added because they are not active. */
  skipped: Array<{ id: string; name?: string; reason: string }>;
  /** New active accounts outside the enrollment scope. */
  outOfScope: number;
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

const TREE_FORMAT =
  'expected the organization tree rollout/enroll.ts writes: {"Roots": <aws organizations list-roots>.Roots, "Parents": [{"ParentId": "r-… or ou-…", "OrganizationalUnits": <list-organizational-units-for-parent --parent-id it>.OrganizationalUnits, "Accounts": <list-accounts-for-parent --parent-id it>.Accounts}, ...]}';

/** The organization's tree, from the outputs of list-roots and of the two list-…-for-parent calls per root and OU. */
export function organizationTree(document: unknown): OrganizationTree {
  const withIds = (value: unknown): value is Array<{ Id: string; Name?: string }> => Array.isArray(value) && value.every((item) => typeof item?.Id === 'string');
  if (!isObject(document) || !withIds(document.Roots) || !Array.isArray(document.Parents)) throw new CommandError(TREE_FORMAT);
  const roots = new Map(document.Roots.map((root) => [root.Id, root.Name ?? root.Id]));
  const units = new Map<string, { name: string; parentId: string }>();
  const accountParents = new Map<string, string>();
  for (const parent of document.Parents) {
    if (!isObject(parent) || typeof parent.ParentId !== 'string' || !withIds(parent.OrganizationalUnits) || !withIds(parent.Accounts)) throw new CommandError(TREE_FORMAT);
    for (const unit of parent.OrganizationalUnits) units.set(unit.Id, { name: unit.Name ?? unit.Id, parentId: parent.ParentId });
    for (const account of parent.Accounts) accountParents.set(account.Id, parent.ParentId);
  }
  return { roots, units, accountParents };
}

/**
 * ACTIVE, or why an account cannot be deployed to: State when the listing has it, else the
 * older Status (where a closed account shows as SUSPENDED)
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html).
 */
function stateOf(account: ListedAccount): string {
  return account.State ?? account.Status ?? 'ACTIVE';
}
const inWords = (state: string): string => state.toLowerCase().replace(/_/g, ' ');

export function importAccounts(config: Config, listed: ListedAccount[], options: ImportOptions = {}): ImportResult {
  const defaults = enrollmentDefaults(config);
  const scope = enrollmentScope(config);
  const existing = new Map(config.accounts.map((account) => [account.accountId, account]));
  const names = new Set(config.accounts.map((account) => account.name.toLowerCase()));
  const wave = options.wave ?? defaults.wave;
  const region = options.region ?? defaults.region;
  const roleName = options.roleName === undefined ? defaults.roleName : options.roleName;
  const partition = partitionOf(region) ?? 'aws';
  // The organization's own accounts hold its trail and bucket, whatever the scope.
  const organizationAccounts = new Set([config.organization?.managementAccount, config.organization?.logArchiveAccount]);

  const added: AccountSettings[] = [];
  const kept: AccountSettings[] = [];
  const left: LeftAccount[] = [];
  const skipped: ImportResult['skipped'] = [];
  let outside = 0;
  const listedIds = new Set<string>();
  for (const account of [...listed].sort((a, b) => a.Id.localeCompare(b.Id))) {
    listedIds.add(account.Id);
    const state = stateOf(account);
    const known = existing.get(account.Id);
    const notInScope = outOfScope(account.Id, scope, options.tree);
    if (known) {
      kept.push(known);
      const reason = state !== 'ACTIVE' ? inWords(state) : organizationAccounts.has(known.name) ? undefined : notInScope && `outside the enrollment scope: ${notInScope}`;
      if (reason) left.push({ name: known.name, accountId: known.accountId, reason });
    } else if (state !== 'ACTIVE') skipped.push({ id: account.Id, name: account.Name, reason: inWords(state) });
    else if (notInScope) outside++;
    else {
      const name = uniqueName(stackName(account), account.Id, names);
      names.add(name.toLowerCase());
      added.push({ name, accountId: account.Id, region, ...(roleName ? { assumeRoleArn: roleArn(partition, account.Id, roleName) } : {}), wave });
    }
  }
  for (const account of config.accounts) {
    if (!listedIds.has(account.accountId)) {
      left.push({ name: account.name, accountId: account.accountId, reason: "no longer in the organization's account list: removed from it, or closed long enough ago that AWS no longer lists it" });
    }
  }
  return { config: { ...config, accounts: [...config.accounts, ...added] }, added, kept, left, skipped, outOfScope: outside };
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

/** One account as one line of JSON, `{ "name": "…", … }`: one added line per account in a diff. */
const oneLine = (account: AccountSettings): string => `{ ${Object.entries(account).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')} }`;

/**
 * `text` with `added` appended to its top-level `accounts` array, everything else as it was.
 * Falls back to the whole document re-serialized when the text cannot be followed (it always
 * can for JSON that parsed), checked against `merged`.
 */
export function withAccountsAppended(text: string, added: AccountSettings[], merged: Config): string {
  const whole = `${JSON.stringify(merged, null, 2)}\n`;
  const end = topLevelArrayEnd(text, 'accounts');
  if (end === undefined) return whole;
  const lineStart = text.lastIndexOf('\n', end.lastElementStart) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '    ';
  const inserted = added.map((account) => `,\n${indent}${oneLine(account)}`).join('');
  const result = `${text.slice(0, end.lastElementEnd)}${inserted}${text.slice(end.lastElementEnd)}`;
  return isDeepStrictEqual(JSON.parse(result.replace(/^\uFEFF/, '')), JSON.parse(JSON.stringify(merged))) ? result : whole;
}

/**
 * Where the last element of the top-level array `key` begins and ends, in valid JSON text whose
 * array holds objects (as `accounts` does). The array's key is the last string read at depth 1
 * before its `[`.
 */
function topLevelArrayEnd(text: string, key: string): { lastElementStart: number; lastElementEnd: number } | undefined {
  let depth = 0;
  let lastString: string | undefined;
  let inArray = false;
  let elementStart = 0;
  let last: { lastElementStart: number; lastElementEnd: number } | undefined;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '"') {
      const start = at;
      for (at++; text[at] !== '"'; at++) if (text[at] === '\\') at++;
      if (depth === 1 && !inArray) lastString = JSON.parse(text.slice(start, at + 1)) as string;
    } else if (char === '{' || char === '[') {
      if (char === '[' && depth === 1 && !inArray && lastString === key) inArray = true;
      else if (inArray && depth === 2) elementStart = at;
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
      if (inArray && depth === 1) return last;
      if (inArray && depth === 2) last = { lastElementStart: elementStart, lastElementEnd: at + 1 };
    }
  }
  return undefined;
}

export interface ImportFiles {
  /** `aws organizations list-accounts --output json`. */
  listAccounts: string;
  config: string;
  /** The organization tree (see TREE_FORMAT), when the scope names OUs. */
  organization?: string;
  options: Omit<ImportOptions, 'tree'>;
  dryRun: boolean;
}

export interface ImportOutcome extends ImportResult {
  /** The config's text before, and after (equal when nothing was added). */
  before: string;
  after: string;
  /** Names and IDs of the accounts that still need an external ID of their own. */
  externalIdsNeeded: Array<{ name: string; accountId: string }>;
  /** What import-accounts prints, line by line. */
  report: string[];
}

/** A JSON input's text and value, strictly read (a key given twice is refused); errors name the path, value and fix. */
function readJson(file: string, name: string, kind: string, unreadableFix: string): { text: string; json: unknown } {
  const text = readJsonText(file, { kind, name, unreadableFix });
  return { text, json: parseJsonText(text, name, kind) };
}

/** A config that is not this command's to fix: its own problems, as the loader words them. */
function refuse(file: string, issues: ConfigIssue[], when: string): never {
  throw new CommandError(formatIssues(`${file} ${when}`, issues, 'The config was not changed.'));
}

/** Reads the files, merges, validates, and writes the config unless nothing changed or it is a dry run. */
export function importFiles(files: ImportFiles): ImportOutcome {
  const name = displayPath(files.config);
  const { text: before, json } = readJson(files.config, name, 'config', 'name the config to merge into with --config FILE');
  // Datadog issues each account's external ID when the account is added there: new accounts
  // cannot have one yet, and synth refuses them until they do.
  const invalid = validateDocument(json, { allowMissingExternalIds: true });
  if (invalid.length > 0) refuse(name, invalid, '(before the import)');
  const config = json as Config;
  const listName = displayPath(files.listAccounts);
  const listed = listedAccounts(
    readJson(files.listAccounts, listName, 'list-accounts output', 'pass the file you saved `aws organizations list-accounts --output json` into').json,
    listName,
  );
  const scope = enrollmentScope(config);
  const tree = files.organization === undefined ? undefined : organizationTree(readJson(files.organization, displayPath(files.organization), 'organization tree', 'pass the tree npm run enroll -- --gather DIR wrote').json);
  if (scopeNeedsTree(scope) && tree === undefined) {
    throw new UsageError('the config\'s enrollment scope names OUs: pass the organization tree with --organization FILE (npm run enroll -- --gather DIR writes it)');
  }
  const wrongScope = scopeIssues(scope, tree, listed.map((account) => account.Id));
  if (wrongScope.length > 0) refuse(name, wrongScope, '(its enrollment scope, against the organization)');
  const waves = usedWaves(config.accounts);
  if (files.options.wave !== undefined && !waves.includes(files.options.wave)) {
    throw new UsageError(
      `--wave ${files.options.wave} is a wave no account uses: new accounts would deploy in a new GitHub environment, wave-${files.options.wave}, which nobody has protected; use one of ${waves.join(', ')}`,
    );
  }

  const result = importAccounts(config, listed, { ...files.options, tree });
  const issues = validateDocument(result.config, { allowMissingExternalIds: true });
  if (issues.length > 0) refuse(name, issues, '(after the import)');
  const after = result.added.length > 0 ? withAccountsAppended(before, result.added, result.config) : before;
  if (!files.dryRun && after !== before) writeFileSync(files.config, after);

  const needing = new Set(accountsNeedingExternalId(result.config as unknown as Record<string, unknown>));
  const externalIdsNeeded = result.config.accounts.filter((account) => needing.has(account.name)).map(({ name, accountId }) => ({ name, accountId }));
  const report = [
    ...result.added.map((account) => `+ ${account.name} (${account.accountId}) wave ${account.wave} in ${account.region}`),
    ...result.skipped.map((skip) => `- skipped ${skip.name ?? ''} (${skip.id}): ${skip.reason}`),
    ...result.left.map((account) => `! ${account.name} (${account.accountId}) left: ${account.reason}. It stays in the config until you retire it (docs/ROLLOUT.md, Retiring an account).`),
    `${result.added.length} added, ${result.kept.length} already in the config, ${result.left.length} left, ${result.skipped.length} skipped${result.outOfScope > 0 ? `, ${result.outOfScope} outside the enrollment scope` : ''}.`,
    ...(after === before ? [] : [files.dryRun ? `Would write ${name} (--dry-run: not written).` : `Wrote ${name}.`]),
    ...(externalIdsNeeded.length > 0
      ? [
          `${externalIdsNeeded.length} account(s) still need their own external ID before synth accepts the config: ${externalIdsNeeded.map((account) => account.name).join(', ')}.`,
          `For each: ${EXTERNAL_ID_SOURCE}.`,
        ]
      : []),
  ];
  return { ...result, before, after, externalIdsNeeded, report };
}

const USAGE = `Usage: npm run import-accounts -- LIST_ACCOUNTS_JSON --config FILE [--organization TREE_JSON]
         [--wave N] [--region R] [--role-name NAME | --no-assume-role] [--dry-run]

Merges the output of \`aws organizations list-accounts --output json\` into the config FILE:
existing entries stay as they are; new active accounts inside the config's enrollment scope
get a unique stack name, a region, a deploy role and a wave some account already uses (never
a new wave: its GitHub environment would have no reviewers); suspended and closed new accounts
are skipped. Accounts of the config that left (suspended, closed, gone from the list, outside
the scope) are reported, never removed. The new entries are appended to the file's accounts,
one line each. The config is written only if the result passes every check but one: the new
accounts' external IDs, which Datadog issues per account and which the import cannot know.
Synth refuses the config until each new account has its own (the command lists them). Needs
no AWS credentials.

Options:
  --config FILE           the config to merge into (default: $DD_CLOUDTRAIL_CONFIG; one of them
                          is required)
  --organization FILE     the organization's roots, OUs and their accounts, required when
                          enrollment.organizationalUnits or excludeOrganizationalUnits is set
                          (npm run enroll -- --gather DIR writes it)
  --wave N                wave of the new accounts, one in use (default: enrollment.wave, else
                          the highest wave)
  --region R              region of the new accounts' stacks (default: enrollment.region, else
                          the management account's)
  --role-name NAME        role Terraform assumes in each new account (default: enrollment.roleName,
                          else OrganizationAccountAccessRole)
  --no-assume-role        new accounts get no assumeRoleArn
  --dry-run               print what would change, write nothing
  -h, --help              show this help
`;

const COMMAND: CommandSpec = {
  name: 'import-accounts',
  usage: USAGE,
  options: {
    config: { type: 'string' },
    organization: { type: 'string' },
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
  const organization = args.string('organization');
  const outcome = importFiles({
    listAccounts: userPath(args.positionals[0]),
    config: configFile(args).file,
    organization: organization === undefined ? undefined : userPath(organization),
    options: options(args),
    dryRun: args.flag('dry-run'),
  });
  for (const line of outcome.report) console.log(line);
  return 0;
}

if (require.main === module) runCommand(COMMAND, main);
