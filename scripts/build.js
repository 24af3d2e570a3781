#!/usr/bin/env node
// Builds every app and lib into dist/ with SWC (type checking is `npm run typecheck`).
// `--if-needed` skips the build when dist/ is newer than every source file, so that
// `npm start` on a fresh clone builds once and later starts are instant.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist/.build-stamp');
const inputs = ['apps', 'libs', 'prisma/schema.prisma', '.swcrc', 'package-lock.json'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'generated' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function upToDate() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return inputs.every(
    (input) => !existsSync(join(root, input)) || newestMtime(join(root, input)) <= built,
  );
}

if (process.argv.includes('--if-needed') && upToDate()) process.exit(0);

execFileSync(process.execPath, [join(__dirname, 'prisma-generate.js')], {
  cwd: root,
  stdio: 'inherit',
});
execFileSync(
  process.execPath,
  [
    require.resolve('@swc/cli/bin/swc.js'),
    'apps',
    'libs',
    '-d',
    'dist',
    '--copy-files',
    '--quiet',
    '--ignore',
    '**/*.spec.ts',
  ],
  { cwd: root, stdio: 'inherit' },
);
writeFileSync(stamp, new Date().toISOString());
