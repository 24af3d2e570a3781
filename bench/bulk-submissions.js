// Submissions stored with SQL rather than POSTed, for the benchmarks that need many rows in a
// form (submissions-list, export), as test/e2e/submissions-export-memory.e2e-spec.ts does:
// 100,000 POSTs would take a minute of the run and measure ingest again.
'use strict';
const { performance } = require('node:perf_hooks');

/** Rows per INSERT: each statement stays well inside the statement timeout. */
const CHUNK = 10_000;
/** In one row in 100 (n % 100 = 50): a word a search can look for. */
const RARE_WORD = 'zeppelin';

/**
 * Stores `count` submissions in a form, row n (1..count) one second after row n-1, with the
 * contact form's fields (`email` user<n>@example.com, a name, a message of about 80
 * characters, RARE_WORD in rows n % 100 = 50). `mixed`: row n is spam when n % 7 = 0 and
 * still `pending` when n % 11 = 0, as an inbox that the filters narrow; otherwise every row
 * is a processed, non-spam submission (what an inbox export returns). Then ANALYZE, as
 * autovacuum would after such an insert, so the planner knows the table's new size. `db` is
 * `{ admin, schema }`. Returns the seconds it took.
 */
async function bulkInsertSubmissions({ admin, schema }, formId, count, { mixed }) {
  const start = performance.now();
  const {
    rows: [version],
  } = await admin.query(
    `SELECT id, user_id, version FROM "${schema}".form_versions WHERE form_id = $1 ORDER BY version DESC LIMIT 1`,
    [formId],
  );
  for (let first = 1; first <= count; first += CHUNK) {
    await admin.query(
      `INSERT INTO "${schema}".submissions
         (id, form_id, user_id, form_version_id, form_version, data, metadata, spam, processing_status, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4,
              jsonb_build_object(
                'email', 'user' || n || '@example.com',
                'name', 'Visitor ' || n,
                'message', 'Hello, could you send me a quote for '
                  || (ARRAY['the new office', 'our warehouse', 'a kitchen', 'the garden'])[n % 4 + 1]
                  || CASE WHEN n % 100 = 50 THEN ' and the ' || $5::text || ' hangar' ELSE '' END
                  || '? Reference ' || n || '.'),
              jsonb_build_object('ip', '203.0.113.7', 'user_agent', 'bulk', 'referer', null,
                                 'origin', null, 'utm', '{}'::jsonb, 'dropped_fields', 0),
              $6::boolean AND n % 7 = 0,
              (CASE WHEN $6::boolean AND n % 11 = 0 THEN 'pending' ELSE 'completed' END)::"${schema}"."ProcessingStatus",
              timestamptz '2026-01-01 00:00:00+00' + n * interval '1 second', now()
         FROM generate_series($7::int, $8::int) AS n`,
      [
        formId,
        version.user_id,
        version.id,
        version.version,
        RARE_WORD,
        mixed,
        first,
        Math.min(count, first + CHUNK - 1),
      ],
    );
  }
  await admin.query(`ANALYZE "${schema}".submissions`);
  return Math.round(performance.now() - start) / 1000;
}

module.exports = { RARE_WORD, bulkInsertSubmissions };
