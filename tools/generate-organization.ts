/**
 * A synthetic organization config of N member accounts, for the scale test and the
 * benchmark: `npm run generate-organization -- <members> <out.json>`.
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/types';
import { CommandError, runCommand, UsageError, userPath } from '../commands/cli';

export function generateOrganization(members: number): Config {
  const account = (name: string, id: number, wave: number) => ({
    name,
    accountId: String(id).padStart(12, '0'),
    // Stands in for the ID Datadog issues for each account: unique, and 32 lowercase hex.
    externalId: createHash('md5').update(String(id)).digest('hex'),
    region: 'us-east-1',
    assumeRoleArn: `arn:aws:iam::${String(id).padStart(12, '0')}:role/OrganizationAccountAccessRole`,
    wave,
  });
  return {
    datadog: {
      site: 'datadoghq.com',
      apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:200000000000:secret:datadog-api-key-AbCdEf',
    },
    trail: { name: 'org-trail', bucketName: 'acme-org-cloudtrail-{accountId}' },
    organization: { id: 'o-a1b2c3d4e5', managementAccount: 'management', logArchiveAccount: 'log-archive' },
    accounts: [
      account('log-archive', 200000000000, 1),
      account('management', 100000000000, 1),
      // A canary wave of ten, then the rest in two halves.
      ...Array.from({ length: members }, (_, i) => account(`member-${i + 1}`, 300000000000 + i, i < 10 ? 1 : i < members / 2 ? 2 : 3)),
    ],
  };
}

const USAGE = `Usage: npm run generate-organization -- MEMBERS OUT_JSON [--force]

Writes a synthetic organization config of MEMBERS member accounts (plus the management and
log-archive accounts) to OUT_JSON, for the scale test and the benchmark. An existing OUT_JSON
(your own config, perhaps) is left alone unless --force.

Options:
  --force         replace OUT_JSON if it exists
  -h, --help      show this help
`;

if (require.main === module) {
  runCommand({ name: 'generate-organization', usage: USAGE, options: { force: { type: 'boolean' } }, positionals: { min: 2, max: 2, what: 'MEMBERS OUT_JSON' } }, (args) => {
    const [members, written] = args.positionals;
    if (!/^[1-9]\d*$/.test(members)) throw new UsageError(`MEMBERS takes a whole number from 1, got ${JSON.stringify(members)}`);
    const out = userPath(written);
    if (existsSync(out) && !args.flag('force')) throw new CommandError(`${written} exists and was left as it was: name a new file, or add --force to replace it.`);
    writeFileSync(out, `${JSON.stringify(generateOrganization(Number(members)), null, 2)}\n`);
    return 0;
  });
}
