import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabaseInUseError, lockEmbeddedDatabase } from './embedded-lock';

describe('lockEmbeddedDatabase', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'intake-lock-'));

  it('claims the directory for this process and releases it', () => {
    const dataDir = dir();
    const release = lockEmbeddedDatabase(dataDir);
    expect(readFileSync(join(dataDir, 'intake.pid'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(dataDir, 'intake.pid'))).toBe(false);
  });

  it('refuses a directory held by another live process', () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, 'intake.pid'), String(process.ppid));
    expect(() => lockEmbeddedDatabase(dataDir)).toThrow(EmbeddedDatabaseInUseError);
    expect(() => lockEmbeddedDatabase(dataDir)).toThrow(`in use by process ${process.ppid}`);
  });

  it('takes over from a process that died without releasing', () => {
    const dataDir = dir();
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(dataDir, 'intake.pid'), dead);
    lockEmbeddedDatabase(dataDir)();
  });
});
