/**
 * The command line of every script, parsed strictly with node's util.parseArgs: an unknown
 * option, a missing value, a repeated option or an unexpected positional argument is a usage
 * error (exit 1, the usage on stderr, nothing written); `--help`/`-h` prints the usage and
 * exits 0. Messages name the option as the user wrote it.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { closest, ConfigError } from '../config/errors';

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
  /**
   * How many positional arguments the command takes, and what they are for the message that
   * one is missing ("plan or apply"). @default { min: 0, max: 0 }
   */
  positionals?: { min: number; max: number; what?: string };
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
  const { min, max, what } = spec.positionals ?? { min: 0, max: 0 };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: negativeValues(spec, argv),
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
  if (positionals.length < min) throw new UsageError(`Missing argument: ${what ?? `${min} expected, ${positionals.length} given`}`);

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

/**
 * `--wave -1` as `--wave=-1`: util.parseArgs takes a value that starts with a dash for an
 * option ("argument is ambiguous"), so the option's own check could not say what is wrong
 * with the number. Only a number is joined: `--role-name --wave 3` stays ambiguous.
 */
function negativeValues(spec: CommandSpec, argv: string[]): string[] {
  const takesValue = (token: string): boolean => {
    const long = /^--([^=]+)$/.exec(token)?.[1];
    if (long !== undefined) return spec.options[long]?.type === 'string';
    const short = /^-([A-Za-z])$/.exec(token)?.[1];
    return short !== undefined && Object.values(spec.options).some((option) => option.short === short && option.type === 'string');
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (takesValue(argv[i]) && /^-\d/.test(argv[i + 1] ?? '')) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/**
 * The folder the user's relative paths start from. npm runs every script from the project
 * root, whatever folder it was called in, and keeps that folder in INIT_CWD: "Scripts are run
 * from the root of the package folder, regardless of what the current working directory is
 * when npm run is called. [...] you can use the INIT_CWD environment variable, which holds the
 * full path you were in when you ran npm run."
 * (https://docs.npmjs.com/cli/v10/commands/npm-run-script#description). INIT_CWD counts only
 * for the script npm started: a process started otherwise (a test, `node`, `npx ts-node`)
 * may have inherited it, and runs in a folder of its own.
 */
export function userDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const startedByNpm = env.INIT_CWD && env.npm_package_json && path.dirname(env.npm_package_json) === cwd;
  return startedByNpm ? (env.INIT_CWD as string) : cwd;
}

/** A path as the user wrote it on the command line, from the folder they ran the command in. */
export function userPath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(userDir(env), file);
}

/** `file` for messages: from the folder the user ran the command in when it is inside it, else in full. */
export function displayPath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const relative = path.relative(userDir(env), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The environment variable that names the config, for every command that reads one. */
export const CONFIG_ENV = 'DD_CLOUDTRAIL_CONFIG';

export interface ConfigChoice {
  /** The config file, resolved from the folder the user ran the command in. */
  file: string;
  /** How it was chosen, for the line that says which config a command used. */
  source: 'option' | 'environment' | 'default';
}

/**
 * The config a command reads, chosen the same way by every command: `--config FILE`, else
 * $DD_CLOUDTRAIL_CONFIG, else (only where `fallback` names one, by its full path: synth's
 * documented default) that file. Without any, a UsageError: a command that lists, shards or compares stacks must
 * never silently read the example instead of the user's config.
 */
export function configFile(args: CommandLine, options: { fallback?: string } = {}, env: NodeJS.ProcessEnv = process.env): ConfigChoice {
  const named = namedConfigFile(args, env);
  if (named) return named;
  if (options.fallback) return { file: options.fallback, source: 'default' };
  throw new UsageError(`No config named. ${NAME_THE_CONFIG}`);
}

/** configFile for a command that also runs without a config (npm run check): undefined when none is named. */
export function namedConfigFile(args: CommandLine, env: NodeJS.ProcessEnv = process.env): ConfigChoice | undefined {
  const option = args.string('config');
  if (option !== undefined) {
    if (option.trim() === '') {
      throw new UsageError(`${args.written('config')} names no file (its value is empty). ${NAME_THE_CONFIG}`);
    }
    return { file: userPath(option, env), source: 'option' };
  }
  const variable = env[CONFIG_ENV];
  return variable ? { file: userPath(variable, env), source: 'environment' } : undefined;
}

const NAME_THE_CONFIG =
  `Name your config with --config FILE or ${CONFIG_ENV}=FILE; in GitHub Actions, set the repository ` +
  `variable ${CONFIG_ENV} to its path (docs/REVIEWING.md, "Wiring the workflows").`;

/** The usage line of `--config` in the commands that need a config. */
export const CONFIG_OPTION_USAGE = `  --config FILE   the config file (default: $${CONFIG_ENV}; one of them is required)`;

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
