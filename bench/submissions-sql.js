// The submissions listing's SQL, as SubmissionsRepository builds it (libs/submissions/src/
// submissions.repository.ts: whereOf, page), for the baseline server's listing and for the
// submissions-list benchmark's EXPLAIN ANALYZE: one copy, so both stay the app's queries.
'use strict';

const PROCESSING_STATUSES = new Set(['pending', 'processing', 'completed', 'failed']);

/**
 * The WHERE clause and its parameters ($1 owner, $2 form, then the filters) from a listing's
 * query string (URLSearchParams), with the app's defaults (filter=inbox).
 */
function submissionsWhere(userId, formId, query) {
  const params = [userId, formId];
  const conditions = ['user_id = $1::uuid', 'form_id = $2::uuid'];
  const filter = query.get('filter') ?? 'inbox';
  if (filter !== 'all') {
    params.push(filter === 'spam');
    conditions.push(`spam = $${params.length}`);
  }
  const status = query.get('processing_status');
  if (status !== null && PROCESSING_STATUSES.has(status)) {
    params.push(status);
    conditions.push(`processing_status = $${params.length}::"ProcessingStatus"`);
  }
  const search = query.get('search')?.trim();
  if (search) {
    params.push(search);
    conditions.push(`search_vector @@ websearch_to_tsquery('simple', $${params.length})`);
  }
  return { where: conditions.join(' AND '), params };
}

/** The page's ids (newest first, the default sort) and the total: the listing's two queries. */
const pageIdsSql = (where, pageSize, offset) =>
  `SELECT id FROM submissions WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${pageSize} OFFSET ${offset}`;
const countSql = (where) => `SELECT count(*)::int AS total FROM submissions WHERE ${where}`;

module.exports = { countSql, pageIdsSql, submissionsWhere };
