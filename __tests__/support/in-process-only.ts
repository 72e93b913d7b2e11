/**
 * `npm test` runs in process (jest.config.js): a test that starts a process fails here, with
 * where it belongs, instead of quietly spending the suite's one-minute budget. Node's
 * child_process is the one way a test starts a process: terraform, git, jest and the
 * commands all go through it.
 */
const IN_PROCESS_ONLY = [
  'npm test runs in process only: this test started a process',
  '(terraform, the cdktf CLI, git, jest or a command run as a user runs it).',
  'Move it to __tests__/processes/, which `npm run test:processes` runs (.ci/run runs both).',
].join(' ');

// The module object every file shares: jest hands test files Node's own core modules, so what
// is replaced here is what they call.
const childProcess = jest.requireActual<Record<string, unknown>>('node:child_process');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = (command: unknown) => {
    throw new Error(`${IN_PROCESS_ONLY} Command: ${String(command)}`);
  };
}
