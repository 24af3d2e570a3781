// Ingest (see bench/README.md): POSTs of a valid 3-field JSON submission to a form's public
// endpoint, against bench/baseline-server.js doing the same single INSERT statement. The
// forms, the baseline's tables and the checked fixed-size load are shared with the
// ingest-2-instances and memory benchmarks.
'use strict';
const { randomBytes } = require('node:crypto');
const { call, createApiKey, createForm, ratio, rps, timed } = require('./support');

// The ingest benchmarks are a fixed number of POSTs (each one stores a row), not a duration.
const INGEST = {
  connections: Number(process.env.BENCH_INGEST_CONNECTIONS ?? 50),
  requests: Number(process.env.BENCH_INGEST_REQUESTS ?? 20_000),
  // Discarded: lets V8 optimise the hot paths and both pools open all their connections;
  // also fills the tables' first pages.
  warmupRequests: Number(process.env.BENCH_INGEST_WARMUP ?? 2_000),
};

const SUBMISSION = JSON.stringify({
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  message: 'Hello! I would like to know more about your analytical engine. Could you call me back?',
});

// Where each side stores its submissions and their jobs.
const TABLES = {
  intake: { table: 'submissions', jobsTable: 'submission_jobs' },
  baseline: { table: 'baseline_submissions', jobsTable: 'baseline_jobs' },
};

/**
 * Creates a public and a private form over the bearer API (a `forms:write` key), and the
 * copies of the ingest tables the baseline writes to. `db` is `{ admin, schema }`: a
 * superuser connection and the run's schema.
 */
async function ingestSetup({ admin, schema }, appUrl, seeded) {
  const apiKey = await createApiKey(appUrl, seeded, 'bench forms key', ['forms:write']);
  const withVersion = async (form) => {
    const {
      rows: [version],
    } = await admin.query(`SELECT id FROM "${schema}".form_versions WHERE form_id = $1`, [form.id]);
    return { ...form, versionId: version.id };
  };
  const publicForm = await withVersion(await createForm(appUrl, apiKey, 'bench-public'));
  const privateForm = await withVersion(
    await createForm(appUrl, apiKey, 'bench-private', { visibility: 'private' }),
  );
  if (!privateForm.token) throw new Error('the private form came without a submission_token');

  // Same columns, defaults, generated columns (the stored search vector) and indexes, and the
  // same foreign keys.
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

/**
 * The ingest benchmarks measure acceptance only: their jobs are never processed. Left
 * queued, they would sit ahead of the later benchmarks' submissions (jobs are claimed oldest
 * first) and the workers would spend minutes on them.
 */
async function dropIngestJobs({ admin, schema }) {
  await admin.query(`DELETE FROM "${schema}".submission_jobs`);
}

/** Rows a form has in a submissions table, and how many of them have their job. */
async function storedCounts({ admin, schema }, table, jobsTable, formId) {
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

/**
 * Disk per stored row after the ingest load: each table with its indexes and TOAST
 * (pg_total_relation_size, free space included, as the disk holds it) over its row count.
 * Jobs are transient (deleted once processed) and counted apart.
 */
async function storagePerRow({ admin, schema }, { table, jobsTable }) {
  const perRow = async (name) => {
    const {
      rows: [row],
    } = await admin.query(
      `SELECT pg_total_relation_size('"${schema}".${name}')::bigint AS bytes, count(*)::int AS rows
         FROM "${schema}".${name}`,
    );
    return { rows: row.rows, bytes_per_row: Math.round(Number(row.bytes) / row.rows) };
  };
  return { submissions: await perRow(table), jobs: await perRow(jobsTable) };
}

let idempotencyCounter = 0;
const idempotencyPrefix = randomBytes(6).toString('hex');

/** `total` split as evenly as possible over `parts` (the first ones get the remainder). */
const share = (total, parts, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0);

/**
 * A warm-up then the measured fixed number of POSTs, spread over `urls` (one autocannon per
 * url, the connections and requests split evenly, all at once). Every answer must be 201 (a
 * 200 would be an idempotent replay, anything else a failure), and afterwards the table must
 * hold exactly as many new rows, each with its job, as there were 201s: acknowledged = stored.
 */
async function ingestLoad(
  db,
  { urls, headers = {}, idempotency = false, table, jobsTable, formId },
) {
  const options = (amount) =>
    urls.map((url, i) => ({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: SUBMISSION,
      connections: share(INGEST.connections, urls.length, i),
      amount: share(amount, urls.length, i),
      ...(idempotency && {
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: {
                ...request.headers,
                'idempotency-key': `bench-${idempotencyPrefix}-${++idempotencyCounter}`,
              },
            }),
          },
        ],
      }),
    }));
  const before = await storedCounts(db, table, jobsTable, formId);
  const { result: warmup } = await timed(...options(INGEST.warmupRequests));
  const { result, statusCodes, seconds } = await timed(...options(INGEST.requests));
  const after = await storedCounts(db, table, jobsTable, formId);

  const created = (r) => r.statusCodeStats['201']?.count ?? 0;
  const accepted = created(result);
  const acknowledged = created(warmup) + accepted;
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
    ...(urls.length > 1 && {
      accepted_per_instance: statusCodes.map((codes) => codes['201'] ?? 0),
    }),
    // Warm-up included: every 201 of the target, and the rows that appeared meanwhile.
    verified: {
      acknowledged,
      stored: after.submissions - before.submissions,
      with_job: after.jobs - before.jobs,
    },
  };
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
  if (problems.length > 0) throw new Error(`${urls.join(' + ')}: ${problems.join('; ')}`);
  return figures;
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

/** The ingest benchmark: three variants, each on the api and then on the baseline. */
async function ingestBench(db, { appUrl, baseUrl, forms: { publicForm, privateForm } }) {
  const auth = { authorization: `Bearer ${privateForm.token}` };
  const targets = {
    public: {
      intake: { urls: [`${appUrl}${publicForm.path}`], formId: publicForm.id },
      baseline: { urls: [`${baseUrl}/ingest/${publicForm.versionId}`], formId: publicForm.id },
    },
    idempotency_key: {
      intake: { urls: [`${appUrl}${publicForm.path}`], formId: publicForm.id, idempotency: true },
      baseline: {
        urls: [`${baseUrl}/ingest/${publicForm.versionId}`],
        formId: publicForm.id,
        idempotency: true,
      },
    },
    private_token: {
      intake: { urls: [`${appUrl}${privateForm.path}`], formId: privateForm.id, headers: auth },
      baseline: {
        urls: [`${baseUrl}/ingest/${privateForm.versionId}`],
        formId: privateForm.id,
        headers: auth,
      },
    },
  };
  for (const variant of Object.values(targets)) {
    Object.assign(variant.intake, TABLES.intake);
    Object.assign(variant.baseline, TABLES.baseline);
    for (const target of [variant.intake, variant.baseline])
      await ingestProbe(target.urls[0], target.headers);
  }
  const results = {};
  for (const [name, variant] of Object.entries(targets)) {
    results[name] = {
      intake: await ingestLoad(db, variant.intake),
      baseline: await ingestLoad(db, variant.baseline),
    };
  }
  const storage = {
    intake: await storagePerRow(db, TABLES.intake),
    baseline: await storagePerRow(db, TABLES.baseline),
  };
  await dropIngestJobs(db);
  return { results, storage };
}

// The targets for ingest, on the reference 2-core machine.
const TARGET = { ratio: 0.5, p99Ms: 25 };

/** ingest.json (the run's `context` + the figures) and the lines printed for it. */
function ingestReport({ results: ingest, storage }, context) {
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
        targets: {
          ratio: ratio(intake.accepted_per_sec, baseline.accepted_per_sec) >= TARGET.ratio,
          p99: intake.p99_ms < TARGET.p99Ms,
        },
      },
    ]),
  );
  const result = {
    benchmark:
      'POST of a valid 3-field JSON submission to a public form (201 only after the submission and its job are stored)',
    ...context,
    load: { ...ingestLoadSettings(), tool: context.load.tool },
    targets: {
      ratio_min: TARGET.ratio,
      p99_max_ms: TARGET.p99Ms,
      about: 'on the reference 2-core machine; ratio is accepted/s over the baseline accepted/s',
    },
    intake: variants.public.intake,
    baseline: variants.public.baseline,
    ratio: variants.public.ratio,
    variants,
    storage: {
      about:
        'disk per row after every variant ran: table + indexes + TOAST (pg_total_relation_size) over its rows; jobs are deleted once processed',
      ...storage,
    },
  };
  const lines = Object.entries(variants).map(([name, variant]) => {
    const { intake, baseline } = variant;
    const verdict = Object.entries(variant.targets)
      .map(([target, met]) => `${target} ${met ? 'met' : 'MISSED'}`)
      .join(', ');
    return (
      `ingest ${name}: ${acceptedLine(intake, baseline, variant.ratio)}; ` +
      `${rps(intake.accepted)} + ${rps(baseline.accepted)} 201s, all stored; targets: ${verdict}`
    );
  });
  const { submissions, jobs } = storage.intake;
  lines.push(
    `ingest storage: ${submissions.bytes_per_row} bytes per submission (table, indexes, TOAST; ` +
      `${submissions.rows} rows), ${jobs.bytes_per_row} per queued job; baseline's copies ` +
      `${storage.baseline.submissions.bytes_per_row} and ${storage.baseline.jobs.bytes_per_row}`,
  );
  return { result, lines };
}

/** The ingest settings, as the result files record them. */
const ingestLoadSettings = () => ({
  connections: INGEST.connections,
  requests: INGEST.requests,
  warmup_requests: INGEST.warmupRequests,
});

/** "intake N accepted/s vs baseline M accepted/s (ratio r); p50 / p99 ..." */
const acceptedLine = (intake, baseline, r) =>
  `intake ${rps(intake.accepted_per_sec)} accepted/s vs baseline ` +
  `${rps(baseline.accepted_per_sec)} accepted/s (ratio ${r}); p50 ${intake.p50_ms} / ` +
  `p99 ${intake.p99_ms} ms vs ${baseline.p50_ms} / ${baseline.p99_ms} ms`;

module.exports = {
  INGEST,
  TABLES,
  acceptedLine,
  dropIngestJobs,
  ingestBench,
  ingestLoad,
  ingestLoadSettings,
  ingestProbe,
  ingestReport,
  ingestSetup,
};
