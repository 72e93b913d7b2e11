/**
 * `npm run synth`: validate the config named by DD_CLOUDTRAIL_CONFIG (default
 * examples/single-account.json), write one Terraform stack per account to cdktf.out, then run
 * the security rule table on them: it lists the rules the config opts out of, and fails the
 * synth on a violation that no config switch explains.
 */
import * as path from 'node:path';
import { ConfigError } from './config/errors';
import { DEFAULT_CONFIG } from './config/load';
import { SecurityCheckError, verifySynthesizedStacks } from './scripts/check/at-synth';
import { synthesize } from './stacks/app';

function main(): void {
  const file = process.env.DD_CLOUDTRAIL_CONFIG || DEFAULT_CONFIG;
  try {
    const config = synthesize(file);
    console.log(`Synthesized ${config.accounts.length} stack(s) from ${file}: ${config.accounts.map((a) => a.name).join(', ')}`);
    // Where cdktf's App writes (node_modules/cdktf/lib/app.js): the cdktf CLI sets CDKTF_OUTDIR.
    verifySynthesizedStacks(path.join(process.env.CDKTF_OUTDIR || 'cdktf.out', 'stacks'), config);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof SecurityCheckError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}

main();
