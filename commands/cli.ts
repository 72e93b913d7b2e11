/**
 * The command line of every script, parsed strictly with node's util.parseArgs: an unknown
 * option, a missing value, a repeated option or an unexpected positional argument is a usage
 * error (exit 1, the usage on stderr, nothing written); `--help`/`-h` prints the usage and
 * exits 0. Messages name the option as the user wrote it.
 */
import { parseArgs } from 'node:util';
import { closest, ConfigError } from '../config/errors';
import { DEFAULT_CONFIG } from '../config/load';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export interface CommandSpec {
  /** The script's name in messages: `npm run <name>`. */
  name: string;
  /** Printed for --help and after every usage error. */
  usage: string;
  /** Options other than --help. */
  options: Record<string, OptionSpec>;
  /** How many positional arguments the command takes. @default { min: 0, max: 0 } */
  positionals?: { min: number; max: number };
  /** The exit code of a usage error, for a command whose 1 means something else. @default 1 */
  usageExitCode?: number;
}

/** A failure the user can act on: printed as its message alone, exit 1. */
export class CommandError extends Error {}

/** A command line the user must fix; its message names what was wrong. Printed with the usage. */
export class UsageError extends CommandError {}

export interface CommandLine {
  positionals: string[];
  /** The value of a string option, if given. */
  string(name: string): string | undefined;
  /** Whether a boolean option was given. */
  flag(name: string): boolean;
  /** A string option that must be a whole number >= 1 (a wave, a count). */
  positiveInteger(name: string): number | undefined;
  /** A string option that must be a duration, a whole number from 1 and s, m or h (`90s`, `30m`), in seconds. */
  seconds(name: string): number | undefined;
  /** The option as the user wrote it (`--wave`, `-w`), for messages. */
  written(name: string): string;
}

/** Parses `argv`; 'help' when --help was asked for. Throws UsageError. */
export function parseCommandLine(spec: CommandSpec, argv: string[]): CommandLine | 'help' {
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    // Node's messages name the option as written ("Unknown option '--wav'"); the rest of
    // the unknown-option message is about positionals, which confuses more than it helps.
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    const unknown = /^Unknown option '(--[^']+)'/.exec(message)?.[1];
    const guess = unknown && closest(unknown.slice(2).split('=')[0], Object.keys(spec.options));
    throw new UsageError(guess ? `${message}: did you mean --${guess}?` : message);
  }
  const { values, positionals, tokens = [] } = parsed;
  if (values.help) return 'help';

  const written = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (written.has(token.name)) throw new UsageError(`${token.rawName} is given more than once`);
    written.set(token.name, token.rawName);
  }
  if (positionals.length > max) {
    const extra = positionals[max];
    throw new UsageError(
      max === 0 ? `Unexpected argument ${JSON.stringify(extra)}: this command takes options only` : `Unexpected argument ${JSON.stringify(extra)}`,
    );
  }
  if (positionals.length < min) throw new UsageError(`Missing argument: ${min} expected, ${positionals.length} given`);

  const nameOf = (name: string): string => written.get(name) ?? `--${name}`;
  const string = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    positionals,
    string,
    flag: (name) => values[name] === true,
    written: nameOf,
    positiveInteger(name) {
      const value = string(name);
      if (value === undefined) return undefined;
      if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${nameOf(name)} takes a whole number from 1 (1, 2, ...), got ${JSON.stringify(value)}`);
      return Number(value);
    },
    seconds(name) {
      const value = string(name);
      if (value === undefined) return undefined;
      const match = /^([1-9]\d*)([smh])$/.exec(value);
      if (!match) throw new UsageError(`${nameOf(name)} takes a duration: a whole number from 1 and s, m or h (90s, 30m, 1h), got ${JSON.stringify(value)}`);
      return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
    },
  };
}

/** `--config FILE`, else DD_CLOUDTRAIL_CONFIG, else the single-account example. */
export function configFile(args: CommandLine, env: NodeJS.ProcessEnv = process.env): string {
  return args.string('config') ?? (env.DD_CLOUDTRAIL_CONFIG || DEFAULT_CONFIG);
}

/** The usage line of `--config`, the same in every command that reads a config. */
export const CONFIG_OPTION_USAGE = `  --config FILE   the config file (default: $DD_CLOUDTRAIL_CONFIG, else ${DEFAULT_CONFIG})`;

/**
 * Parses the process's arguments and runs `main` with them; its result is the exit code. A
 * UsageError, from parsing or from `main`, exits 1 (or `usageExitCode`) with the usage; a ConfigError or a
 * CommandError exits 1 with its message; anything else is a bug, and exits 1 with its stack.
 */
export function runCommand(spec: CommandSpec, main: (args: CommandLine) => number | Promise<number>): void {
  const fail = (error: unknown): void => {
    if (error instanceof UsageError) console.error(`npm run ${spec.name}: ${error.message}\n\n${spec.usage.trimEnd()}`);
    else if (error instanceof ConfigError || error instanceof CommandError) console.error(error.message);
    else console.error(error instanceof Error ? error.stack : String(error));
    process.exitCode = error instanceof UsageError ? (spec.usageExitCode ?? 1) : 1;
  };
  let args: CommandLine | 'help';
  try {
    args = parseCommandLine(spec, process.argv.slice(2));
  } catch (error) {
    fail(error);
    return;
  }
  if (args === 'help') {
    process.stdout.write(`${spec.usage.trimEnd()}\n`);
    return;
  }
  const parsed = args;
  Promise.resolve()
    .then(() => main(parsed))
    .then((code) => {
      process.exitCode = code;
    }, fail);
}
