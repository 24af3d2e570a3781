#!/usr/bin/env node
// Records, in package-lock.json, the platform-specific optional packages (native builds of
// @swc/core, jest's resolver, ...) that a registry mirror serving only this platform's
// builds leaves out. Without their entries `npm ci` refuses the lock ("Missing: ... from
// lock file"); with them, each platform installs its own build and skips the others.
// Run after changing dependencies: `npm run deps:lock`.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const OS = [
  'darwin',
  'linux',
  'win32',
  'android',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
];
const CPU = [
  'x64',
  'arm64',
  'ia32',
  'arm',
  'ppc64',
  's390x',
  'riscv64',
  'loong64',
  'wasm32',
  'mips64el',
];
const LIBC = { gnu: 'glibc', musl: 'musl' };

/** `@swc/core-linux-x64-musl` -> { os: ['linux'], cpu: ['x64'], libc: ['musl'] } */
function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.filter((token) => OS.includes(token));
  const cpu = tokens.includes('universal')
    ? ['x64', 'arm64']
    : tokens.filter((token) => CPU.includes(token));
  const libc = tokens.map((token) => LIBC[token]).filter(Boolean);
  if (os.length === 0 && !cpu.includes('wasm32')) return null;
  return {
    ...(os.length ? { os } : {}),
    ...(cpu.length ? { cpu } : {}),
    ...(libc.length ? { libc } : {}),
  };
}

const file = join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[top]) continue;
    const platform = platformOf(name);
    if (!platform) {
      process.stderr.write(`skipped ${name}: no platform in its name\n`);
      continue;
    }
    lock.packages[top] = {
      version: spec.replace(/^[\^~=]+/, ''),
      dev: entry.dev,
      optional: true,
      ...platform,
    };
    if (!entry.dev) delete lock.packages[top].dev;
    added.push(name);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(
  added.length ? `recorded ${added.length} platform packages\n` : 'lock already complete\n',
);
