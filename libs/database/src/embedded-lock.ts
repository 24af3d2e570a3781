import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '@intake/config';

export class EmbeddedDatabaseInUseError extends StartupError {
  override readonly name = 'EmbeddedDatabaseInUseError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes opening the same directory corrupt
 * it. This claims the directory for this process (a pid file, taken over only from a dead
 * owner) and returns its release.
 */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  const file = join(dataDir, 'intake.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new EmbeddedDatabaseInUseError(
          `The embedded database in ${dataDir} is in use by process ${owner}. Stop it first, or set DATABASE_URL to share PostgreSQL.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new EmbeddedDatabaseInUseError(`Could not lock the embedded database in ${dataDir}`);
}
