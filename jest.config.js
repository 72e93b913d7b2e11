const { availableParallelism } = require('node:os');

/**
 * `npm test`: the specification, in process. No test of it starts a process
 * (__tests__/support/in-process-only.ts refuses one): that keeps the suite within a minute on
 * a 2-core machine. Every test that runs terraform, the cdktf CLI, git, jest or a command of
 * this repository as a process of its own lives in __tests__/processes/, which
 * `npm run test:processes` runs (jest.processes.config.js) and .ci/run runs after this one.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/processes/'],
  // tsconfig sets isolatedModules, so ts-jest only transpiles; `tsc --noEmit` in `npm test`
  // type-checks once instead of once per jest worker.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/__tests__/support/in-process-only.ts'],
  // The run's own temporary directory, and a teardown that fails the run on what the tests
  // left in it (see the files).
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // A worker per core, not jest's default of one fewer: on 2 cores the in-process suite is
  // CPU-bound in both workers.
  maxWorkers: availableParallelism(),
};
