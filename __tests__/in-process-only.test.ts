/** `npm test` runs in process (__tests__/support/in-process-only.ts): a process is refused, with where the test belongs. */
import { execFile, spawn, spawnSync } from 'node:child_process';

test.each([
  ['spawnSync', () => spawnSync('terraform', ['version'])],
  ['spawn', () => spawn(process.execPath, ['--version'])],
  ['execFile', () => execFile('git', ['status'])],
])('refuses %s, naming the command and the suite that runs processes', (_name, start) => {
  expect(start).toThrow(/^npm test runs in process only: .* Move it to __tests__\/processes\/, .* Command: (terraform|git|\/.*node)$/);
});
