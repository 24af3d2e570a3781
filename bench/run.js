#!/usr/bin/env node
// `npm run bench`: load-tests the real Intake api against a bare node:http + pg baseline
// (bench/baseline-server.js) in the same run, on the same PostgreSQL, in a throwaway
// schema. Writes bench/results/*.json and prints one line per benchmark. See bench/README.md.
'use strict';
const autocannon = require('autocannon');
const { execFileSync, spawn } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const { mkdirSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

const root = join(__dirname, '..');
const resultsDir = join(__dirname, 'results');
const LOAD = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 8),
  // Discarded: lets V8 optimise the hot paths and both pools open all their connections.
  warmupSeconds: 2,
};

// DATABASE_URL may carry the app's `?schema=`; the bench always uses its own schema.
const databaseUrl = new URL(
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
);
databaseUrl.searchParams.delete('schema');
const schema = `bench_${randomBytes(4).toString('hex')}`;

const children = [];
let admin;
let schemaCreated = false;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts a server as a child; keeps its output tail to show if the bench fails. */
function startChild(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    // A minimal environment, so a REDIS_URL or NODE_ENV in the caller's shell cannot change what is measured.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.name = name;
  child.output = '';
  const keep = (chunk) => (child.output = (child.output + chunk).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.push(child);
  return child;
}

async function waitReady(child, url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${child.name} exited with code ${child.exitCode}:\n${child.output}`);
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} not ready at ${url} after ${timeoutMs} ms:\n${child.output}`);
}

async function call(url, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json', ...headers } : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return { response, json };
}

/** Signs up over HTTP and creates 5 API keys, so the list has realistic rows to return. */
async function seedUser(appUrl) {
  const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
  const { response, json } = await call(`${appUrl}/auth/signup`, {
    method: 'POST',
    body: { email, password: randomBytes(18).toString('base64url') },
  });
  const sessionCookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0])
    .find((pair) => pair.startsWith('intake_session='));
  if (!sessionCookie) throw new Error('signup set no intake_session cookie');
  for (let i = 1; i <= 5; i++) {
    await call(`${appUrl}/account/api-keys`, {
      method: 'POST',
      body: { name: `bench key ${i}` },
      headers: { cookie: sessionCookie, 'x-csrf-token': json.csrf_token },
    });
  }
  return { userId: json.user.id, sessionCookie };
}

/**
 * The baseline cannot open the app's sealed cookie, so it gets its own session row for the
 * same user: a raw token in the cookie, its SHA-256 in the table, as the app stores it.
 */
async function baselineSession(userId) {
  const token = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(token, 'utf8').digest();
  await admin.query(
    `INSERT INTO "${schema}".sessions (id, user_id, token_hash, expires_at)
     VALUES (gen_random_uuid(), $1, $2, now() + interval '1 day')`,
    [userId, hash],
  );
  return `intake_session=${token}`;
}

async function load(url, headers) {
  const options = { url, headers, connections: LOAD.connections };
  await autocannon({ ...options, duration: LOAD.warmupSeconds });
  const result = await autocannon({ ...options, duration: LOAD.durationSeconds });
  const figures = {
    requests_per_sec: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non_2xx: result.non2xx,
  };
  if (figures.errors || figures.timeouts || figures.non_2xx) {
    throw new Error(
      `${url}: ${figures.errors} errors, ${figures.timeouts} timeouts, ${figures.non_2xx} non-2xx responses`,
    );
  }
  return figures;
}

function gitCommit() {
  const run = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    // Others edit the tree; say so, since a dirty tree is not exactly the commit.
    return {
      commit: run(['rev-parse', 'HEAD']),
      dirty: run(['status', '--porcelain', '--', 'apps', 'libs', 'prisma']) !== '',
    };
  } catch {
    return { commit: null, dirty: null };
  }
}

const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const rps = (n) => n.toLocaleString('en-US');

function line(name, intake, baseline) {
  return (
    `${name}: intake ${rps(intake.requests_per_sec)} req/s vs baseline ${rps(baseline.requests_per_sec)} req/s ` +
    `(ratio ${ratio(intake.requests_per_sec, baseline.requests_per_sec)}); p99 ${intake.p99_ms} ms vs ${baseline.p99_ms} ms`
  );
}

async function main() {
  admin = new Client({ connectionString: databaseUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  schemaCreated = true;

  const [appPort, basePort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const appDatabaseUrl = new URL(databaseUrl);
  appDatabaseUrl.searchParams.set('schema', schema);
  const unlimited = '1000000'; // the bench measures throughput, not the rate limiter's refusals
  const app = startChild('intake api', ['dist/apps/api/src/main.js'], {
    DATABASE_URL: appDatabaseUrl.toString(),
    MIGRATE_ON_BOOT: 'true',
    HOST: '127.0.0.1',
    PORT: String(appPort),
    LOG_LEVEL: 'warn',
    SECRET_KEY: randomBytes(32).toString('base64'),
    SESSION_RATE_LIMIT_PER_MINUTE: unlimited,
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: unlimited,
    API_KEY_RATE_LIMIT_PER_MINUTE: unlimited,
    SHUTDOWN_GRACE_MS: '1000',
  });
  await waitReady(app, `${appUrl}/readyz`);
  const { userId, sessionCookie } = await seedUser(appUrl);

  const baseline = startChild('baseline', ['bench/baseline-server.js'], {
    BASELINE_DATABASE_URL: databaseUrl.toString(),
    BENCH_SCHEMA: schema,
    PORT: String(basePort),
  });
  await waitReady(baseline, `${baseUrl}/readyz`);
  const baselineCookie = await baselineSession(userId);

  // Each route must return the 5 keys: a wrong RLS context would return none, and fast.
  const routes = {
    intake: [`${appUrl}/account/api-keys`, sessionCookie],
    baseline: [`${baseUrl}/api-keys-rls`, baselineCookie],
    baselineTx: [`${baseUrl}/api-keys-tx`, baselineCookie],
    baselineNoRls: [`${baseUrl}/api-keys`, baselineCookie],
  };
  for (const [url, cookie] of Object.values(routes)) {
    const { json } = await call(url, { headers: { cookie } });
    if (json.api_keys?.length !== 5)
      throw new Error(`${url} listed ${json.api_keys?.length} keys, not 5`);
  }

  // One target at a time: both servers stay up, only one is under load.
  process.stdout.write(
    `bench: ${LOAD.connections} connections, ${LOAD.durationSeconds} s per target, schema ${schema}\n`,
  );
  const readyz = {
    intake: await load(`${appUrl}/readyz`),
    baseline: await load(`${baseUrl}/readyz`),
  };
  const apiKeys = {};
  for (const [name, [url, cookie]] of Object.entries(routes))
    apiKeys[name] = await load(url, { cookie });

  const context = {
    date: new Date().toISOString(),
    command: 'npm run bench',
    ...gitCommit(),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: (await admin.query('SHOW server_version')).rows[0].server_version,
    },
    load: { ...LOAD, tool: `autocannon ${require('autocannon/package.json').version}` },
  };
  mkdirSync(resultsDir, { recursive: true });
  const write = (name, data) =>
    writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
  write('readyz', {
    benchmark: 'GET /readyz (no login; two migration-status queries)',
    ...context,
    intake: readyz.intake,
    baseline: readyz.baseline,
    ratio: ratio(readyz.intake.requests_per_sec, readyz.baseline.requests_per_sec),
  });
  const rlsRatio = ratio(apiKeys.baseline.requests_per_sec, apiKeys.baselineNoRls.requests_per_sec);
  write('api-keys', {
    benchmark: 'GET /account/api-keys (session cookie; 5 keys; RLS transaction)',
    ...context,
    intake: apiKeys.intake,
    baseline: apiKeys.baseline,
    ratio: ratio(apiKeys.intake.requests_per_sec, apiKeys.baseline.requests_per_sec),
    rls: {
      about:
        'baseline /api-keys-rls (BEGIN; set_config role + owner; query; COMMIT) vs /api-keys (the query alone); ' +
        '/api-keys-tx is the same transaction without the role switch, so RLS policies do not apply',
      with_rls: apiKeys.baseline,
      transaction_without_policies: apiKeys.baselineTx,
      without_rls: apiKeys.baselineNoRls,
      ratio: rlsRatio,
      policies_ratio: ratio(apiKeys.baseline.requests_per_sec, apiKeys.baselineTx.requests_per_sec),
    },
  });

  process.stdout.write(`${line('readyz', readyz.intake, readyz.baseline)}\n`);
  process.stdout.write(`${line('api-keys', apiKeys.intake, apiKeys.baseline)}\n`);
  process.stdout.write(
    `rls: baseline with RLS context ${rps(apiKeys.baseline.requests_per_sec)} req/s vs without ` +
      `${rps(apiKeys.baselineNoRls.requests_per_sec)} req/s (ratio ${rlsRatio}); ` +
      `p99 ${apiKeys.baseline.p99_ms} ms vs ${apiKeys.baselineNoRls.p99_ms} ms; ` +
      `same transaction without policies ${rps(apiKeys.baselineTx.requests_per_sec)} req/s\n`,
  );
}

/** Stops the servers, then drops the schema (their pools must be gone for DROP to not wait). */
async function cleanup() {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  if (admin) {
    if (schemaCreated)
      await admin
        .query(`DROP SCHEMA "${schema}" CASCADE`)
        .catch((error) =>
          process.stderr.write(`bench: could not drop schema ${schema}: ${error.message}\n`),
        );
    await admin.end().catch(() => undefined);
  }
}

let cleaning;
const finish = (code) => {
  cleaning ??= cleanup().finally(() => process.exit(code));
  return cleaning;
};
process.on('SIGINT', () => finish(130));
process.on('SIGTERM', () => finish(143));

main().then(
  () => finish(0),
  (error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
    return finish(1);
  },
);
