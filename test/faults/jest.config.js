// @ts-check
// `npm run test:faults`: the fault tests (test/faults/*.fault-spec.ts). They stop and start
// databases, so they run apart from `npm test`, one file at a time, each on a PostgreSQL
// and a Redis of its own (test/support/private-postgres.ts, private-redis.ts) and the
// cluster of `npm run start:cluster`.
const base = require('../../jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  maxWorkers: 1,
  // A cluster's start alone can take tens of seconds on a busy two-core machine.
  testTimeout: 180_000,
};
