import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, type QueryResultRow } from 'pg';
import { freePort } from './free-port';

const run = promisify(execFile);

/** Debian's layout: /usr/lib/postgresql/<major>/bin; the newest installed major. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no PostgreSQL server under ${root}`);
  return join(root, majors[0]!, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root (CI, these machines), it runs as `postgres`. */
async function runProgram(bin: string, program: string, args: string[]): Promise<void> {
  const path = join(bin, program);
  await (asRoot ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args));
}

/**
 * A PostgreSQL cluster of the test's own, in a temporary directory on a free loopback port
 * with trust auth, for tests that stop and start the database: the machine's shared
 * PostgreSQL serves the other suites and must stay up. Durability is off (fsync), which
 * changes nothing a client sees.
 */
export interface PrivatePostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** `pg_ctl stop -m fast`: sessions are ended, as in a restart or a failover. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** One statement on a connection of its own (the database may have been restarted). */
  query<Row extends QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Stops it (if running) and removes its directory. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'intake-pg-'));
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  const pgCtl = (...args: string[]) => runProgram(bin, 'pg_ctl', ['-D', data, ...args]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () => pgCtl('start', '-w', '-l', join(dir, 'server.log'), '-o', options);
  const init = [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ];
  await runProgram(bin, 'initdb', init);
  await start();
  let running = true;
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    query: async <Row extends QueryResultRow>(text: string, values?: unknown[]) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<Row>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      await pgCtl('stop', '-w', '-m', 'fast');
      running = false;
    },
    start: async () => {
      await start();
      running = true;
    },
    destroy: async () => {
      if (running) await pgCtl('stop', '-w', '-m', 'immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
