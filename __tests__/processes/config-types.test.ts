import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

// In a process of its own: the generator loads prettier, which jest's module loader cannot.
test('config/types.ts is what `npm run docs` generates from config/schema.json', () => {
  const generated = spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, 'tools', 'config-types.ts')], { encoding: 'utf8' });

  expect(generated.status).toBe(0);
  expect(readFileSync(path.join(ROOT, 'config', 'types.ts'), 'utf8')).toBe(generated.stdout);
});
