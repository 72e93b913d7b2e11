const { availableParallelism } = require('node:os');

const workers = availableParallelism();
// The suites that run terraform share the cores with each other: each worker's terraform
// pool gets its share (commands/terraform.ts, DD_CLOUDTRAIL_TERRAFORM_CONCURRENCY).
process.env.DD_CLOUDTRAIL_TERRAFORM_CONCURRENCY ??= String(Math.max(1, Math.floor(availableParallelism() / workers)));

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // tsconfig sets isolatedModules, so ts-jest only transpiles; `tsc --noEmit` in `npm test`
  // type-checks once instead of once per jest worker.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
  // Checks for terraform once, not once per test (see the file).
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // A worker per core, not jest's default of one fewer: the files that run terraform mostly
  // wait for it, and a second worker runs other files meanwhile. On 2 cores `npm test` took
  // 49-52 s with two workers and 57-58 s with one (cold jest cache).
  maxWorkers: workers,
};
