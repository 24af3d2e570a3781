// @ts-check
const { readFileSync } = require('node:fs');

const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/**/*.{int,e2e}-spec.ts'],
  transform: {
    // Our sources, plus ESM-only dependencies (Jest's runtime loads CommonJS only; Node
    // 20.19+ itself loads them through require(esm)): the schema engine's glue, and otplib's
    // base32 and HMAC plugins.
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, baseUrl: __dirname } },
    ],
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
