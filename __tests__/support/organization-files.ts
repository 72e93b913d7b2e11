/**
 * The input files of an import into support/organization-listing.ts's organization, written to
 * temporary files, for the import-accounts specifications (import-accounts.test.ts in process,
 * processes/import-accounts.test.ts as the command).
 */
import type { Config } from '../../config/types';
import { writeConfig } from './configs';
import { LISTED, organizationConfig, TREE } from './organization-listing';

/** The config, the account list and the OU tree as files, as `importFiles` takes them. */
export const organizationFiles = (config: Config = organizationConfig(), listed: unknown = LISTED, tree: unknown = TREE) => ({
  config: writeConfig(config),
  listAccounts: writeConfig(listed),
  organization: writeConfig(tree),
  options: {},
  dryRun: false,
});
