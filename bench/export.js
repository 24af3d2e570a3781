// The export benchmark (see bench/README.md, Export): `GET /api/forms/{id}/submissions/export`
// of a form of 100,000 submissions, as CSV and as NDJSON, each from a fresh api process whose
// resident memory is sampled throughout: rows/s, and RSS before and at its peak.
'use strict';
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { bulkInsertSubmissions } = require('./bulk-submissions');
const {
  call,
  createApiKey,
  createForm,
  rps,
  rssMb,
  sampleRss,
  startInstances,
  stopChild,
} = require('./support');

const EXPORT = {
  submissions: Number(process.env.BENCH_EXPORT_SUBMISSIONS ?? 100_000),
  formats: ['csv', 'ndjson'],
  sampleMs: 100,
  // After the warm-up request, before RSS is read: lets its garbage and sockets settle.
  settleMs: 1_000,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Downloads `url` with node:http (the body is counted, not kept): status, bytes, lines
 * (`\n`), the time to the first byte and to the last, from sending the request.
 */
function download(url, headers) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    http
      .get(url, { headers }, (response) => {
        const figures = { status: response.statusCode, bytes: 0, lines: 0, first_byte_ms: null };
        response.on('data', (chunk) => {
          figures.first_byte_ms ??= Math.round(performance.now() - start);
          figures.bytes += chunk.length;
          for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1))
            figures.lines += 1;
        });
        response.on('end', () =>
          resolve({ ...figures, seconds: (performance.now() - start) / 1000 }),
        );
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** `db` is `{ admin, schema }`; `apiEnv` the environment of the bench's api (no PORT). */
async function exportBench(db, { appUrl, seeded, apiEnv }) {
  const apiKey = await createApiKey(appUrl, seeded, 'bench export key', [
    'forms:write',
    'submissions:read',
  ]);
  const form = await createForm(appUrl, apiKey, 'bench-export');
  const insertSeconds = await bulkInsertSubmissions(db, form.id, EXPORT.submissions, {
    mixed: false,
  });
  const headers = { authorization: `Bearer ${apiKey}` };
  const formats = {};
  for (const format of EXPORT.formats) {
    // A fresh process per format: its memory owes nothing to the benchmarks before.
    const { urls, group } = await startInstances(
      1,
      `intake api (export ${format})`,
      'dist/apps/api/src/main.js',
      (port) => ({ ...apiEnv, PORT: String(port), MIGRATE_ON_BOOT: 'false' }),
    );
    const [api] = group;
    try {
      // One warm-up request through the same guard, form lookup and repository.
      await call(`${urls[0]}/api/forms/${form.id}/submissions?page_size=1`, { headers });
      await sleep(EXPORT.settleMs);
      const before = rssMb(api.pid);
      const sampler = sampleRss(api.pid, EXPORT.sampleMs);
      const got = await download(
        `${urls[0]}/api/forms/${form.id}/submissions/export?format=${format}`,
        headers,
      );
      const memory = sampler.stop();
      // CSV: a header line, then a line per row; NDJSON: a line per row.
      const rows = format === 'csv' ? got.lines - 1 : got.lines;
      if (got.status !== 200 || rows !== EXPORT.submissions)
        throw new Error(
          `export ${format}: status ${got.status}, ${rows} rows, expected ${EXPORT.submissions}`,
        );
      formats[format] = {
        rows,
        rows_per_sec: Math.round(rows / got.seconds),
        duration_s: Math.round(got.seconds * 100) / 100,
        first_byte_ms: got.first_byte_ms,
        bytes: got.bytes,
        mb_per_sec: Math.round((got.bytes / 2 ** 20 / got.seconds) * 10) / 10,
        rss_before_mb: before,
        rss_peak_mb: memory.peak_mb,
        rss_growth_mb: Math.round((memory.peak_mb - before) * 10) / 10,
        rss_per_second_mb: memory.per_second_mb,
        rss_samples: memory.samples,
        rss_max_gap_ms: memory.max_gap_ms,
      };
    } finally {
      await stopChild(api);
    }
  }
  return { submissions: EXPORT.submissions, insert_s: insertSeconds, formats };
}

/** export.json (the run's `context` + the figures) and the lines printed for it. */
function exportReport({ submissions, insert_s, formats }, context) {
  const result = {
    benchmark:
      'GET /api/forms/{id}/submissions/export?format=csv|ndjson (bearer API key) of a form with ' +
      'many submissions, each format from a fresh api process: rows/s and its resident memory',
    ...context,
    load: {
      client: 'one node:http GET per format, body counted and dropped',
      rss_sampling: `VmRSS of /proc/<pid>/status every ${EXPORT.sampleMs} ms`,
      rss_before: `${EXPORT.settleMs} ms after one warm-up GET of the listing (page_size=1)`,
    },
    data: {
      submissions,
      inserted_with_sql_in_s: insert_s,
      about: 'processed, non-spam submissions of the contact form, message about 80 characters',
    },
    formats,
  };
  const lines = Object.entries(formats).map(
    ([format, f]) =>
      `export ${format}: ${rps(f.rows)} rows in ${f.duration_s} s (${rps(f.rows_per_sec)} rows/s, ` +
      `${f.mb_per_sec} MB/s, first byte ${f.first_byte_ms} ms); api RSS ${f.rss_before_mb} MB before, ` +
      `peak ${f.rss_peak_mb} MB (+${f.rss_growth_mb})`,
  );
  return { result, lines };
}

module.exports = { exportBench, exportReport };
