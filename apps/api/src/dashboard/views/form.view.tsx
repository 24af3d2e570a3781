import type { PageMeta } from '@intake/common';
import type { FormOutput } from '@intake/forms';
import {
  submissionFilters,
  type SubmissionFilters,
  type SubmissionOutput,
} from '@intake/submissions';
import { PAGES } from '../dashboard-paths';
import type { FormSnippets } from '../snippets';
import { CopyBlock, Notice, Pagination, PostButton } from './components';
import { Layout, type Viewer } from './layout';
import { SubmissionRow, type SubmissionFilter } from './submission-row';

/** What the list shows: the API's filters (tab, search, statuses) and the page. */
export type SubmissionsListState = SubmissionFilters & { page: number };

const REPLY_STATUSES = submissionFilters.shape.reply_status.unwrap().options;
const PROCESSING_STATUSES = submissionFilters.shape.processing_status.unwrap().options;

interface FormPageProps {
  viewer: Viewer;
  form: FormOutput;
  snippets: FormSnippets;
  submissions: SubmissionOutput[];
  meta: PageMeta;
  list: SubmissionsListState;
  notice?: string | null;
}

const FILTERS: { filter: SubmissionFilter; label: string }[] = [
  { filter: 'inbox', label: 'Inbox' },
  { filter: 'spam', label: 'Spam' },
  { filter: 'all', label: 'All' },
];

/** The list's settings as query parameters, defaults left out. */
function listQuery(list: Partial<SubmissionsListState>): URLSearchParams {
  const query = new URLSearchParams();
  if (list.filter && list.filter !== 'inbox') query.set('filter', list.filter);
  if (list.search) query.set('search', list.search);
  if (list.reply_status) query.set('reply_status', list.reply_status);
  if (list.processing_status) query.set('processing_status', list.processing_status);
  if (list.page && list.page > 1) query.set('page', String(list.page));
  return query;
}

/** The form page's own URL with other list settings. */
export function listHref(formId: string, list: Partial<SubmissionsListState>): string {
  const text = listQuery(list).toString();
  return text ? `${PAGES.form(formId)}?${text}` : PAGES.form(formId);
}

/** The export of what the list shows (same filters, every page). */
function exportHref(formId: string, format: 'csv' | 'ndjson', list: SubmissionsListState): string {
  const query = listQuery({ ...list, page: 1 });
  query.set('format', format);
  query.set('filter', list.filter);
  return `${PAGES.form(formId)}/export?${query.toString()}`;
}

/** A form: its endpoint and snippets, and its submissions, which arrive live. */
export function FormPageView({
  viewer,
  form,
  snippets,
  submissions,
  meta,
  list,
  notice,
}: FormPageProps) {
  const narrowed = Boolean(list.search || list.reply_status || list.processing_status);
  // New rows are inserted live only where they surely belong: the first page, unfiltered.
  const insertsLive = list.page === 1 && !narrowed;
  return (
    <Layout title={form.name} viewer={viewer} section="forms" live>
      <div class="page-heading">
        <h1>{form.name}</h1>
        <p class="meta">
          <code>{form.slug}</code> · {form.visibility} · version {form.version} ·{' '}
          <span data-live-count={form.id}>{form.submission_count}</span> submissions
        </p>
        <div class="actions">
          <a class="button secondary" href={PAGES.formEdit(form.id)}>
            Edit form
          </a>
          <a class="button secondary" href={PAGES.destinations(form.id)}>
            Destinations
          </a>
          <PostButton
            action={PAGES.formDelete(form.id)}
            csrf={viewer.csrf}
            label="Delete form"
            variant="danger"
            confirm="Delete this form and all its submissions for good?"
          />
        </div>
      </div>
      <Notice>{notice}</Notice>

      <section aria-labelledby="endpoint-heading">
        <h2 id="endpoint-heading">Endpoint</h2>
        <CopyBlock id="endpoint" label="POST submissions to" code={form.endpoint} />
        <details>
          <summary>Copy-paste snippets</summary>
          <CopyBlock id="snippet-fetch" label="JavaScript (fetch)" code={snippets.fetch} />
          {snippets.html !== null ? (
            <CopyBlock id="snippet-html" label="HTML form" code={snippets.html} />
          ) : (
            <p>
              Private forms need the submission token as a bearer header, so post from your server,
              not from a page.
            </p>
          )}
          <CopyBlock id="snippet-curl" label="curl" code={snippets.curl} />
        </details>
      </section>

      <section aria-labelledby="submissions-heading">
        <h2 id="submissions-heading">Submissions</h2>
        <nav class="tabs" aria-label="Which submissions">
          {FILTERS.map(({ filter, label }) => (
            <a
              href={listHref(form.id, { ...list, filter, page: 1 })}
              aria-current={filter === list.filter ? 'page' : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
        <form method="get" action={PAGES.form(form.id)} class="search" role="search">
          {list.filter !== 'inbox' && <input type="hidden" name="filter" value={list.filter} />}
          <label for="search">Search submissions</label>
          <input id="search" name="search" type="search" value={list.search} maxLength={200} />
          <label for="reply-status">Reply</label>
          <select id="reply-status" name="reply_status">
            <option value="">any</option>
            {REPLY_STATUSES.map((status) => (
              <option value={status} selected={status === list.reply_status}>
                {status.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
          <label for="processing-status">Processing</label>
          <select id="processing-status" name="processing_status">
            <option value="">any</option>
            {PROCESSING_STATUSES.map((status) => (
              <option value={status} selected={status === list.processing_status}>
                {status}
              </option>
            ))}
          </select>
          <button type="submit" class="button secondary">
            Search
          </button>
        </form>
        <p class="exports">
          Export{' '}
          {list.filter === 'inbox'
            ? 'the inbox'
            : list.filter === 'spam'
              ? 'spam'
              : 'all submissions'}
          {narrowed ? ' matching the search' : ''}:{' '}
          <a href={exportHref(form.id, 'csv', list)} download>
            CSV
          </a>{' '}
          ·{' '}
          <a href={exportHref(form.id, 'ndjson', list)} download>
            NDJSON
          </a>
        </p>
        <p id="live-status" class="live-status" role="status" aria-live="polite" hidden />
        <p id="no-submissions" class="empty" hidden={submissions.length > 0}>
          {narrowed ? 'No submission matches.' : 'No submissions here yet.'}
        </p>
        <ol
          id="submissions"
          class="submissions"
          data-live-form={form.id}
          data-filter={list.filter}
          data-live-insert={String(insertsLive)}
        >
          {submissions.map((submission) => (
            <SubmissionRow
              formId={form.id}
              submission={submission}
              csrf={viewer.csrf}
              filter={list.filter}
            />
          ))}
        </ol>
        <Pagination
          page={meta.current_page}
          totalPages={meta.total_pages}
          hrefFor={(page) => listHref(form.id, { ...list, page })}
        />
      </section>
    </Layout>
  );
}
