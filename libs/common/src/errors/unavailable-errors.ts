/**
 * Signs that a dependency (the database) cannot be reached right now, rather than that the
 * request or query is wrong: the request then fails with 503 `unavailable` and the client
 * retries (docs/adr/0021-failure-behaviour.md). Matched by shape, as the error classes live
 * in the generated Prisma client and the drivers, which this lib must not depend on.
 */

/** Socket errors, PostgreSQL SQLSTATEs and Prisma codes that mean "unreachable". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  // SQLSTATE class 08 (connection exception) and 57P0x (the server is shutting down or
  // starting), 53300 (too many connections).
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // Prisma: can't reach the database server; the server closed the connection; a
  // transaction that got no connection or ran out of time (the database is too busy: it was
  // rolled back, so a retry is safe).
  'P1001',
  'P1017',
  'P2028',
]);

/** What @prisma/driver-adapter-utils reports for a lost or refused connection. */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/**
 * node-postgres raises these without a code (pg/lib/client.js, pg-pool): a connection that
 * timed out (the database hangs) or died under a query. Prisma rethrows them as they are.
 */
const NODE_POSTGRES_CONNECTION_ERRORS =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function hasUnavailableCode(value: unknown): boolean {
  const code = field(value, 'code');
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}

export function isDependencyUnavailable(exception: unknown): boolean {
  if (hasUnavailableCode(exception)) return true;
  if (field(exception, 'clientVersion') === undefined) return false;
  // A raw query's failure (P2010) carries the driver adapter's error in `meta`.
  const cause = field(field(field(exception, 'meta'), 'driverAdapterError'), 'cause');
  const kind = field(cause, 'kind');
  if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
  if (kind === 'postgres' && hasUnavailableCode(cause)) return true;
  const message = field(exception, 'message');
  return typeof message === 'string' && NODE_POSTGRES_CONNECTION_ERRORS.test(message);
}
