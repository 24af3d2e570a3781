#!/usr/bin/env node
// `npm run bench`: load-tests the real Intake api against a bare node:http + pg baseline
// (bench/baseline-server.js) in the same run, on the same PostgreSQL, in a throwaway
// schema, and its live dashboard channel against bare socket.io + Redis (bench/realtime.js).
// Starts the servers and runs the benchmarks of BENCH_ONLY; each benchmark beyond readyz
// and api-keys lives in its own module (bench/<name>.js). Writes bench/results/*.json and
// prints one line per benchmark. See bench/README.md.
'use strict';
const { execFileSync } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { exportBench, exportReport } = require('./export');
const { INGEST, ingestBench, ingestReport, ingestSetup } = require('./ingest');
const { ingestInstancesBench, ingestInstancesReport } = require('./ingest-instances');
const { memoryBench, memoryReport } = require('./memory');
const { pipelineBench, pipelineReport } = require('./pipeline');
const { pipelineAiBench, pipelineAiReport } = require('./pipeline-ai');
const { realtimeBench, realtimeReport } = require('./realtime');
const { submissionsListBench, submissionsListReport } = require('./submissions-list');
const {
  LOAD,
  call,
  children,
  freePort,
  load,
  ratio,
  root,
  rps,
  startChild,
  stopChild,
  waitReady,
} = require('./support');

// Where the result files go: a smoke run can point this elsewhere and leave bench/results alone.
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? join(__dirname, 'results');
// Which benchmarks to run: a comma-separated subset of these (default all), always run in
// this order.
const BENCHMARKS = [
  'readyz',
  'api-keys',
  'ingest',
  'pipeline',
  'pipeline-ai',
  'realtime',
  'ingest-2-instances',
  'memory',
  'submissions-list',
  'export',
];
// The benchmarks that POST to the ingest forms (ingestSetup).
const INGEST_FAMILY = new Set(['ingest', 'ingest-2-instances', 'memory']);
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? BENCHMARKS.join(',')).split(',').map((name) => name.trim()),
);
for (const name of ONLY)
  if (!BENCHMARKS.includes(name))
    throw new Error(`BENCH_ONLY: unknown benchmark ${name} (known: ${BENCHMARKS.join(', ')})`);
// A directory: both servers run with --cpu-prof and write their profiles on exit to its
// api/ and baseline/ subdirectories (read them with Chrome DevTools or speedscope).
// Profiling slows the api, so such a run prints its figures but writes no result files.
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;

// DATABASE_URL may carry the app's `?schema=`; the bench always uses its own schema.
const databaseUrl = new URL(
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
);
databaseUrl.searchParams.delete('schema');
const schema = `bench_${randomBytes(4).toString('hex')}`;

let admin;
let schemaCreated = false;

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
  return { userId: json.user.id, sessionCookie, csrf: json.csrf_token };
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

function line(name, intake, baseline) {
  return (
    `${name}: intake ${rps(intake.requests_per_sec)} req/s vs baseline ${rps(baseline.requests_per_sec)} req/s ` +
    `(ratio ${ratio(intake.requests_per_sec, baseline.requests_per_sec)}); p99 ${intake.p99_ms} ms vs ${baseline.p99_ms} ms`
  );
}

const loadAtStart = Math.round(os.loadavg()[0] * 100) / 100;

/** What every result file records besides its figures. */
async function runContext() {
  return {
    date: new Date().toISOString(),
    // The load settings that were overridden, so the command reproduces the run.
    command: [
      ...Object.entries(process.env)
        .filter(([name]) => /^BENCH_/.test(name))
        .map(([name, value]) => `${name}=${value}`)
        .sort(),
      'npm run bench',
    ].join(' '),
    ...gitCommit(),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: (await admin.query('SHOW server_version')).rows[0].server_version,
      // The machine may be shared: a high figure here means noisy results.
      load_average_1m_at_start: loadAtStart,
    },
    load: { ...LOAD, tool: `autocannon ${require('autocannon/package.json').version}` },
  };
}

/** Writes a result file (not when profiling) and prints its lines. */
function publish(name, { result, lines }) {
  if (!CPU_PROF_DIR) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
  for (const text of lines) process.stdout.write(`${text}\n`);
}

async function main() {
  admin = new Client({ connectionString: databaseUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  schemaCreated = true;
  const db = { admin, schema };

  const [appPort, basePort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const appDatabaseUrl = new URL(databaseUrl);
  appDatabaseUrl.searchParams.set('schema', schema);
  const unlimited = '1000000'; // the bench measures throughput, not the rate limiter's refusals
  // Shared with the pipeline's workers: they open the destinations' sealed webhook secrets.
  const secretKey = randomBytes(32).toString('base64');
  const profile = (name) =>
    CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF_DIR, name)}`] : [];
  // Also the other benchmarks' api instances', with their own port (and for realtime, Redis
  // and PUBLIC_URL).
  const apiEnv = {
    DATABASE_URL: appDatabaseUrl.toString(),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SECRET_KEY: secretKey,
    // Processing is the worker processes' job (the pipeline benchmark starts them).
    JOBS_IN_API: 'false',
    // The pipeline benchmarks' webhook receiver listens on 127.0.0.1. (The AI settings of
    // pipeline-ai's form need no AI on the api: only its worker calls the model.)
    ...(ONLY.has('pipeline') || ONLY.has('pipeline-ai')
      ? { ALLOW_PRIVATE_DESTINATIONS: 'true' }
      : {}),
    SESSION_RATE_LIMIT_PER_MINUTE: unlimited,
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: unlimited,
    API_KEY_RATE_LIMIT_PER_MINUTE: unlimited,
    SHUTDOWN_GRACE_MS: '1000',
  };
  const app = startChild('intake api', [...profile('api'), 'dist/apps/api/src/main.js'], {
    ...apiEnv,
    MIGRATE_ON_BOOT: 'true',
    PORT: String(appPort),
  });
  await waitReady(app, `${appUrl}/readyz`);
  const seeded = await seedUser(appUrl);
  const { userId, sessionCookie } = seeded;

  const baselineEnv = { BASELINE_DATABASE_URL: databaseUrl.toString(), BENCH_SCHEMA: schema };
  const baseline = startChild('baseline', [...profile('baseline'), 'bench/baseline-server.js'], {
    ...baselineEnv,
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
    `bench: ${[...ONLY].join(', ')}; ${LOAD.connections} connections, ${LOAD.durationSeconds} s per ` +
      `target; ingest ${INGEST.requests} requests at ${INGEST.connections} connections; schema ${schema}` +
      `${CPU_PROF_DIR ? `; profiling both servers into ${CPU_PROF_DIR} (no result files written)` : ''}\n`,
  );
  const context = await runContext();
  if (ONLY.has('readyz')) {
    const intake = await load(`${appUrl}/readyz`);
    const base = await load(`${baseUrl}/readyz`);
    publish('readyz', {
      result: {
        benchmark: 'GET /readyz (no login; two migration-status queries)',
        ...context,
        intake,
        baseline: base,
        ratio: ratio(intake.requests_per_sec, base.requests_per_sec),
      },
      lines: [line('readyz', intake, base)],
    });
  }
  if (ONLY.has('api-keys')) {
    const apiKeys = {};
    for (const [name, [url, cookie]] of Object.entries(routes))
      apiKeys[name] = await load(url, { cookie });
    publish('api-keys', apiKeysReport(apiKeys, context));
  }

  // After the api-keys benchmark: the key made here would be a 6th row in its listing.
  const forms = [...INGEST_FAMILY].some((name) => ONLY.has(name))
    ? await ingestSetup(db, appUrl, seeded)
    : null;
  if (ONLY.has('ingest'))
    publish('ingest', ingestReport(await ingestBench(db, { appUrl, baseUrl, forms }), context));

  const workerEnv = {
    DATABASE_URL: appDatabaseUrl.toString(),
    SECRET_KEY: secretKey,
    ALLOW_PRIVATE_DESTINATIONS: 'true',
    LOG_LEVEL: 'warn',
  };
  if (ONLY.has('pipeline'))
    publish(
      'pipeline',
      pipelineReport(await pipelineBench(db, appUrl, seeded, workerEnv), context),
    );
  if (ONLY.has('pipeline-ai'))
    publish(
      'pipeline-ai',
      pipelineAiReport(await pipelineAiBench(db, appUrl, seeded, workerEnv), context),
    );
  if (ONLY.has('realtime')) {
    const realtime = await realtimeBench({ appUrl, seeded, apiEnv, workerEnv, namespace: schema });
    const report = realtimeReport(realtime, context);
    publish('realtime', { result: report.result, lines: [report.line] });
  }

  // After the others: they add rows and processes that the benchmarks above never had.
  const servers = { appUrl, baseUrl, seeded, forms, apiEnv, baselineEnv };
  if (ONLY.has('ingest-2-instances'))
    publish(
      'ingest-2-instances',
      ingestInstancesReport(await ingestInstancesBench(db, servers), context),
    );
  if (ONLY.has('memory')) publish('memory', memoryReport(await memoryBench(db, servers), context));
  if (ONLY.has('submissions-list'))
    publish(
      'submissions-list',
      submissionsListReport(await submissionsListBench(db, servers), context),
    );
  if (ONLY.has('export')) publish('export', exportReport(await exportBench(db, servers), context));
}

function apiKeysReport(apiKeys, context) {
  const rlsRatio = ratio(apiKeys.baseline.requests_per_sec, apiKeys.baselineNoRls.requests_per_sec);
  return {
    result: {
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
        policies_ratio: ratio(
          apiKeys.baseline.requests_per_sec,
          apiKeys.baselineTx.requests_per_sec,
        ),
      },
    },
    lines: [
      line('api-keys', apiKeys.intake, apiKeys.baseline),
      `rls: baseline with RLS context ${rps(apiKeys.baseline.requests_per_sec)} req/s vs without ` +
        `${rps(apiKeys.baselineNoRls.requests_per_sec)} req/s (ratio ${rlsRatio}); ` +
        `p99 ${apiKeys.baseline.p99_ms} ms vs ${apiKeys.baselineNoRls.p99_ms} ms; ` +
        `same transaction without policies ${rps(apiKeys.baselineTx.requests_per_sec)} req/s`,
    ],
  };
}

/** Stops the servers, then drops the schema (their pools must be gone for DROP to not wait). */
async function cleanup() {
  await Promise.all(children.map((child) => stopChild(child, 5000)));
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
