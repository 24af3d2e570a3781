#!/usr/bin/env node
// The floor Intake is measured against: bare node:http + pg doing the same database work
// as the app's routes, with none of the framework (no Nest, Express, guards, logging,
// validation, Prisma). Started by bench/run.js; not meant to be exposed anywhere.
//
// Env: BASELINE_DATABASE_URL (no ?schema=), BENCH_SCHEMA, PORT.
'use strict';
const { createHash } = require('node:crypto');
const { readdirSync } = require('node:fs');
const http = require('node:http');
const { join } = require('node:path');
const { Pool } = require('pg');

const schema = process.env.BENCH_SCHEMA;
if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema ?? ''))
  throw new Error('BENCH_SCHEMA must be an identifier');

// Same pool size and connection options as the app (libs/database/src/database-target.ts).
const pool = new Pool({
  connectionString: process.env.BASELINE_DATABASE_URL,
  max: 10,
  options: `-c search_path="${schema}" -c statement_timeout=10000`,
});

// Read once: a hand-written server would not list the directory on every probe.
const migrationNames = readdirSync(join(__dirname, '../prisma/migrations'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const API_KEYS_SQL = `SELECT id, name, prefix, last4, scopes, allowed_ips, expires_at, last_used_at, created_at
  FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC`;

function send(response, status, body) {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

/** The same two queries as MigrationsService.pending(). */
async function ready() {
  const {
    rows: [table],
  } = await pool.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`);
  const { rows } = table.exists
    ? await pool.query(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      )
    : { rows: [] };
  const applied = new Set(rows.map((row) => row.migration_name));
  return migrationNames.every((name) => applied.has(name));
}

/**
 * Session lookup in the system context, as SessionsRepository.findActiveByTokenHash. The
 * cookie carries the raw token here; the app's is additionally sealed with AES-GCM, which
 * costs microseconds next to a database round trip.
 */
async function sessionUserId(request) {
  const token = /(?:^|;\s*)intake_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (!token) return null;
  const hash = createHash('sha256').update(token, 'utf8').digest();
  const { rows } = await pool.query(
    'SELECT id, user_id, last_seen_at FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() LIMIT 1',
    [hash],
  );
  return rows[0]?.user_id ?? null;
}

// As PrismaService.asOwner: the role switch makes the policies apply.
const RLS_CONTEXT_SQL = `SELECT set_config('role', 'intake_app', true), set_config('intake.user_id', $1, true)`;
// The same round trips without the role switch: the connecting superuser bypasses RLS, so
// /api-keys-tx minus /api-keys-rls isolates the policies from the transaction's cost.
const TX_ONLY_SQL = `SELECT set_config('intake.user_id', $1, true)`;

/** One transaction with the owner id set transaction-locally, as PrismaService.asOwner. */
async function inTransaction(contextSql, userId, sql, params) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(contextSql, [userId]);
    const result = await client.query(sql, params);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    // Drop the connection rather than risk returning one mid-transaction to the pool.
    client.release(error);
    throw error;
  }
}

function toOutput(row) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    last4: row.last4,
    scopes: row.scopes,
    allowed_ips: row.allowed_ips,
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}

async function handle(request, response) {
  const path = request.url.split('?', 1)[0];
  if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' });
  if (path === '/readyz') {
    return (await ready())
      ? send(response, 200, { status: 'ready' })
      : send(response, 503, { status: 'pending' });
  }
  if (path === '/api-keys' || path === '/api-keys-rls' || path === '/api-keys-tx') {
    const userId = await sessionUserId(request);
    if (!userId) return send(response, 401, { error: 'unauthorized' });
    const params = [userId];
    const { rows } =
      path === '/api-keys'
        ? await pool.query(API_KEYS_SQL, params)
        : await inTransaction(
            path === '/api-keys-rls' ? RLS_CONTEXT_SQL : TX_ONLY_SQL,
            userId,
            API_KEYS_SQL,
            params,
          );
    return send(response, 200, { api_keys: rows.map(toOutput) });
  }
  return send(response, 404, { error: 'not found' });
}

const server = http.createServer((request, response) => {
  handle(request, response).catch((error) => {
    process.stderr.write(`baseline: ${error.stack ?? error}\n`);
    if (!response.headersSent) send(response, 500, { error: 'internal' });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  pool.end().finally(() => process.exit(0));
});
