// @ts-check
const { readFileSync } = require('node:fs');

// .swcrc holds two configs: TSX (the dashboard's views) first, then everything else.
// @swc/jest takes one config per transform, so each gets its own entry below.
const [tsxrc, swcrc] = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8')).map(
  ({ $schema: _schema, test: _test, ...config }) => config,
);
const swcJest = (config) => [
  '@swc/jest',
  { ...config, swcrc: false, jsc: { ...config.jsc, baseUrl: __dirname } },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: [
    '<rootDir>/{apps,libs}/**/*.spec.{ts,tsx}',
    '<rootDir>/test/**/*.{int,e2e,browser}-spec.ts',
  ],
  transform: {
    '^.+\\.tsx$': swcJest(tsxrc),
    // Our sources, plus ESM-only dependencies (Jest's runtime loads CommonJS only; Node
    // 20.19+ itself loads them through require(esm)): the schema engine's glue, and otplib's
    // base32 and HMAC plugins.
    '^.+\\.(t|j)s$': swcJest(swcrc),
  },
  transformIgnorePatterns: [
    '^(?!.*/node_modules/(@prisma/schema-engine-wasm|@scure|@noble)/).*/node_modules/',
  ],
  moduleNameMapper: { '^@intake/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 60_000,
  // Two cores: two test files at a time, each on its own database schema and Redis prefix.
  maxWorkers: 2,
};
