// The ingest-2-instances benchmark (see bench/README.md, Ingest with 2 api instances): the
// public form's ingest load on 1 api instance, then split over 2 on the same schema, and the
// same for the baseline server, all in one run: the scaling of each, and Intake against the
// baseline at 2 instances.
'use strict';
const {
  TABLES,
  acceptedLine,
  dropIngestJobs,
  ingestLoad,
  ingestLoadSettings,
  ingestProbe,
} = require('./ingest');
const { ratio, startInstances, stopChild } = require('./support');

const INSTANCES = 2;

/**
 * `db` is `{ admin, schema }`; `forms` from ingestSetup; `apiEnv` / `baselineEnv` the
 * environments of the bench's api and baseline server (no PORT). The bench's own api and
 * baseline are instance 1; a second of each is started on the same schema.
 */
async function ingestInstancesBench(
  db,
  { appUrl, baseUrl, forms: { publicForm }, apiEnv, baselineEnv },
) {
  const more = [];
  try {
    const api = await startInstances(
      INSTANCES - 1,
      'intake api (ingest 2)',
      'dist/apps/api/src/main.js',
      (port) => ({
        ...apiEnv,
        PORT: String(port),
        MIGRATE_ON_BOOT: 'false',
      }),
    );
    more.push(...api.group);
    const baseline = await startInstances(
      INSTANCES - 1,
      'baseline (ingest 2)',
      'bench/baseline-server.js',
      (port) => ({
        ...baselineEnv,
        PORT: String(port),
      }),
    );
    more.push(...baseline.group);
    const sides = {
      intake: [appUrl, ...api.urls].map((url) => `${url}${publicForm.path}`),
      baseline: [baseUrl, ...baseline.urls].map((url) => `${url}/ingest/${publicForm.versionId}`),
    };
    for (const url of Object.values(sides).flat()) await ingestProbe(url);
    const results = {};
    for (const [side, urls] of Object.entries(sides)) {
      const target = { ...TABLES[side], formId: publicForm.id };
      results[side] = {
        instances_1: await ingestLoad(db, { ...target, urls: urls.slice(0, 1) }),
        instances_2: await ingestLoad(db, { ...target, urls }),
      };
    }
    return results;
  } finally {
    await Promise.all(more.map((child) => stopChild(child)));
    await dropIngestJobs(db);
  }
}

/** ingest-2-instances.json (the run's `context` + the figures) and the lines printed for it. */
function ingestInstancesReport({ intake, baseline }, context) {
  const scaling = (side) =>
    ratio(side.instances_2.accepted_per_sec, side.instances_1.accepted_per_sec);
  const result = {
    benchmark:
      'POST of a valid 3-field JSON submission to a public form, on 1 api instance and then on 2 ' +
      '(same schema), against 1 and 2 baseline servers',
    ...context,
    load: {
      ...ingestLoadSettings(),
      split:
        'one autocannon per instance, run at once, connections and requests split evenly; counts ' +
        'summed, latencies from one merged histogram (autocannon.aggregateResult), accepted/s over ' +
        'the wall time from the first start to the last response',
      tool: context.load.tool,
    },
    intake: { ...intake, scaling: scaling(intake) },
    baseline: { ...baseline, scaling: scaling(baseline) },
    ratio: ratio(intake.instances_2.accepted_per_sec, baseline.instances_2.accepted_per_sec),
    ratio_1_instance: ratio(
      intake.instances_1.accepted_per_sec,
      baseline.instances_1.accepted_per_sec,
    ),
  };
  const lines = ['instances_1', 'instances_2'].map(
    (count) =>
      `ingest ${count.replace('instances_', '')} instance(s): ` +
      `${acceptedLine(intake[count], baseline[count], ratio(intake[count].accepted_per_sec, baseline[count].accepted_per_sec))}`,
  );
  lines.push(
    `ingest scaling 1 -> 2 instances: intake x${result.intake.scaling}, baseline x${result.baseline.scaling}`,
  );
  return { result, lines };
}

module.exports = { ingestInstancesBench, ingestInstancesReport };
