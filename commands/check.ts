/**
 * `npm run check -- [DIR] [--config FILE] [--json]`: the security rule table over every
 * `<stack>/cdk.tf.json` in DIR (default cdktf.out/stacks). With the config, a violation one of
 * its switches explains is reported as opted out; without one, switches have their defaults.
 * Exits 0 when every applicable rule holds, 1 on a violation, 2 on unusable input.
 */
import * as path from 'node:path';
import { ConfigError } from '../config/errors';
import { loadConfig } from '../config/load';
import { checkStacksDir, summaryLine, violationLine } from '../rules/engine';
import { CheckInputError } from '../rules/errors';
import { displayPath, namedConfigFile, runCommand, userPath } from './cli';

const USAGE = `Usage: npm run check -- [DIR] [--config FILE] [--json]

Runs the security rule table over every <stack>/cdk.tf.json in DIR.

Arguments:
  DIR             directory of <stack>/cdk.tf.json (default cdktf.out/stacks)

Options:
  --config FILE   the config the stacks were synthesized from (default: $DD_CLOUDTRAIL_CONFIG, if
                  set): its switches explain opted-out rules
  --json          the report as JSON
  -h, --help      show this help

Exit status: 0 every applicable rule holds, 1 a rule is broken, 2 unusable input (a bad
option included: 1 would read as a broken rule).
`;

runCommand(
  { name: 'check', usage: USAGE, options: { config: { type: 'string' }, json: { type: 'boolean' } }, positionals: { min: 0, max: 1 }, usageExitCode: 2 },
  (args) => {
    const dir = args.positionals[0] === undefined ? path.join('cdktf.out', 'stacks') : userPath(args.positionals[0]);
    try {
      const config = namedConfigFile(args);
      const report = checkStacksDir(dir, config && loadConfig(config.file, displayPath(config.file)));
      if (args.flag('json')) console.log(JSON.stringify(report, null, 2));
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
  },
);
