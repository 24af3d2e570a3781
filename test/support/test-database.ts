import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Each test file gets a database of its own, so files run in parallel and in any order:
 * a fresh schema on the PostgreSQL of `DATABASE_URL` when it is set, otherwise an
 * in-memory PGlite. Redis (when `REDIS_URL` is set) gets a fresh key prefix.
 */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

const serverUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

export const usingPostgres = Boolean(serverUrl);
export const usingRedis = Boolean(redisUrl);

export async function createTestDatabase(): Promise<TestDatabase> {
  const id = `t_${randomBytes(6).toString('hex')}`;
  const redis: Record<string, string> = redisUrl
    ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test:${id}:` }
    : {};
  if (!serverUrl) return { env: { DATA_DIR: 'memory://', ...redis }, drop: async () => undefined };

  await withClient((client) => client.query(`CREATE SCHEMA "${id}"`));
  const url = new URL(serverUrl);
  url.searchParams.set('schema', id);
  return {
    env: { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '4', ...redis },
    drop: () =>
      withClient((client) => client.query(`DROP SCHEMA "${id}" CASCADE`)).then(() => undefined),
  };
}

async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
