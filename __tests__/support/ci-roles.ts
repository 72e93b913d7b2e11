/** The example the CI roles' tests read, in process and as processes: organization-managed.json. */
import * as path from 'node:path';
import type { ResolvedGitHub } from '../../config/github';
import { loadConfig } from '../../config/load';

/** The example with a github section: the CI roles in a tooling account. */
export const MANAGED = path.join(__dirname, '..', '..', 'examples', 'organization-managed.json');
/** Its github.oidcAccount, the tooling account of the CI roles. */
export const CI = '999999999999';
/** Its organization's management account. */
export const MANAGEMENT = '111111111111';

export const example = loadConfig(MANAGED);
export const github = example.github as ResolvedGitHub;
