const { availableParallelism } = require('node:os');

/**
 * `npm test`: the specification, in process, within a minute on a 2-core machine. No test of
 * it starts a process (__tests__/support/in-process-only.ts refuses one). Every test that runs
 * terraform, the cdktf CLI, git, jest or a command of this repository as a process of its own
 * lives in __tests__/processes/, which `npm run test:processes` runs
 * (jest.processes.config.js) and .ci/run runs after this one.
 *
 * Jest runs the four parts of __tests__/in-process/, each loading its share of the spec files
 * (every other `__tests__/**\/*.test.ts`) into one module registry: loading cdktf and the
 * provider classes once per file was half of the suite's CPU time
 * (__tests__/support/in-process-parts.ts). To run one spec file alone:
 * `npx jest --testMatch '**\/trail.test.ts'`.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['<rootDir>/__tests__/in-process/part-*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/processes/'],
  // tsconfig sets isolatedModules, so ts-jest only transpiles; `tsc --noEmit` in `npm test`
  // type-checks once instead of once per jest worker.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/__tests__/support/in-process-only.ts'],
  // Room for the scale tests (1,000 accounts synthesized, 5,000 stacks compared) on a busy
  // machine: jest's default is 5 s.
  testTimeout: 60000,
  // The run's own temporary directory, and a teardown that fails the run on what the tests
  // left in it (see the files).
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // A worker per core, not jest's default of one fewer: on 2 cores the in-process suite is
  // CPU-bound in both workers.
  maxWorkers: availableParallelism(),
};
