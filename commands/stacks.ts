/**
 * `npm run stacks -- [--wave N] [--json] [--config FILE]`: the stacks of a roll-out wave (or
 * of every wave) in deploy order, to feed `cdktf deploy`, a shell loop or a CI matrix.
 */
import { loadConfig } from '../config/load';
import { deployOrder } from '../config/topology';
import { configWarnings } from '../config/warnings';
import { CONFIG_OPTION_USAGE, configFile, displayPath, runCommand } from './cli';

const USAGE = `Usage: npm run stacks -- [--wave N] [--json] [--config FILE]

The stacks of the config in deploy order (wave by wave; in a wave, the log-archive account
before the management account), one name a line:

  for stack in $(npm run --silent stacks -- --wave 1); do (cd cdktf.out/stacks/$stack && terraform init && terraform apply); done

Options:
  --wave N        only the stacks of the accounts whose wave is N (accounts[].wave). A wave
                  with no stacks prints nothing (with --json: []), says so on stderr, exit 0.
  --json          print [{"name", "wave", "accountId", "region"}, ...] instead
${CONFIG_OPTION_USAGE}
  -h, --help      show this help
`;

export interface StackEntry {
  name: string;
  wave: number;
  accountId: string;
  region: string;
}

runCommand(
  { name: 'stacks', usage: USAGE, options: { wave: { type: 'string' }, json: { type: 'boolean' }, config: { type: 'string' } } },
  (args) => {
    const wave = args.positiveInteger('wave');
    const chosen = configFile(args).file;
    const file = displayPath(chosen);
    const config = loadConfig(chosen, file);
    for (const warning of configWarnings(config)) console.error(`Warning: ${warning}`);
    const stacks: StackEntry[] = deployOrder(config)
      .filter((account) => wave === undefined || account.wave === wave)
      .map(({ name, wave: accountWave, accountId, region }) => ({ name, wave: accountWave, accountId, region }));
    if (stacks.length === 0) console.error(`No stacks in wave ${wave} of ${file}.`);
    if (args.flag('json')) console.log(JSON.stringify(stacks));
    else for (const stack of stacks) console.log(stack.name);
    return 0;
  },
);
