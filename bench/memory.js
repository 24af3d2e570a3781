// The memory benchmark (see bench/README.md, Memory): resident memory of a fresh api process
// when idle (after start and one warm-up request) and at its peak under the ingest load,
// against a fresh baseline server (bench/baseline-server.js) measured the same way.
'use strict';
const { TABLES, dropIngestJobs, ingestLoad, ingestLoadSettings, ingestProbe } = require('./ingest');
const { ratio, rps, rssMb, sampleRss, startInstances, stopChild } = require('./support');

const MEMORY = {
  sampleMs: 100,
  // After the warm-up request, before the idle RSS is read: lets its garbage settle.
  settleMs: 1_000,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One fresh server: RSS when ready, idle after one POST, and its peak under the ingest load. */
async function measure(db, { side, name, script, env, target, formId }) {
  const { urls, group } = await startInstances(1, name, script, (port) => ({
    ...env,
    PORT: String(port),
  }));
  const [server] = group;
  try {
    const ready = rssMb(server.pid);
    const url = `${urls[0]}${target}`;
    await ingestProbe(url);
    await sleep(MEMORY.settleMs);
    const idle = rssMb(server.pid);
    const sampler = sampleRss(server.pid, MEMORY.sampleMs);
    const load = await ingestLoad(db, { urls: [url], formId, ...TABLES[side] });
    const peak = sampler.stop();
    return {
      rss_ready_mb: ready,
      rss_idle_mb: idle,
      rss_peak_under_load_mb: peak.peak_mb,
      rss_per_second_mb: peak.per_second_mb,
      rss_samples: peak.samples,
      rss_max_gap_ms: peak.max_gap_ms,
      load: {
        accepted_per_sec: load.accepted_per_sec,
        p50_ms: load.p50_ms,
        p99_ms: load.p99_ms,
        accepted: load.accepted,
      },
    };
  } finally {
    await stopChild(server);
  }
}

/**
 * `db` is `{ admin, schema }`; `forms` from ingestSetup; `apiEnv` / `baselineEnv` the
 * environments of the bench's api and baseline server (no PORT).
 */
async function memoryBench(db, { forms: { publicForm }, apiEnv, baselineEnv }) {
  try {
    return {
      intake: await measure(db, {
        side: 'intake',
        name: 'intake api (memory)',
        script: 'dist/apps/api/src/main.js',
        env: { ...apiEnv, MIGRATE_ON_BOOT: 'false' },
        target: publicForm.path,
        formId: publicForm.id,
      }),
      baseline: await measure(db, {
        side: 'baseline',
        name: 'baseline (memory)',
        script: 'bench/baseline-server.js',
        env: baselineEnv,
        target: `/ingest/${publicForm.versionId}`,
        formId: publicForm.id,
      }),
    };
  } finally {
    await dropIngestJobs(db);
  }
}

/** memory.json (the run's `context` + the figures) and the line printed for it. */
function memoryReport({ intake, baseline }, context) {
  const result = {
    benchmark:
      'resident memory (VmRSS) of a fresh api process: idle after start and one warm-up POST, and ' +
      'at its peak under the ingest load (public form), against a fresh baseline server',
    ...context,
    load: {
      ingest: ingestLoadSettings(),
      rss_sampling: `VmRSS of /proc/<pid>/status every ${MEMORY.sampleMs} ms`,
      rss_idle: `${MEMORY.settleMs} ms after one warm-up POST`,
      tool: context.load.tool,
    },
    intake,
    baseline,
    idle_ratio: ratio(intake.rss_idle_mb, baseline.rss_idle_mb),
    peak_ratio: ratio(intake.rss_peak_under_load_mb, baseline.rss_peak_under_load_mb),
  };
  const line =
    `memory: api RSS idle ${intake.rss_idle_mb} MB, peak under ingest ${intake.rss_peak_under_load_mb} MB ` +
    `(${rps(intake.load.accepted_per_sec)} accepted/s) vs baseline ${baseline.rss_idle_mb} / ` +
    `${baseline.rss_peak_under_load_mb} MB (${rps(baseline.load.accepted_per_sec)} accepted/s)`;
  return { result, lines: [line] };
}

module.exports = { memoryBench, memoryReport };
