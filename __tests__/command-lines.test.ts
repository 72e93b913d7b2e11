/**
 * The strict command-line parser every script uses (commands/cli.ts): a typo, a missing value
 * or a stray argument is refused with what is wrong; --help is answered. What each script does
 * with a bad command line (exit 1, the usage, nothing written) is in
 * processes/command-lines.test.ts.
 */
import { type CommandSpec, parseCommandLine, UsageError } from '../commands/cli';

const IMPORT: CommandSpec = {
  name: 'import-accounts',
  usage: 'Usage: ...',
  options: { wave: { type: 'string' }, 'role-name': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
};
const usageError = (argv: string[]): string => {
  try {
    parseCommandLine(IMPORT, argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
};

describe('parseCommandLine', () => {
  test('reads options and positionals', () => {
    const args = parseCommandLine(IMPORT, ['accounts.json', '--wave=3', '--role-name', 'Deploy', '--dry-run']);
    expect(args).not.toBe('help');
    if (args === 'help') return;
    expect([args.positionals, args.positiveInteger('wave'), args.string('role-name'), args.flag('dry-run')]).toEqual([
      ['accounts.json'],
      3,
      'Deploy',
      true,
    ]);
  });

  test('refuses an unknown option, suggesting the one meant', () => {
    expect(usageError(['a.json', '--dryrun'])).toBe("Unknown option '--dryrun': did you mean --dry-run?");
  });

  test('refuses an option as the value of another (`--role-name --wave 3`)', () => {
    expect(usageError(['a.json', '--role-name', '--wave', '3'])).toMatch(/^Option '--role-name' argument is ambiguous/);
  });

  test('refuses an option without its value', () => {
    expect(usageError(['a.json', '--wave'])).toBe("Option '--wave <value>' argument missing");
  });

  test('refuses a value that is not a wave, naming the option as written', () => {
    const args = parseCommandLine(IMPORT, ['a.json', '--wave=2x']);
    if (args === 'help') throw new Error('help');
    expect(() => args.positiveInteger('wave')).toThrow('--wave takes a whole number from 1 (1, 2, ...), got "2x"');
  });

  test('reads a duration in seconds (90s, 30m, 1h), and refuses one without its unit', () => {
    const spec: CommandSpec = { name: 'shard', usage: 'Usage: ...', options: { timeout: { type: 'string' } } };
    const seconds = (value: string) => {
      const args = parseCommandLine(spec, [`--timeout=${value}`]);
      if (args === 'help') throw new Error('help');
      return args.seconds('timeout');
    };

    expect(['90s', '30m', '1h'].map(seconds)).toEqual([90, 1800, 3600]);
    expect(() => seconds('30')).toThrow('--timeout takes a duration: a whole number from 1 and s, m or h (90s, 30m, 1h), got "30"');
  });

  test('refuses an option given twice', () => {
    expect(usageError(['a.json', '--wave', '1', '--wave', '2'])).toBe('--wave is given more than once');
  });

  test('refuses an extra positional argument, and a missing one', () => {
    expect(usageError(['a.json', '2'])).toBe('Unexpected argument "2"');
    expect(usageError([])).toBe('Missing argument: 1 expected, 0 given');
  });

  test('answers --help and -h with help, whatever else is there', () => {
    expect(parseCommandLine(IMPORT, ['--help'])).toBe('help');
    expect(parseCommandLine(IMPORT, ['-h', 'a.json'])).toBe('help');
  });
});
