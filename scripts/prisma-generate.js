#!/usr/bin/env node
// Generates the Prisma client from prisma/schema.prisma, skipping the work when the
// schema has not changed since the last generation.
//
// Generation is pure WebAssembly; the CLI only insists that a schema-engine binary path
// exists (it cannot be downloaded on machines without internet and is not used here), so
// any existing file satisfies it.
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const output = join(root, 'libs/database/src/generated/prisma');
const stamp = join(output, '.schema-hash');
const schema = readFileSync(join(root, 'prisma/schema.prisma'));
const hash = createHash('sha256').update(schema).digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && !process.argv.includes('--force'))
  process.exit(0);

execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
writeFileSync(stamp, hash);
