/**
 * `npm run synth -- [--config FILE]`: validate the config (--config, else $DD_CLOUDTRAIL_CONFIG,
 * else examples/single-account.json, the README's first command), then replace cdktf.out with
 * one Terraform stack per account.
 */
import * as path from 'node:path';
import { CONFIG_ENV, type ConfigChoice, configFile, displayPath, runCommand } from './commands/cli';
import { synthesize, SynthError } from './synth/synth';
import { ConfigError, formatIssues } from './config/errors';
import { DEFAULT_CONFIG } from './config/load';
import { capacityWarnings } from './config/forwarder-capacity';
import { alertingWarnings } from './config/alerting';
import { configWarnings } from './config/warnings';

const USAGE = `Usage: npm run synth -- [--config FILE]

Validates the config, then writes one Terraform stack per account to
cdktf.out/stacks/<account name>/cdk.tf.json, replacing whatever an earlier synth wrote there.
An invalid config, or a synth that fails, writes nothing and leaves cdktf.out as it was.
Synth only replaces a folder it wrote (docs/DEPLOYING.md, "The output folder").

Options:
  --config FILE   the config file (default: $${CONFIG_ENV}, else ${DEFAULT_CONFIG}); a
                  relative path starts from the folder you run npm in
  -h, --help      show this help
`;

/** At most this many stack names in the closing line; a 20,000-account config has 20,000. */
const NAMES_SHOWN = 10;

/** Which config was read, and why: the example is only ever read when nothing else was named. */
function describeChoice(choice: ConfigChoice, shown: string): string {
  if (choice.source === 'option') return shown;
  if (choice.source === 'environment') return `${shown} ($${CONFIG_ENV})`;
  return `${shown} (the example: no --config and no $${CONFIG_ENV})`;
}

function stackSummary(names: string[]): string {
  const listed = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${listed} and ${names.length - NAMES_SHOWN} more (npm run stacks lists them)` : listed;
}

runCommand({ name: 'synth', usage: USAGE, options: { config: { type: 'string' } } }, (args) => {
  // The example is the project's, wherever the command runs from.
  const choice = configFile(args, { fallback: path.join(__dirname, DEFAULT_CONFIG) });
  const shown = displayPath(choice.file);
  try {
    const config = synthesize(choice.file, { name: shown });
    const names = config.accounts.map((account) => account.name);
    console.log(`Synthesized ${names.length} stack(s) from ${describeChoice(choice, shown)}: ${stackSummary(names)}`);
    for (const warning of [...configWarnings(config), ...capacityWarnings(config), ...alertingWarnings(config)]) console.warn(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    if (error instanceof SynthError) {
      console.error(error.message);
      return 1;
    }
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${formatIssues(error.file, error.issues, 'No Terraform was written.')}\nThe previous output, if any, was left as it was.`);
    return 1;
  }
});
