import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { mkdirSync } from 'node:fs';
import { Pool, type PoolConfig } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { IN_MEMORY, type DatabaseTarget } from '@intake/config';
import { lockEmbeddedDatabase } from './embedded-lock';

export interface MigrationConnection {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export interface OpenDatabase {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  /** The schema tables live in (`?schema=` of DATABASE_URL, else `public`). */
  schema: string;
  /** A connection fit for the schema engine (see `openMigrationConnection`). */
  migrationConnection(): MigrationConnection;
  close(): Promise<void>;
}

/**
 * Splits Prisma's `?schema=` convention off a PostgreSQL URL: node-postgres does not know
 * it, and raw SQL (migrations, RLS helpers) needs it as the connection's search_path.
 */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
    throw new Error('DATABASE_URL: schema must be a plain identifier');
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

function poolConfig(
  target: Extract<DatabaseTarget, { kind: 'postgres' }>,
  schema: string,
  max: number,
): PoolConfig {
  const { connectionString } = parsePostgresUrl(target.url);
  return {
    connectionString,
    max,
    connectionTimeoutMillis: target.statementTimeoutMs,
    // Every statement is bounded, so a stuck query cannot hold a request forever.
    options: `-c search_path="${schema}" -c statement_timeout=${target.statementTimeoutMs}`,
  };
}

/**
 * The schema engine needs scripts run whole and awaited, which neither adapter does as is:
 * @prisma/adapter-pg splits a script on every `;` (breaking `DO $$ ... $$` blocks and
 * function bodies, and leaving half a migration applied on failure), and
 * pglite-prisma-adapter does not await it (a failing migration would be recorded as
 * applied). Sent as one simple-protocol query, a migration also runs in one implicit
 * transaction: all or nothing.
 */
function withWholeScripts(
  factory: SqlMigrationAwareDriverAdapterFactory,
  runScript: (script: string) => Promise<unknown>,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connectToShadowDb: () => factory.connectToShadowDb(),
    async connect(): Promise<SqlDriverAdapter> {
      const connection = await factory.connect();
      connection.executeScript = async (script: string) => {
        await runScript(script);
      };
      return connection;
    },
  };
}

/** One connection for the whole run: the engine's `pg_advisory_lock` is per connection. */
function openMigrationConnection(
  target: Extract<DatabaseTarget, { kind: 'postgres' }>,
  schema: string,
): MigrationConnection {
  const pool = new Pool(poolConfig(target, schema, 1));
  return {
    adapter: withWholeScripts(new PrismaPg(pool, { schema }), (script) => pool.query(script)),
    close: () => pool.end(),
  };
}

/** Opens the configured database: PostgreSQL through node-postgres, or embedded PGlite. */
export function openDatabase(target: DatabaseTarget): OpenDatabase {
  if (target.kind === 'pglite') {
    if (target.dataDir !== IN_MEMORY) mkdirSync(target.dataDir, { recursive: true });
    const release =
      target.dataDir === IN_MEMORY ? () => undefined : lockEmbeddedDatabase(target.dataDir);
    const pglite = new PGlite(target.dataDir);
    const adapter = new PrismaPGlite(pglite);
    return {
      adapter,
      schema: 'public',
      // PGlite is one in-process connection: migrations share it.
      migrationConnection: () => ({
        adapter: withWholeScripts(adapter, (script) => pglite.exec(script)),
        close: async () => undefined,
      }),
      close: () => pglite.close().finally(release),
    };
  }
  const { schema } = parsePostgresUrl(target.url);
  return {
    adapter: new PrismaPg(poolConfig(target, schema, target.poolSize), { schema }),
    schema,
    migrationConnection: () => openMigrationConnection(target, schema),
    // The pool belongs to the adapter and ends with PrismaClient.$disconnect().
    close: async () => undefined,
  };
}
