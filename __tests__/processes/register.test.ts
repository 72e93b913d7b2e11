/**
 * synth/register.js, the transpile cache of `npm run synth` and `npm run check`. It installs
 * a require hook, so it runs in a child Node process here, not in jest's module system.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/configs';

const REGISTER = path.join(__dirname, '..', '..', 'synth', 'register.js');

/** Runs `body` in Node with `register` bound to synth/register.js's exports; returns what it prints as JSON. */
function inNode(body: string): unknown {
  const run = spawnSync(process.execPath, ['-e', `const register = require(${JSON.stringify(REGISTER)}); ${body}`], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const key = (tsconfig: string, source = 'export const a = 1;') =>
  inNode(`console.log(JSON.stringify(register.cacheKey(${JSON.stringify({ typescriptVersion: '5.9.3', tsconfig, filename: '/repo/a.ts', source })})))`);

describe('the transpile cache', () => {
  const TSCONFIG = '{"compilerOptions":{"target":"ES2022"}}';

  test('finds the entry of an unchanged source, TypeScript version and tsconfig.json again', () => {
    expect(key(TSCONFIG)).toBe(key(TSCONFIG));
  });

  test('misses when the source changes', () => {
    expect(key(TSCONFIG, 'export const a = 2;')).not.toBe(key(TSCONFIG));
  });

  test('misses when tsconfig.json changes, whose compiler options shape the JavaScript', () => {
    expect(key('{"compilerOptions":{"target":"ES2020"}}')).not.toBe(key(TSCONFIG));
  });

  test('writes an entry whole and leaves no temporary file beside it', () => {
    const dir = tempDir('ddct-cache-');
    const file = path.join(dir, 'entry.js');

    inNode(`register.writeAtomically(${JSON.stringify(file)}, 'module.exports = 1;'); console.log('null')`);

    expect(fs.readdirSync(dir)).toEqual(['entry.js']);
    expect(fs.readFileSync(file, 'utf8')).toBe('module.exports = 1;');
  });

  test('replaces an entry by renaming a new file over it, so that a reader of the old one still reads it whole', () => {
    const dir = tempDir('ddct-cache-');
    const file = path.join(dir, 'entry.js');
    fs.writeFileSync(file, 'old entry');
    const reader = fs.openSync(file, 'r');

    try {
      inNode(`register.writeAtomically(${JSON.stringify(file)}, 'new entry'); console.log('null')`);

      expect(fs.readFileSync(reader, 'utf8')).toBe('old entry');
      expect(fs.readFileSync(file, 'utf8')).toBe('new entry');
    } finally {
      fs.closeSync(reader);
    }
  });

  test('leaves no temporary file when the entry cannot be written', () => {
    const dir = tempDir('ddct-cache-');
    const entry = path.join(dir, 'entry.js');
    fs.mkdirSync(path.join(entry, 'in-the-way'), { recursive: true });

    const failed = inNode(`try { register.writeAtomically(${JSON.stringify(entry)}, 'x'); console.log('false') } catch { console.log('true') }`);

    expect(failed).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['entry.js']);
  });
});
