/**
 * `npm run stacks -- [--wave N] [--config FILE]`: the stack names of a roll-out wave (or of
 * every wave), one a line, in deploy order, to feed `cdktf deploy` or a CI matrix:
 *
 *   for stack in $(npm run --silent stacks -- --wave 1); do npx cdktf deploy "$stack"; done
 */
import { ConfigError } from '../config/errors';
import { DEFAULT_CONFIG, loadConfig } from '../config/load';
import { deployOrder } from '../config/topology';

function main(args: string[]): number {
  const waveAt = args.indexOf('--wave');
  const configAt = args.indexOf('--config');
  const wave = waveAt >= 0 ? Number(args[waveAt + 1]) : undefined;
  if (wave !== undefined && !(Number.isInteger(wave) && wave >= 1)) {
    console.error(`--wave takes a wave number (1, 2, ...), got ${JSON.stringify(args[waveAt + 1])}`);
    return 1;
  }
  const file = configAt >= 0 ? args[configAt + 1] : process.env.DD_CLOUDTRAIL_CONFIG || DEFAULT_CONFIG;
  try {
    const config = loadConfig(file);
    for (const account of deployOrder(config)) if (wave === undefined || account.wave === wave) console.log(account.name);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
