// The submissions-list benchmark (see bench/README.md, Submissions list): the bearer API's
// `GET /api/forms/{id}/submissions`, page 1, on a form of 10,000 submissions, with the inbox
// filters and a full-text search and without, against the baseline server's same queries
// (bench/baseline-server.js, GET /submissions/<form id>). Also records the EXPLAIN ANALYZE of
// the listing's two queries in the owner's context, to say where the time goes.
'use strict';
const { URLSearchParams } = require('node:url');
const { RARE_WORD, bulkInsertSubmissions } = require('./bulk-submissions');
const { countSql, pageIdsSql, submissionsWhere } = require('./submissions-sql');
const { LOAD, call, createApiKey, createForm, load, ratio, rps } = require('./support');

const LIST = {
  submissions: Number(process.env.BENCH_LIST_SUBMISSIONS ?? 10_000),
  // The API's default page size (listSubmissionsQuery), for the EXPLAIN of page 1.
  pageSize: 20,
};
// The target, on the reference 2-core machine, for page 1 with filters and search.
const TARGET = { p99Ms: 50 };

const VARIANTS = {
  filtered: {
    about: `page 1, filter=inbox&processing_status=completed&search=${RARE_WORD} (the word is in 1% of the rows)`,
    query: new URLSearchParams({
      filter: 'inbox',
      processing_status: 'completed',
      search: RARE_WORD,
    }),
  },
  plain: { about: 'page 1, no parameters (the inbox, newest first)', query: new URLSearchParams() },
};

/**
 * The plan of each of the listing's queries as the api runs them: inside a transaction as
 * `intake_app` with the owner id set (PrismaService.asOwner), so the RLS policy applies.
 * `asOwner: false` plans them as the connecting superuser instead, whom the policy does not
 * apply to: the difference is what row-level security costs the plan.
 */
async function explain({ admin, schema }, userId, formId, query, { asOwner }) {
  const { where, params } = submissionsWhere(userId, formId, query);
  const plans = {};
  await admin.query('BEGIN');
  try {
    await admin.query(`SET LOCAL search_path TO "${schema}"`);
    if (asOwner)
      await admin.query(
        `SELECT set_config('role', 'intake_app', true), set_config('intake.user_id', $1, true)`,
        [userId],
      );
    for (const [name, sql] of [
      ['page_ids', pageIdsSql(where, LIST.pageSize, 0)],
      ['count', countSql(where)],
    ]) {
      const { rows } = await admin.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      plans[name] = { sql, plan: rows.map((row) => row['QUERY PLAN']) };
    }
  } finally {
    await admin.query('ROLLBACK');
  }
  return plans;
}

/** What both servers must answer before the load: the same page and the same total. */
async function checkAnswers(urls, headers) {
  const answers = [];
  for (const url of urls) {
    const { json } = await call(url, { headers });
    answers.push({ ids: json.data.map((row) => row.id).join(), total: json.meta.total_count });
  }
  const [first, ...others] = answers;
  if (first.ids === '' || others.some((a) => a.ids !== first.ids || a.total !== first.total))
    throw new Error(
      `submissions-list: the servers disagree or return nothing on ${urls.join(', ')}: ${JSON.stringify(answers)}`,
    );
  return first.total;
}

/** `db` is `{ admin, schema }`: a superuser connection and the run's schema. */
async function submissionsListBench(db, { appUrl, baseUrl, seeded }) {
  const apiKey = await createApiKey(appUrl, seeded, 'bench list key', [
    'forms:write',
    'submissions:read',
  ]);
  const form = await createForm(appUrl, apiKey, 'bench-list');
  const insertSeconds = await bulkInsertSubmissions(db, form.id, LIST.submissions, {
    mixed: true,
  });
  const headers = { authorization: `Bearer ${apiKey}` };
  const results = {};
  for (const [name, { about, query }] of Object.entries(VARIANTS)) {
    const suffix = query.size > 0 ? `?${query}` : '';
    const intakeUrl = `${appUrl}/api/forms/${form.id}/submissions${suffix}`;
    const baselineUrl = `${baseUrl}/submissions/${form.id}${suffix}`;
    const matching = await checkAnswers([intakeUrl, baselineUrl], headers);
    results[name] = {
      about,
      matching,
      intake: await load(intakeUrl, headers),
      baseline: await load(baselineUrl, headers),
      // One request at a time: the time a request takes without waiting behind the others.
      one_connection: {
        intake: await load(intakeUrl, headers, 1),
        baseline: await load(baselineUrl, headers, 1),
      },
      explain: await explain(db, seeded.userId, form.id, query, { asOwner: true }),
      explain_without_rls: await explain(db, seeded.userId, form.id, query, { asOwner: false }),
    };
  }
  return { submissions: LIST.submissions, insert_s: insertSeconds, variants: results };
}

/** The Execution Time line of a plan, in ms. */
const executionMs = (plan) =>
  Number(/Execution Time: ([\d.]+) ms/.exec(plan.plan.at(-1) ?? '')?.[1] ?? Number.NaN);

/** submissions-list.json (the run's `context` + the figures) and the lines printed for it. */
function submissionsListReport({ submissions, insert_s, variants }, context) {
  const result = {
    benchmark:
      'GET /api/forms/{id}/submissions (bearer API key), page 1 of a form with many submissions, ' +
      'with the inbox filters and a full-text search, and without',
    ...context,
    load: { ...LOAD, tool: context.load.tool },
    data: {
      submissions,
      inserted_with_sql_in_s: insert_s,
      about:
        'spam when n % 7 = 0, pending when n % 11 = 0, otherwise completed; the searched word in rows n % 100 = 50',
    },
    targets: { filtered_p99_max_ms: TARGET.p99Ms, about: 'on the reference 2-core machine' },
    variants: Object.fromEntries(
      Object.entries(variants).map(([name, variant]) => [
        name,
        {
          ...variant,
          ratio: ratio(variant.intake.requests_per_sec, variant.baseline.requests_per_sec),
          // The Execution Time of each query's EXPLAIN ANALYZE.
          query_ms: {
            page_ids: executionMs(variant.explain.page_ids),
            count: executionMs(variant.explain.count),
            page_ids_without_rls: executionMs(variant.explain_without_rls.page_ids),
            count_without_rls: executionMs(variant.explain_without_rls.count),
          },
        },
      ]),
    ),
    target_met: variants.filtered.intake.p99_ms < TARGET.p99Ms,
  };
  const lines = Object.entries(result.variants).map(
    ([name, { intake, baseline, ratio: r, one_connection: one, query_ms: queries, matching }]) =>
      `submissions-list ${name} (${rps(matching)} of ${rps(submissions)} rows match): intake ` +
      `${rps(intake.requests_per_sec)} req/s vs baseline ${rps(baseline.requests_per_sec)} req/s ` +
      `(ratio ${r}); p50 ${intake.p50_ms} / p99 ${intake.p99_ms} ms vs ${baseline.p50_ms} / ` +
      `${baseline.p99_ms} ms; at 1 connection p50 ${one.intake.p50_ms} / p99 ${one.intake.p99_ms} ms vs ` +
      `${one.baseline.p50_ms} / ${one.baseline.p99_ms} ms; queries alone ${queries.page_ids} + ${queries.count} ms` +
      (name === 'filtered'
        ? `; target p99 < ${TARGET.p99Ms} ms ${result.target_met ? 'met' : 'MISSED'}`
        : ''),
  );
  return { result, lines };
}

module.exports = { submissionsListBench, submissionsListReport };
