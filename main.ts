/**
 * `npm run synth -- [--config FILE]`: validate the config (default $DD_CLOUDTRAIL_CONFIG,
 * else examples/single-account.json), then replace cdktf.out with one Terraform stack per
 * account.
 */
import { CONFIG_OPTION_USAGE, configFile, runCommand } from './commands/cli';
import { synthesize, SynthError } from './synth/synth';
import { ConfigError } from './config/errors';
import { capacityWarnings } from './config/forwarder-capacity';
import { alertingWarnings } from './config/alerting';

const USAGE = `Usage: npm run synth -- [--config FILE]

Validates the config, then writes one Terraform stack per account to
cdktf.out/stacks/<account name>/cdk.tf.json, replacing whatever an earlier synth wrote there.
An invalid config, or a synth that fails, writes nothing and leaves cdktf.out as it was.

Options:
${CONFIG_OPTION_USAGE}
  -h, --help      show this help
`;

runCommand({ name: 'synth', usage: USAGE, options: { config: { type: 'string' } } }, (args) => {
  const file = configFile(args);
  try {
    const config = synthesize(file);
    console.log(`Synthesized ${config.accounts.length} stack(s) from ${file}: ${config.accounts.map((a) => a.name).join(', ')}`);
    for (const warning of [...capacityWarnings(config), ...alertingWarnings(config)]) console.warn(`Warning: ${warning}`);
    return 0;
  } catch (error) {
    if (error instanceof SynthError) {
      console.error(error.message);
      return 1;
    }
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\nThe previous output, if any, was left as it was.`);
    return 1;
  }
});
