/**
 * `npm run lint`: ESLint with eslint.config.mjs. ESLint runs in a child process, as `npm run
 * lint` runs it: it loads its config with import(), which jest's module sandbox does not allow.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintMessage {
  line: number;
  ruleId: string | null;
  message: string;
}

/** ESLint's findings on `source`, linted as if it were `file` of the repository. */
function lint(source: string, file: string): LintMessage[] {
  const result = spawnSync(process.execPath, [ESLINT, '--format', 'json', '--stdin', '--stdin-filename', file], { cwd: ROOT, input: source, encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`eslint exited ${result.status}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as Array<{ messages: LintMessage[] }>)[0].messages;
}

describe('npm run lint', () => {
  const source = [
    '// eslint-disable-next-line no-debugger',
    'debugger;',
    '// eslint-disable-next-line no-debugger -- the reason, on the same line',
    'debugger;',
    '// eslint-disable-next-line no-console -- silences nothing',
    'export const answer = 42;',
    'export const loose: any = answer;',
    '',
  ].join('\n');
  let messages: LintMessage[];
  beforeAll(() => {
    messages = lint(source, 'commands/example.ts');
  });
  const on = (line: number) => messages.filter((message) => message.line === line).map((message) => message.ruleId ?? message.message);

  test("refuses a disable comment that gives no reason after ' -- '", () => {
    expect(on(1)).toEqual(['@eslint-community/eslint-comments/require-description']);
  });

  test('accepts a disable comment with its reason on the same line', () => {
    expect(on(3)).toEqual([]);
    expect(on(4)).toEqual([]);
  });

  test('refuses a disable comment that silences nothing', () => {
    expect(on(5)).toEqual([expect.stringContaining('Unused eslint-disable directive')]);
  });

  test("applies typescript-eslint's recommended rules to TypeScript", () => {
    expect(on(7)).toEqual(['@typescript-eslint/no-explicit-any']);
  });

  test('lints every TypeScript and JavaScript file git tracks', () => {
    const tracked = spawnSync('git', ['ls-files', '*.ts', '*.js', '*.mjs', '*.cjs'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    const script = `const { ESLint } = require('eslint');
      const eslint = new ESLint();
      const files = JSON.parse(process.argv[1]);
      // No config for a file: ignored, or matched by no \`files\` pattern. Either way, not linted.
      Promise.all(files.map((file) => eslint.calculateConfigForFile(file))).then((configs) => console.log(JSON.stringify(files.filter((_, i) => !configs[i]))));`;
    const result = spawnSync(process.execPath, ['-e', script, JSON.stringify(tracked)], { cwd: ROOT, encoding: 'utf8' });

    expect(tracked).toContain('eslint.config.mjs');
    expect(tracked).toContain('synth/register.js');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
