/**
 * `npm run check -- [DIR] [--config FILE] [--json]`: the security rule table over every
 * `<stack>/cdk.tf.json` in DIR (default cdktf.out/stacks). With the config, a violation one of
 * its switches explains is reported as opted out; without one, switches have their defaults.
 * Exits 0 when every applicable rule holds, 1 on a violation, 2 on unusable input.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors';
import { loadConfig } from '../config/load';
import { checkStacksDir, summaryLine, violationLine } from './check/engine';
import { CheckInputError } from './check/errors';

const USAGE = `usage: npm run check -- [DIR] [--config FILE] [--json]
  DIR            directory of <stack>/cdk.tf.json (default cdktf.out/stacks)
  --config FILE  the config the stacks were synthesized from: its switches explain opted-out rules
  --json         the report as JSON
exit status: 0 every applicable rule holds, 1 a rule is broken, 2 unusable input`;

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    if (args.positionals.length > 1) throw new Error(`unexpected argument ${args.positionals[1]}`);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const dir = args.positionals[0] ?? path.join('cdktf.out', 'stacks');
  try {
    const config = args.values.config === undefined ? undefined : loadConfig(args.values.config);
    const report = checkStacksDir(dir, config);
    if (args.values.json) console.log(JSON.stringify(report, null, 2));
    else {
      report.violations.forEach((v) => console.log(violationLine(v)));
      console.log(summaryLine(report));
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof CheckInputError)) throw error;
    console.error(error.message);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
