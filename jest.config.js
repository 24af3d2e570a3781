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
    // Our sources, plus the schema engine's ESM glue (Jest's runtime loads CommonJS only).
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, baseUrl: __dirname } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@prisma/schema-engine-wasm/)'],
  moduleNameMapper: { '^@intake/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 60_000,
  // Two cores: two test files at a time, each on its own database schema and Redis prefix.
  maxWorkers: 2,
};
