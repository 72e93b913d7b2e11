const { availableParallelism } = require('node:os');
const inProcess = require('./jest.config');

const workers = availableParallelism();
// The suites that run terraform share the cores with each other: each worker's terraform
// pool gets its share (commands/terraform.ts, DD_CLOUDTRAIL_TERRAFORM_CONCURRENCY).
process.env.DD_CLOUDTRAIL_TERRAFORM_CONCURRENCY ??= String(Math.max(1, Math.floor(availableParallelism() / workers)));

/**
 * `npm run test:processes`: the tests that start processes (terraform validate and offline
 * plans of every example, the cdktf CLI, the commands and workflow steps as a user runs them).
 * Each process costs Node's or terraform's start-up, 0.2 s to several seconds: together they
 * take minutes, which `npm test`'s one-minute budget cannot hold, so .ci/run runs them after
 * it. Measured in docs/BENCHMARKS.md.
 * @type {import('jest').Config}
 */
module.exports = {
  ...inProcess,
  roots: ['<rootDir>/__tests__/processes'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [],
  // Checks for terraform once, not once per test (see the file).
  globalSetup: '<rootDir>/__tests__/support/terraform-setup.ts',
  testTimeout: 120000,
  // The files that run terraform mostly wait for it, and a second worker runs other files
  // meanwhile.
  maxWorkers: workers,
};
