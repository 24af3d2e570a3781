#!/usr/bin/env node
// The floor Intake is measured against: bare node:http + pg doing the same database work
// as the app's routes, with none of the framework (no Nest, Express, guards, logging,
// validation, Prisma). Started by bench/run.js; not meant to be exposed anywhere.
//
// Env: BASELINE_DATABASE_URL (no ?schema=), BENCH_SCHEMA, PORT.
// Routes: GET /readyz, GET /api-keys{,-rls,-tx}, POST /ingest/<form version id>,
// GET /submissions/<form id>.
'use strict';
const { createHash, timingSafeEqual } = require('node:crypto');
const { readdirSync } = require('node:fs');
const http = require('node:http');
const { join } = require('node:path');
const { Pool } = require('pg');
const { v7: uuidv7 } = require('uuid');
const { countSql, pageIdsSql, submissionsWhere } = require('./submissions-sql');

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

/**
 * One transaction with the owner id set transaction-locally, as PrismaService.asOwner:
 * `work(client)` runs its queries inside it.
 */
async function inTransaction(contextSql, userId, work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(contextSql, [userId]);
    const result = await work(client);
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

// ---------------------------------------------------------------------------------------
// POST /ingest/<form version id>: the public submission endpoint's work. Tables
// baseline_submissions, baseline_jobs and baseline_idempotency_keys are copies of the app's
// (`LIKE ... INCLUDING ALL`, so the same columns, defaults, indexes and generated columns,
// the stored search vector included; ingest.js creates them with the same foreign keys), and the INSERT is the
// app's single statement (IngestRepository.insert) against them.
// ---------------------------------------------------------------------------------------

const INGEST_SQL = `
  WITH claim AS (
    INSERT INTO baseline_idempotency_keys (form_id, key, request_hash, submission_id)
    SELECT $2::uuid, $11, $12, $1::uuid
    WHERE $13
    ON CONFLICT (form_id, key) DO NOTHING
    RETURNING 1
  ), inserted AS (
    INSERT INTO baseline_submissions (id, form_id, user_id, form_version_id, form_version, data, spam, spam_confidence, spam_reason, metadata)
    SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::jsonb, $7, $8::double precision, $9, $10::jsonb
    WHERE NOT $13 OR EXISTS (SELECT 1 FROM claim)
    RETURNING id, created_at
  ), job AS (
    INSERT INTO baseline_jobs (id, submission_id) SELECT gen_random_uuid(), id FROM inserted
  )
  SELECT created_at FROM inserted`;

// As PublishedForms: a form version is resolved once and its settings trusted for 2 s.
const FORM_TTL_MS = 2000;
const forms = new Map();

async function publishedForm(versionId) {
  const cached = forms.get(versionId);
  if (cached && cached.expiresAt > Date.now()) return cached.form;
  const { rows } = await pool.query(
    `SELECT f.id AS form_id, f.user_id, f.submission_token_hash, v.id AS version_id, v.version
       FROM form_versions v JOIN forms f ON f.id = v.form_id WHERE v.id = $1 AND f.enabled`,
    [versionId],
  );
  const form = rows[0] ?? null;
  forms.set(versionId, { form, expiresAt: Date.now() + FORM_TTL_MS });
  return form;
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest();

function tokenMatches(form, request) {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) return false;
  const hash = sha256(token);
  const expected = form.submission_token_hash;
  return hash.length === expected.length && timingSafeEqual(hash, expected);
}

function readBody(request, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) return reject(Object.assign(new Error('too large'), { status: 413 }));
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The three fields of the bench's form, checked minimally: types, required, lengths. */
function validate(body) {
  const { email, name, message } = body;
  const errors = {};
  if (typeof email !== 'string' || !EMAIL.test(email)) errors.email = ['must be an email'];
  if (name !== undefined && (typeof name !== 'string' || name.length > 100))
    errors.name = ['must be a string of at most 100 characters'];
  if (typeof message !== 'string' || message.length === 0 || message.length > 2000)
    errors.message = ['is required, at most 2000 characters'];
  if (Object.keys(errors).length > 0) return { errors };
  return { data: name === undefined ? { email, message } : { email, name, message } };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,256}$/;

async function ingest(request, response, versionId) {
  const form = await publishedForm(versionId);
  if (!form) return send(response, 404, { error: 'form_not_found' });
  if (form.submission_token_hash && !tokenMatches(form, request))
    return send(response, 401, { error: 'unauthorized' });
  let body;
  try {
    body = JSON.parse(await readBody(request, 65_536));
  } catch (error) {
    return send(response, error.status ?? 400, { error: 'invalid body' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return send(response, 400, { error: 'body must be a JSON object' });
  const { data, errors } = validate(body);
  if (errors) return send(response, 422, { error: 'validation_error', details: errors });
  const key = request.headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
    return send(response, 400, { error: 'invalid Idempotency-Key' });

  const id = uuidv7();
  const metadata = {
    ip: request.socket.remoteAddress ?? null,
    user_agent: request.headers['user-agent']?.slice(0, 512) ?? null,
    referer: request.headers.referer?.slice(0, 2048) ?? null,
    origin: request.headers.origin?.slice(0, 255) ?? null,
    utm: {},
    dropped_fields: Object.keys(body).length - Object.keys(data).length,
  };
  const { rows } = await pool.query(INGEST_SQL, [
    id,
    form.form_id,
    form.user_id,
    form.version_id,
    form.version,
    JSON.stringify(data),
    false,
    null,
    null,
    JSON.stringify(metadata),
    key ?? '',
    key === undefined ? Buffer.alloc(0) : sha256(JSON.stringify(data)),
    key !== undefined,
  ]);
  // The bench sends a fresh key every time: a replay is not part of the baseline.
  if (rows.length === 0) return send(response, 409, { error: 'Idempotency-Key already used' });
  response.setHeader('access-control-allow-origin', '*');
  return send(response, 201, { id, data, created_at: rows[0].created_at.toISOString() });
}

// ---------------------------------------------------------------------------------------
// GET /submissions/<form id>?filter=&processing_status=&search=&page=&page_size=: the bearer
// API's listing (GET /api/forms/{id}/submissions) with the app's queries: the key by the
// SHA-256 of its secret (system context, as ApiKeysRepository.findBySecretHash), the form
// with its current version in one owner transaction (FormsService.find), then in another the
// page's ids, the count and the rows (SubmissionsRepository.page).
// ---------------------------------------------------------------------------------------

async function apiKeyOwner(request, scope) {
  const [scheme, secret] = (request.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !secret) return null;
  const { rows } = await pool.query(
    `SELECT user_id, scopes FROM api_keys
      WHERE secret_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [sha256(secret)],
  );
  return rows[0]?.scopes.includes(scope) ? rows[0].user_id : null;
}

const FORM_SQL = `SELECT f.*, v.id AS version_id, v.version, v.fields_schema
  FROM forms f LEFT JOIN LATERAL (
    SELECT * FROM form_versions WHERE form_id = f.id ORDER BY version DESC LIMIT 1
  ) v ON true
  WHERE f.id = $1 AND f.user_id = $2`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (date) => date?.toISOString() ?? null;

const SUBMISSION_COLUMNS = `id, form_id, user_id, form_version_id, form_version, data,
  processing_status, processing_reason, spam, spam_confidence, spam_reason, detected_language,
  translated_data, reply_status, reply_subject, reply_content, replied_at, owner_notified_at,
  metadata, created_at, updated_at`;

function toSubmissionOutput(row) {
  return {
    id: row.id,
    form_version: row.form_version,
    data: row.data,
    processing_status: row.processing_status,
    processing_reason: row.processing_reason,
    spam: row.spam,
    spam_confidence: row.spam_confidence,
    spam_reason: row.spam_reason,
    detected_language: row.detected_language,
    translated_data: row.translated_data,
    reply_status: row.reply_status,
    reply_subject: row.reply_subject,
    reply_content: row.reply_content,
    replied_at: iso(row.replied_at),
    metadata: row.metadata,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

async function listSubmissions(request, response, formId, query) {
  const userId = await apiKeyOwner(request, 'submissions:read');
  if (!userId) return send(response, 401, { error: 'unauthorized' });
  if (!UUID.test(formId)) return send(response, 404, { error: 'form_not_found' });
  const { rows: forms } = await inTransaction(RLS_CONTEXT_SQL, userId, (client) =>
    client.query(FORM_SQL, [formId, userId]),
  );
  if (forms.length === 0) return send(response, 404, { error: 'form_not_found' });
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  // listSubmissionsQuery: 20 by default, at most 50.
  const pageSize = Math.min(50, Math.max(1, Number(query.get('page_size') ?? 20) || 20));
  const { where, params } = submissionsWhere(userId, formId, query);
  const [rows, total] = await inTransaction(RLS_CONTEXT_SQL, userId, async (client) => {
    const { rows: ids } = await client.query(
      pageIdsSql(where, pageSize, (page - 1) * pageSize),
      params,
    );
    const {
      rows: [count],
    } = await client.query(countSql(where), params);
    const { rows: loaded } = await client.query(
      // The columns the app's client loads: not search_vector, which only the search reads.
      `SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE id = ANY($1::uuid[])`,
      [ids.map((row) => row.id)],
    );
    const byId = new Map(loaded.map((row) => [row.id, row]));
    return [ids.map((row) => byId.get(row.id)).filter(Boolean), count.total];
  });
  return send(response, 200, {
    data: rows.map(toSubmissionOutput),
    meta: {
      current_page: page,
      total_pages: Math.ceil(total / pageSize),
      total_count: total,
      page_size: pageSize,
    },
  });
}

async function handle(request, response) {
  const path = request.url.split('?', 1)[0];
  if (request.method === 'POST' && path.startsWith('/ingest/'))
    return ingest(request, response, path.slice('/ingest/'.length));
  if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' });
  if (path.startsWith('/submissions/'))
    return listSubmissions(
      request,
      response,
      path.slice('/submissions/'.length),
      new URL(request.url, 'http://baseline').searchParams,
    );
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
            (client) => client.query(API_KEYS_SQL, params),
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
