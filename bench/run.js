#!/usr/bin/env node
// `npm run bench`: load-tests the real Intake api against a bare node:http + pg baseline
// (bench/baseline-server.js) in the same run, on the same PostgreSQL, in a throwaway
// schema, and its live dashboard channel against bare socket.io + Redis (bench/realtime.js).
// Writes bench/results/*.json and prints one line per benchmark. See bench/README.md.
'use strict';
const autocannon = require('autocannon');
const { execFileSync } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const http = require('node:http');
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { performance } = require('node:perf_hooks');
const { join } = require('node:path');
const { Client } = require('pg');
const { Webhook } = require('standardwebhooks');
const { realtimeBench, realtimeReport } = require('./realtime');
const {
  CONTACT_SCHEMA,
  assertRunning,
  call,
  children,
  freePort,
  paced,
  percentile,
  ratio,
  root,
  rps,
  startChild,
  stopChild,
  uniqueSubmission,
  waitReady,
} = require('./support');

const resultsDir = join(__dirname, 'results');
const LOAD = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 8),
  // Discarded: lets V8 optimise the hot paths and both pools open all their connections.
  warmupSeconds: 2,
};
// The ingest benchmark is a fixed number of POSTs (each one stores a row), not a duration.
const INGEST = {
  connections: Number(process.env.BENCH_INGEST_CONNECTIONS ?? 50),
  requests: Number(process.env.BENCH_INGEST_REQUESTS ?? 20_000),
  // Discarded, as above; also fills the tables' first pages and the GIN index's pending list.
  warmupRequests: Number(process.env.BENCH_INGEST_WARMUP ?? 2_000),
};
// The pipeline benchmark: submissions per throughput batch, and the paced stream for latency.
const PIPELINE = {
  submissions: Number(process.env.BENCH_PIPELINE_SUBMISSIONS ?? 3_000),
  ingestConnections: 50,
  paceRate: Number(process.env.BENCH_PIPELINE_RATE ?? 20),
  paceSeconds: Number(process.env.BENCH_PIPELINE_SECONDS ?? 10),
  // A batch (or the stream's last webhook) that takes longer fails the run.
  timeoutMs: 180_000,
};
// Which benchmarks to run: a comma-separated subset of readyz, api-keys, ingest, pipeline,
// realtime (default all).
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? 'readyz,api-keys,ingest,pipeline,realtime')
    .split(',')
    .map((name) => name.trim()),
);
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

// ---------------------------------------------------------------------------------------
// Ingest: POST a valid 3-field JSON submission to a form's public endpoint.
// ---------------------------------------------------------------------------------------

const SUBMISSION = JSON.stringify({
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  message: 'Hello! I would like to know more about your analytical engine. Could you call me back?',
});

/**
 * Creates a public and a private form over the bearer API (a `forms:write` key), and the
 * copies of the ingest tables the baseline writes to. `ip_rate_limit: 0` turns the per-IP
 * quota off: the bench measures throughput, not the limiter's refusals.
 */
async function ingestSetup(appUrl, { sessionCookie, csrf }) {
  const {
    json: { secret },
  } = await call(`${appUrl}/account/api-keys`, {
    method: 'POST',
    body: { name: 'bench forms key', scopes: ['forms:write'] },
    headers: { cookie: sessionCookie, 'x-csrf-token': csrf },
  });
  const createForm = async (slug, extra = {}) => {
    const { json } = await call(`${appUrl}/api/forms`, {
      method: 'POST',
      body: {
        name: 'Bench contact',
        slug,
        fields_schema: CONTACT_SCHEMA,
        ip_rate_limit: 0,
        ...extra,
      },
      headers: { authorization: `Bearer ${secret}` },
    });
    const {
      rows: [version],
    } = await admin.query(`SELECT id FROM "${schema}".form_versions WHERE form_id = $1`, [
      json.form.id,
    ]);
    return {
      id: json.form.id,
      versionId: version.id,
      path: new URL(json.form.endpoint).pathname,
      token: json.form.submission_token,
    };
  };
  const publicForm = await createForm('bench-public');
  const privateForm = await createForm('bench-private', { visibility: 'private' });
  if (!privateForm.token) throw new Error('the private form came without a submission_token');

  // Same columns, defaults and indexes (GIN full-text index included) and the same foreign keys.
  await admin.query(`
    SET search_path = "${schema}";
    CREATE TABLE baseline_submissions (LIKE submissions INCLUDING ALL);
    ALTER TABLE baseline_submissions
      ADD FOREIGN KEY (form_id) REFERENCES forms (id) ON DELETE CASCADE ON UPDATE CASCADE,
      ADD FOREIGN KEY (form_version_id) REFERENCES form_versions (id) ON DELETE CASCADE ON UPDATE CASCADE;
    CREATE TABLE baseline_jobs (LIKE submission_jobs INCLUDING ALL);
    ALTER TABLE baseline_jobs
      ADD FOREIGN KEY (submission_id) REFERENCES baseline_submissions (id) ON DELETE CASCADE ON UPDATE CASCADE;
    CREATE TABLE baseline_idempotency_keys (LIKE idempotency_keys INCLUDING ALL);
    RESET search_path;`);
  return { publicForm, privateForm };
}

/** Rows a form has in a submissions table, and how many of them have their job. */
async function storedCounts(table, jobsTable, formId) {
  const {
    rows: [row],
  } = await admin.query(
    `SELECT count(*)::int AS submissions, count(j.id)::int AS jobs
       FROM "${schema}".${table} s LEFT JOIN "${schema}".${jobsTable} j ON j.submission_id = s.id
      WHERE s.form_id = $1`,
    [formId],
  );
  return row;
}

let idempotencyCounter = 0;
const idempotencyPrefix = randomBytes(6).toString('hex');

/**
 * A warm-up then the measured fixed number of POSTs. Every answer must be 201 (a 200 would
 * be an idempotent replay, anything else a failure), and afterwards the table must hold
 * exactly as many new rows, each with its job, as there were 201s: acknowledged = stored.
 */
async function ingestLoad({ url, headers = {}, idempotency = false, table, jobsTable, formId }) {
  const options = {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: SUBMISSION,
    connections: INGEST.connections,
  };
  if (idempotency) {
    options.requests = [
      {
        setupRequest: (request) => ({
          ...request,
          headers: {
            ...request.headers,
            'idempotency-key': `bench-${idempotencyPrefix}-${++idempotencyCounter}`,
          },
        }),
      },
    ];
  }
  const before = await storedCounts(table, jobsTable, formId);
  const { result: warmup } = await timed({ ...options, amount: INGEST.warmupRequests });
  const { result, seconds } = await timed({ ...options, amount: INGEST.requests });
  const after = await storedCounts(table, jobsTable, formId);

  const created = (r) => r.statusCodeStats['201']?.count ?? 0;
  const accepted = created(result);
  const figures = {
    accepted_per_sec: Math.round(accepted / seconds),
    requests_per_sec: Math.round(result.requests.total / seconds),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    accepted,
    duration_s: Math.round(seconds * 100) / 100,
    errors: result.errors,
    timeouts: result.timeouts,
    non_2xx: result.non2xx,
    status_codes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
    // Warm-up included: every 201 of the target, and the rows that appeared meanwhile.
    verified: {
      acknowledged: created(warmup) + accepted,
      stored: after.submissions - before.submissions,
      with_job: after.jobs - before.jobs,
    },
  };
  const acknowledged = created(warmup) + accepted;
  const problems = [];
  for (const [phase, r] of [
    ['warm-up', warmup],
    ['measured', result],
  ]) {
    const other = r.requests.total - created(r);
    if (r.errors || r.timeouts || r.non2xx || other)
      problems.push(
        `${phase}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx, ${other} not 201 ` +
          `(status codes ${JSON.stringify(r.statusCodeStats)})`,
      );
  }
  if (result.requests.total !== INGEST.requests)
    problems.push(`sent ${result.requests.total} requests, not ${INGEST.requests}`);
  if (after.submissions - before.submissions !== acknowledged)
    problems.push(
      `${acknowledged} submissions acknowledged (201) but ${after.submissions - before.submissions} stored`,
    );
  if (after.jobs - before.jobs !== acknowledged)
    problems.push(`${acknowledged} submissions acknowledged but ${after.jobs - before.jobs} jobs`);
  if (problems.length > 0) throw new Error(`${url}: ${problems.join('; ')}`);
  return figures;
}

/**
 * autocannon with its own clock: with a fixed `amount` it only notices the end at its next
 * one-second sample, so its `duration` and per-second averages are rounded up by up to a
 * second. Here the run lasts from the start until the last response arrives.
 */
async function timed(options) {
  const instance = autocannon(options);
  let first;
  let last;
  instance.on('start', () => (first = performance.now()));
  instance.on('response', () => (last = performance.now()));
  const result = await instance;
  return { result, seconds: (last - first) / 1000 };
}

/** One POST, checked by hand before the load: 201 and the `{id, data, created_at}` contract. */
async function ingestProbe(url, headers = {}) {
  const { response, json } = await call(url, {
    method: 'POST',
    body: JSON.parse(SUBMISSION),
    headers,
  });
  if (
    response.status !== 201 ||
    typeof json?.id !== 'string' ||
    typeof json?.created_at !== 'string' ||
    JSON.stringify(json.data) !== SUBMISSION
  )
    throw new Error(
      `${url}: expected 201 {id, data, created_at}, got ${response.status} ${JSON.stringify(json)}`,
    );
}

// The issue's targets for ingest, on the reference 2-core machine.
const TARGET = { ratio: 0.5, p99Ms: 25 };
const ingestTargets = (intake, baseline) => ({
  ratio: ratio(intake.accepted_per_sec, baseline.accepted_per_sec) >= TARGET.ratio,
  p99: intake.p99_ms < TARGET.p99Ms,
});

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
  // Shared with the pipeline's workers: they open the destinations' sealed webhook secrets.
  const secretKey = randomBytes(32).toString('base64');
  const profile = (name) =>
    CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF_DIR, name)}`] : [];
  // Also the realtime benchmark's api instances', with their own port, Redis and PUBLIC_URL.
  const apiEnv = {
    DATABASE_URL: appDatabaseUrl.toString(),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SECRET_KEY: secretKey,
    // Processing is the worker processes' job (the pipeline benchmark starts them).
    JOBS_IN_API: 'false',
    // The pipeline benchmark's webhook receiver listens on 127.0.0.1.
    ...(ONLY.has('pipeline') ? { ALLOW_PRIVATE_DESTINATIONS: 'true' } : {}),
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

  const baseline = startChild('baseline', [...profile('baseline'), 'bench/baseline-server.js'], {
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
    `bench: ${[...ONLY].join(', ')}; ${LOAD.connections} connections, ${LOAD.durationSeconds} s per ` +
      `target; ingest ${INGEST.requests} requests at ${INGEST.connections} connections; schema ${schema}` +
      `${CPU_PROF_DIR ? `; profiling both servers into ${CPU_PROF_DIR} (no result files written)` : ''}\n`,
  );
  const readyz = ONLY.has('readyz')
    ? { intake: await load(`${appUrl}/readyz`), baseline: await load(`${baseUrl}/readyz`) }
    : null;
  let apiKeys = null;
  if (ONLY.has('api-keys')) {
    apiKeys = {};
    for (const [name, [url, cookie]] of Object.entries(routes))
      apiKeys[name] = await load(url, { cookie });
  }

  let ingest = null;
  if (ONLY.has('ingest')) {
    // After the api-keys benchmark: the key made here would be a 6th row in its listing.
    const { publicForm, privateForm } = await ingestSetup(appUrl, seeded);
    const auth = { authorization: `Bearer ${privateForm.token}` };
    const targets = {
      public: {
        intake: { url: `${appUrl}${publicForm.path}`, formId: publicForm.id },
        baseline: { url: `${baseUrl}/ingest/${publicForm.versionId}`, formId: publicForm.id },
      },
      idempotency_key: {
        intake: { url: `${appUrl}${publicForm.path}`, formId: publicForm.id, idempotency: true },
        baseline: {
          url: `${baseUrl}/ingest/${publicForm.versionId}`,
          formId: publicForm.id,
          idempotency: true,
        },
      },
      private_token: {
        intake: { url: `${appUrl}${privateForm.path}`, formId: privateForm.id, headers: auth },
        baseline: {
          url: `${baseUrl}/ingest/${privateForm.versionId}`,
          formId: privateForm.id,
          headers: auth,
        },
      },
    };
    for (const variant of Object.values(targets)) {
      variant.intake.table = 'submissions';
      variant.intake.jobsTable = 'submission_jobs';
      variant.baseline.table = 'baseline_submissions';
      variant.baseline.jobsTable = 'baseline_jobs';
      for (const target of [variant.intake, variant.baseline])
        await ingestProbe(target.url, target.headers);
    }
    ingest = {};
    for (const [name, variant] of Object.entries(targets)) {
      ingest[name] = {
        intake: await ingestLoad(variant.intake),
        baseline: await ingestLoad(variant.baseline),
      };
    }
    // Ingest measures acceptance only: its jobs are never processed. Left queued,
    // they would sit ahead of the later benchmarks' submissions (jobs are claimed oldest
    // first) and the workers would spend minutes on them.
    await admin.query(`DELETE FROM "${schema}".submission_jobs`);
  }

  const workerEnv = {
    DATABASE_URL: appDatabaseUrl.toString(),
    SECRET_KEY: secretKey,
    ALLOW_PRIVATE_DESTINATIONS: 'true',
    LOG_LEVEL: 'warn',
  };
  const pipeline = ONLY.has('pipeline') ? await pipelineBench(appUrl, seeded, workerEnv) : null;
  const realtime = ONLY.has('realtime')
    ? await realtimeBench({ appUrl, seeded, apiEnv, workerEnv, namespace: schema })
    : null;

  const context = {
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
  mkdirSync(resultsDir, { recursive: true });
  const write = (name, data) => {
    if (!CPU_PROF_DIR)
      writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
  };
  if (readyz) {
    write('readyz', {
      benchmark: 'GET /readyz (no login; two migration-status queries)',
      ...context,
      intake: readyz.intake,
      baseline: readyz.baseline,
      ratio: ratio(readyz.intake.requests_per_sec, readyz.baseline.requests_per_sec),
    });
    process.stdout.write(`${line('readyz', readyz.intake, readyz.baseline)}\n`);
  }
  if (apiKeys) {
    const rlsRatio = ratio(
      apiKeys.baseline.requests_per_sec,
      apiKeys.baselineNoRls.requests_per_sec,
    );
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
        policies_ratio: ratio(
          apiKeys.baseline.requests_per_sec,
          apiKeys.baselineTx.requests_per_sec,
        ),
      },
    });
    process.stdout.write(`${line('api-keys', apiKeys.intake, apiKeys.baseline)}\n`);
    process.stdout.write(
      `rls: baseline with RLS context ${rps(apiKeys.baseline.requests_per_sec)} req/s vs without ` +
        `${rps(apiKeys.baselineNoRls.requests_per_sec)} req/s (ratio ${rlsRatio}); ` +
        `p99 ${apiKeys.baseline.p99_ms} ms vs ${apiKeys.baselineNoRls.p99_ms} ms; ` +
        `same transaction without policies ${rps(apiKeys.baselineTx.requests_per_sec)} req/s\n`,
    );
  }
  if (ingest) {
    const about = {
      public:
        'POST /api/{opaque}/f/{slug}, public form, valid 3-field JSON body; baseline POST /ingest/{version}',
      idempotency_key: 'the same, with a unique Idempotency-Key per request (stored too)',
      private_token: 'the same to a private form, with Authorization: Bearer <submission token>',
    };
    const variants = Object.fromEntries(
      Object.entries(ingest).map(([name, { intake, baseline }]) => [
        name,
        {
          about: about[name],
          intake,
          baseline,
          ratio: ratio(intake.accepted_per_sec, baseline.accepted_per_sec),
          targets: ingestTargets(intake, baseline),
        },
      ]),
    );
    write('ingest', {
      benchmark:
        'POST of a valid 3-field JSON submission to a public form (201 only after the submission and its job are stored)',
      ...context,
      load: {
        connections: INGEST.connections,
        requests: INGEST.requests,
        warmup_requests: INGEST.warmupRequests,
        tool: context.load.tool,
      },
      targets: {
        ratio_min: TARGET.ratio,
        p99_max_ms: TARGET.p99Ms,
        about: 'on the reference 2-core machine; ratio is accepted/s over the baseline accepted/s',
      },
      intake: variants.public.intake,
      baseline: variants.public.baseline,
      ratio: variants.public.ratio,
      variants,
    });
    for (const [name, variant] of Object.entries(variants)) {
      const { intake, baseline } = variant;
      const verdict = Object.entries(variant.targets)
        .map(([target, met]) => `${target} ${met ? 'met' : 'MISSED'}`)
        .join(', ');
      process.stdout.write(
        `ingest ${name}: intake ${rps(intake.accepted_per_sec)} accepted/s vs baseline ` +
          `${rps(baseline.accepted_per_sec)} accepted/s (ratio ${variant.ratio}); p50 ${intake.p50_ms} / ` +
          `p99 ${intake.p99_ms} ms vs ${baseline.p50_ms} / ${baseline.p99_ms} ms; ` +
          `${rps(intake.accepted)} + ${rps(baseline.accepted)} 201s, all stored; targets: ${verdict}\n`,
      );
    }
  }
  if (pipeline) {
    write('pipeline', {
      benchmark:
        'standard pipeline: worker processes (node dist/apps/worker/src/main.js) processing ' +
        'submissions (spam protection on, standard) and delivering a signed webhook to a local receiver',
      ...context,
      load: {
        submissions_per_batch: PIPELINE.submissions,
        ingest_connections: PIPELINE.ingestConnections,
        latency_stream: `${PIPELINE.paceRate}/s for ${PIPELINE.paceSeconds} s`,
        tool: context.load.tool,
      },
      ...pipeline,
    });
    for (const [name, run] of Object.entries(pipeline.throughput)) {
      process.stdout.write(
        `pipeline ${name}: ${rps(run.jobs_per_sec)} jobs/s end to end (processed and delivered), ` +
          `${rps(run.processed_per_sec)} processed/s; ${rps(run.submissions)} submissions in ${run.duration_s} s\n`,
      );
    }
    const { latency } = pipeline;
    process.stdout.write(
      `pipeline latency (201 to webhook, ${latency.workers} workers, ${latency.rate_per_sec}/s): ` +
        `p50 ${latency.p50_ms} / p99 ${latency.p99_ms} / max ${latency.max_ms} ms over ${latency.submissions} submissions\n`,
    );
  }
  if (realtime) {
    const report = realtimeReport(realtime, context);
    write('realtime', report.result);
    process.stdout.write(`${report.line}\n`);
  }
}

// ---------------------------------------------------------------------------------------
// Pipeline: worker processes take the outbox, process, and deliver a signed webhook.
// ---------------------------------------------------------------------------------------

/**
 * A webhook receiver on 127.0.0.1 that verifies every delivery with the Standard Webhooks
 * package (a bad signature fails the run), de-duplicates on the `webhook-id` and notes when
 * each submission's event first arrived.
 */
async function startWebhookReceiver() {
  const receiver = {
    secrets: new Map(),
    firstSeen: new Map(),
    webhookIds: new Set(),
    requests: 0,
    problems: [],
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      receiver.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const secret = receiver.secrets.get(req.url);
      try {
        const event = new Webhook(secret).verify(body, {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        });
        receiver.webhookIds.add(req.headers['webhook-id']);
        const id = event.data.submission.id;
        if (!receiver.firstSeen.has(id)) receiver.firstSeen.set(id, at);
        res.writeHead(204).end();
      } catch (error) {
        receiver.problems.push(`${req.url}: ${error.message}`);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}`;
  receiver.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** Submissions of a form by processing status, and its deliveries by status. */
async function pipelineCounts(formId) {
  const {
    rows: [row],
  } = await admin.query(
    `SELECT
       (SELECT count(*)::int FROM "${schema}".submissions WHERE form_id = $1) AS submissions,
       (SELECT count(*)::int FROM "${schema}".submissions WHERE form_id = $1 AND processing_status = 'pending') AS pending,
       (SELECT count(*)::int FROM "${schema}".submissions WHERE form_id = $1 AND processing_status = 'completed') AS completed,
       (SELECT count(*)::int FROM "${schema}".submissions WHERE form_id = $1 AND spam) AS spam,
       (SELECT count(*)::int FROM "${schema}".deliveries d JOIN "${schema}".destinations t ON t.id = d.destination_id
          WHERE t.form_id = $1) AS deliveries,
       (SELECT count(*)::int FROM "${schema}".deliveries d JOIN "${schema}".destinations t ON t.id = d.destination_id
          WHERE t.form_id = $1 AND d.status = 'delivered') AS delivered`,
    [formId],
  );
  return row;
}

async function pipelineBench(appUrl, { sessionCookie, csrf }, workerEnv) {
  const {
    json: { secret: apiKey },
  } = await call(`${appUrl}/account/api-keys`, {
    method: 'POST',
    body: { name: 'bench pipeline key', scopes: ['forms:write', 'destinations:write'] },
    headers: { cookie: sessionCookie, 'x-csrf-token': csrf },
  });
  const bearer = { authorization: `Bearer ${apiKey}` };
  const receiver = await startWebhookReceiver();
  let formCount = 0;
  /**
   * A fresh form per run, so the spam check's look-back (same content, same IP) sees only
   * that run's submissions. Spam protection on, standard strategy; the destination includes
   * spam, so every submission gets exactly one delivery whatever the verdict (the same IP
   * sends hundreds a second here, which the check may rightly call spam).
   */
  const newForm = async () => {
    formCount += 1;
    const { json } = await call(`${appUrl}/api/forms`, {
      method: 'POST',
      body: {
        name: 'Bench pipeline',
        slug: `bench-pipeline-${formCount}`,
        fields_schema: CONTACT_SCHEMA,
        ip_rate_limit: 0,
        spam_protection_enabled: true,
        spam_protection_strategy: 'standard',
      },
      headers: bearer,
    });
    const path = `/hook/${formCount}`;
    const {
      json: { destination },
    } = await call(`${appUrl}/api/forms/${json.form.id}/destinations`, {
      method: 'POST',
      body: {
        name: 'Bench receiver',
        type: 'webhook',
        url: `${receiver.url}${path}`,
        include_spam: true,
      },
      headers: bearer,
    });
    receiver.secrets.set(path, destination.secret);
    return { id: json.form.id, url: `${appUrl}${new URL(json.form.endpoint).pathname}` };
  };
  const workers = [];
  const startWorkers = (count) => {
    for (let i = 0; i < count; i++)
      workers.push(
        startChild(`worker ${workers.length + 1}`, ['dist/apps/worker/src/main.js'], workerEnv),
      );
  };
  const stopWorkers = async () => {
    await Promise.all(workers.map((worker) => stopChild(worker)));
    workers.length = 0;
  };
  /** Every submission completed, exactly one delivery each and all delivered. */
  const finished = (counts, expected) =>
    counts.completed === expected &&
    counts.deliveries === expected &&
    counts.delivered === expected;

  try {
    // Throughput: a batch stored first (no worker running), then N workers drain it.
    const throughput = {};
    for (const workerCount of [1, 2]) {
      const form = await newForm();
      const result = await autocannon({
        url: form.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        connections: PIPELINE.ingestConnections,
        amount: PIPELINE.submissions,
        requests: [{ setupRequest: (request) => ({ ...request, body: uniqueSubmission() }) }],
      });
      const accepted = result.statusCodeStats['201']?.count ?? 0;
      const stored = await pipelineCounts(form.id);
      if (
        accepted !== PIPELINE.submissions ||
        stored.submissions !== accepted ||
        stored.pending !== accepted
      )
        throw new Error(`pipeline batch: ${accepted} accepted, counts ${JSON.stringify(stored)}`);

      startWorkers(workerCount);
      const spawned = performance.now();
      const deadline = Date.now() + PIPELINE.timeoutMs;
      let first = null;
      let processedAt = null;
      let counts;
      for (;;) {
        assertRunning(workers);
        counts = await pipelineCounts(form.id);
        const now = performance.now();
        // The clock starts at the first claim, so the workers' boot is not counted.
        if (first === null && counts.pending < PIPELINE.submissions) first = now;
        if (processedAt === null && counts.completed === PIPELINE.submissions) processedAt = now;
        if (finished(counts, PIPELINE.submissions)) break;
        if (Date.now() > deadline)
          throw new Error(
            `pipeline batch (${workerCount} workers) not done in time: ${JSON.stringify(counts)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const seconds = (performance.now() - first) / 1000;
      throughput[`workers_${workerCount}`] = {
        workers: workerCount,
        submissions: PIPELINE.submissions,
        jobs_per_sec: Math.round(PIPELINE.submissions / seconds),
        processed_per_sec: Math.round(PIPELINE.submissions / ((processedAt - first) / 1000)),
        duration_s: Math.round(seconds * 100) / 100,
        boot_to_first_claim_s: Math.round(first - spawned) / 1000,
        spam: counts.spam,
        delivered: counts.delivered,
      };
      // The 2 workers stay up for the latency run.
      if (workerCount === 1) await stopWorkers();
    }

    // Latency: a paced stream, with the 2 workers idle and polling; from each 201 to the
    // first arrival of that submission's webhook at the receiver.
    const form = await newForm();
    const total = PIPELINE.paceRate * PIPELINE.paceSeconds;
    const acknowledged = new Map();
    const sent = await paced(PIPELINE.paceRate, total, () =>
      fetch(form.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: uniqueSubmission(),
      }).then(async (response) => {
        const at = performance.now();
        const json = await response.json();
        if (response.status !== 201)
          throw new Error(`latency stream: ${response.status} ${JSON.stringify(json)}`);
        acknowledged.set(json.id, at);
      }),
    );
    const deadline = Date.now() + PIPELINE.timeoutMs;
    // Until every webhook arrived and every delivery is recorded as delivered (the worker
    // records the outcome just after the receiver's answer).
    let counts;
    for (;;) {
      assertRunning(workers);
      counts = await pipelineCounts(form.id);
      const arrived = [...acknowledged.keys()].every((id) => receiver.firstSeen.has(id));
      if (arrived && finished(counts, total)) break;
      if (Date.now() > deadline)
        throw new Error(`latency stream: not done in time: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const latencies = [...acknowledged]
      .map(([id, at]) => receiver.firstSeen.get(id) - at)
      .sort((a, b) => a - b);
    const at = (p) => Math.round(percentile(latencies, p));
    const latency = {
      workers: 2,
      rate_per_sec: PIPELINE.paceRate,
      submissions: total,
      sent_in_s: Math.round(sent * 100) / 100,
      p50_ms: at(50),
      p90_ms: at(90),
      p99_ms: at(99),
      max_ms: Math.round(latencies[latencies.length - 1]),
      min_ms: Math.round(latencies[0]),
      spam: counts.spam,
    };

    // Every event of every run arrived, once per webhook-id, and verified.
    const expected = 2 * PIPELINE.submissions + total;
    if (receiver.problems.length > 0)
      throw new Error(`receiver: ${receiver.problems.slice(0, 3).join('; ')}`);
    if (receiver.webhookIds.size !== expected || receiver.firstSeen.size !== expected)
      throw new Error(
        `receiver: ${receiver.webhookIds.size} webhook-ids, ${receiver.firstSeen.size} submissions, expected ${expected}`,
      );
    return {
      throughput,
      scaling: ratio(throughput.workers_2.jobs_per_sec, throughput.workers_1.jobs_per_sec),
      latency,
      verified: {
        submissions: expected,
        distinct_webhook_ids: receiver.webhookIds.size,
        webhook_requests: receiver.requests,
      },
    };
  } finally {
    await stopWorkers();
    await receiver.close();
  }
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
