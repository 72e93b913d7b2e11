/**
 * `npm run synth`: validate the config named by DD_CLOUDTRAIL_CONFIG (default
 * examples/single-account.json), then write one Terraform stack per account to cdktf.out.
 */
import { ConfigError } from './config/errors';
import { DEFAULT_CONFIG } from './config/load';
import { synthesize } from './stacks/app';

function main(): void {
  const file = process.env.DD_CLOUDTRAIL_CONFIG || DEFAULT_CONFIG;
  try {
    const config = synthesize(file);
    console.log(`Synthesized ${config.accounts.length} stack(s) from ${file}: ${config.accounts.map((a) => a.name).join(', ')}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}

main();
