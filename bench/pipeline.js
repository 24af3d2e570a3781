// The pipeline benchmark (see bench/README.md, Pipeline): worker processes take the outbox,
// process each submission (standard spam checks, owner notification) and deliver a signed
// webhook to a receiver in this process. Its pieces (receiver, forms, workers, a drained
// batch, a paced stream) are shared with the pipeline-ai benchmark (bench/pipeline-ai.js).
'use strict';
const autocannon = require('autocannon');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { Webhook } = require('standardwebhooks');
const {
  assertRunning,
  call,
  createApiKey,
  createForm,
  paced,
  percentile,
  ratio,
  rps,
  startChild,
  stopChild,
  uniqueSubmission,
} = require('./support');

// The pipeline benchmark: submissions per throughput batch, and the paced stream for latency.
const PIPELINE = {
  submissions: Number(process.env.BENCH_PIPELINE_SUBMISSIONS ?? 3_000),
  ingestConnections: 50,
  paceRate: Number(process.env.BENCH_PIPELINE_RATE ?? 20),
  paceSeconds: Number(process.env.BENCH_PIPELINE_SECONDS ?? 10),
  // A batch (or the stream's last webhook) that takes longer fails the run.
  timeoutMs: 180_000,
};

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

/**
 * Every event of every run arrived at the receiver, verified, once per webhook-id: as many
 * distinct webhook-ids as submissions seen, and as `expected`.
 */
function assertReceived(receiver, expected) {
  if (receiver.problems.length > 0)
    throw new Error(`receiver: ${receiver.problems.slice(0, 3).join('; ')}`);
  if (receiver.webhookIds.size !== expected || receiver.firstSeen.size !== expected)
    throw new Error(
      `receiver: ${receiver.webhookIds.size} webhook-ids, ${receiver.firstSeen.size} submissions, expected ${expected}`,
    );
  return {
    submissions: expected,
    distinct_webhook_ids: receiver.webhookIds.size,
    webhook_requests: receiver.requests,
  };
}

/** Submissions of a form by processing status, and its deliveries by status. */
async function pipelineCounts({ admin, schema }, formId) {
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

/** Every submission completed, exactly one delivery each and all delivered. */
const finished = (counts, expected) =>
  counts.completed === expected && counts.deliveries === expected && counts.delivered === expected;

/**
 * A form with the contact schema and `settings`, and one webhook destination to `receiver`
 * at `/hook/<slug>` (its secret registered there). The destination includes spam, so every
 * submission gets exactly one delivery whatever the verdict. `apiKey` has `forms:write`
 * and `destinations:write`.
 */
async function createWebhookForm(appUrl, apiKey, receiver, slug, settings) {
  const form = await createForm(appUrl, apiKey, slug, settings);
  const path = `/hook/${slug}`;
  const {
    json: { destination },
  } = await call(`${appUrl}/api/forms/${form.id}/destinations`, {
    method: 'POST',
    body: {
      name: 'Bench receiver',
      type: 'webhook',
      url: `${receiver.url}${path}`,
      include_spam: true,
    },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  receiver.secrets.set(path, destination.secret);
  return { id: form.id, url: `${appUrl}${form.path}` };
}

/** Worker processes (`worker 1..n`) with `env`, started and stopped together. */
function workerGroup(env) {
  const list = [];
  return {
    list,
    start(count) {
      for (let i = 0; i < count; i++)
        list.push(startChild(`worker ${list.length + 1}`, ['dist/apps/worker/src/main.js'], env));
    },
    async stop() {
      await Promise.all(list.map((worker) => stopChild(worker)));
      list.length = 0;
    },
  };
}

/**
 * Throughput: a batch of `submissions` bodies from `body()` stored first (no worker
 * running; autocannon, every answer must be a 201), then `workerCount` workers of `workers`
 * are started and drain it. The clock starts at the first claim, so the workers' boot is not
 * counted, and stops when every submission is completed and every delivery delivered
 * (`processed_per_sec`: when the last one is completed); rates rounded to `decimals`.
 * `check()` runs at each poll and throws to fail early. The workers are left running.
 */
async function throughputBatch(
  db,
  {
    form,
    workers,
    workerCount,
    submissions,
    body,
    label,
    timeoutMs = PIPELINE.timeoutMs,
    decimals = 0,
    check = () => undefined,
  },
) {
  const result = await autocannon({
    url: form.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: PIPELINE.ingestConnections,
    amount: submissions,
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
  const accepted = result.statusCodeStats['201']?.count ?? 0;
  const stored = await pipelineCounts(db, form.id);
  if (accepted !== submissions || stored.submissions !== accepted || stored.pending !== accepted)
    throw new Error(`${label}: ${accepted} accepted, counts ${JSON.stringify(stored)}`);

  workers.start(workerCount);
  const spawned = performance.now();
  const deadline = Date.now() + timeoutMs;
  let first = null;
  let processedAt = null;
  let counts;
  for (;;) {
    assertRunning(workers.list);
    check();
    counts = await pipelineCounts(db, form.id);
    const now = performance.now();
    if (first === null && counts.pending < submissions) first = now;
    if (processedAt === null && counts.completed === submissions) processedAt = now;
    if (finished(counts, submissions)) break;
    if (Date.now() > deadline)
      throw new Error(`${label} not done in time: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - first) / 1000;
  const perSec = (value) => Math.round(value * 10 ** decimals) / 10 ** decimals;
  return {
    workers: workerCount,
    submissions,
    jobs_per_sec: perSec(submissions / seconds),
    processed_per_sec: perSec(submissions / ((processedAt - first) / 1000)),
    duration_s: Math.round(seconds * 100) / 100,
    boot_to_first_claim_s: Math.round(first - spawned) / 1000,
    spam: counts.spam,
    delivered: counts.delivered,
  };
}

/**
 * Latency: a paced stream of `rate` bodies from `body()` a second for `seconds`, one
 * `fetch` each, with `workers` already running; from each 201 to the first arrival of that
 * submission's webhook at `receiver`, until every webhook arrived and every delivery is
 * recorded as delivered (the worker records the outcome just after the receiver's answer).
 * `check()` as for throughputBatch.
 */
async function latencyStream(
  db,
  {
    form,
    workers,
    receiver,
    rate,
    seconds,
    body,
    label,
    timeoutMs = PIPELINE.timeoutMs,
    check = () => undefined,
  },
) {
  const total = rate * seconds;
  const acknowledged = new Map();
  const sent = await paced(rate, total, () =>
    fetch(form.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(),
    }).then(async (response) => {
      const at = performance.now();
      const json = await response.json();
      if (response.status !== 201)
        throw new Error(`${label}: ${response.status} ${JSON.stringify(json)}`);
      acknowledged.set(json.id, at);
    }),
  );
  const deadline = Date.now() + timeoutMs;
  let counts;
  for (;;) {
    assertRunning(workers.list);
    check();
    counts = await pipelineCounts(db, form.id);
    const arrived = [...acknowledged.keys()].every((id) => receiver.firstSeen.has(id));
    if (arrived && finished(counts, total)) break;
    if (Date.now() > deadline)
      throw new Error(`${label}: not done in time: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const latencies = [...acknowledged]
    .map(([id, at]) => receiver.firstSeen.get(id) - at)
    .sort((a, b) => a - b);
  const at = (p) => Math.round(percentile(latencies, p));
  return {
    workers: workers.list.length,
    rate_per_sec: rate,
    submissions: total,
    sent_in_s: Math.round(sent * 100) / 100,
    p50_ms: at(50),
    p90_ms: at(90),
    p99_ms: at(99),
    max_ms: Math.round(latencies[latencies.length - 1]),
    min_ms: Math.round(latencies[0]),
    spam: counts.spam,
  };
}

/** `db` is `{ admin, schema }`: a superuser connection and the run's schema. */
async function pipelineBench(db, appUrl, seeded, workerEnv) {
  const apiKey = await createApiKey(appUrl, seeded, 'bench pipeline key', [
    'forms:write',
    'destinations:write',
  ]);
  const receiver = await startWebhookReceiver();
  let formCount = 0;
  /**
   * A fresh form per run, so the spam check's look-back (same content, same IP) sees only
   * that run's submissions. Spam protection on, standard strategy; the destination includes
   * spam, so every submission gets exactly one delivery whatever the verdict (the same IP
   * sends hundreds a second here, which the check may rightly call spam).
   */
  const newForm = () => {
    formCount += 1;
    return createWebhookForm(appUrl, apiKey, receiver, `bench-pipeline-${formCount}`, {
      spam_protection_enabled: true,
      spam_protection_strategy: 'standard',
    });
  };
  const workers = workerGroup(workerEnv);
  const body = () => uniqueSubmission();

  try {
    // Throughput: a batch stored first (no worker running), then N workers drain it.
    const throughput = {};
    for (const workerCount of [1, 2]) {
      throughput[`workers_${workerCount}`] = await throughputBatch(db, {
        form: await newForm(),
        workers,
        workerCount,
        submissions: PIPELINE.submissions,
        body,
        label: `pipeline batch (${workerCount} workers)`,
      });
      // The 2 workers stay up for the latency run.
      if (workerCount === 1) await workers.stop();
    }

    // Latency: a paced stream, with the 2 workers idle and polling.
    const latency = await latencyStream(db, {
      form: await newForm(),
      workers,
      receiver,
      rate: PIPELINE.paceRate,
      seconds: PIPELINE.paceSeconds,
      body,
      label: 'latency stream',
    });

    // Every event of every run arrived, once per webhook-id, and verified.
    const verified = assertReceived(
      receiver,
      2 * PIPELINE.submissions + PIPELINE.paceRate * PIPELINE.paceSeconds,
    );
    return {
      throughput,
      scaling: ratio(throughput.workers_2.jobs_per_sec, throughput.workers_1.jobs_per_sec),
      latency,
      verified,
    };
  } finally {
    await workers.stop();
    await receiver.close();
  }
}

/** pipeline.json (the run's `context` + the figures) and the lines printed for it. */
function pipelineReport(pipeline, context) {
  const result = {
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
  };
  const lines = Object.entries(pipeline.throughput).map(
    ([name, run]) =>
      `pipeline ${name}: ${rps(run.jobs_per_sec)} jobs/s end to end (processed and delivered), ` +
      `${rps(run.processed_per_sec)} processed/s; ${rps(run.submissions)} submissions in ${run.duration_s} s`,
  );
  const { latency } = pipeline;
  lines.push(
    `pipeline latency (201 to webhook, ${latency.workers} workers, ${latency.rate_per_sec}/s): ` +
      `p50 ${latency.p50_ms} / p99 ${latency.p99_ms} / max ${latency.max_ms} ms over ${latency.submissions} submissions`,
  );
  return { result, lines };
}

module.exports = {
  PIPELINE,
  assertReceived,
  createWebhookForm,
  latencyStream,
  pipelineBench,
  pipelineCounts,
  pipelineReport,
  startWebhookReceiver,
  throughputBatch,
  workerGroup,
};
