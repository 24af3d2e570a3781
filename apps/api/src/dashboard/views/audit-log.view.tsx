import type { AuditEventOutput } from '@intake/audit';
import type { PageMeta } from '@intake/common';
import { PAGES } from '../dashboard-paths';
import { Pagination } from './components';
import { displayValue, formatTime } from './format';
import { Layout, type Viewer } from './layout';

interface AuditLogProps {
  viewer: Viewer;
  events: AuditEventOutput[];
  meta: PageMeta;
  /** The `action` filter shown: one action or a prefix ending in "." (all when absent). */
  action?: string;
  /** The choices of the filter: the known actions and their prefixes. */
  actions: readonly string[];
}

/** The list's own URL with other settings (the export takes the same filter). */
export function auditLogHref(path: string, action: string | undefined, page = 1): string {
  const query = new URLSearchParams();
  if (action) query.set('action', action);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function eventDetails(event: AuditEventOutput): string {
  const metadata =
    event.metadata !== null && typeof event.metadata === 'object' && !Array.isArray(event.metadata)
      ? Object.entries(event.metadata).map(([key, value]) => `${key}: ${displayValue(value)}`)
      : [];
  const target = event.target_type ? [`${event.target_type} ${event.target_id ?? ''}`.trim()] : [];
  return [...target, ...metadata].join(' · ');
}

/** What happened to the account, newest first: sign-ins, changes, exports, deletions. */
export function AuditLogView({ viewer, events, meta, action, actions }: AuditLogProps) {
  return (
    <Layout title="Audit log" viewer={viewer} section="audit-log">
      <h1>Audit log</h1>
      <p>
        Every sign-in, change and export of this account, kept for a year. Addresses and browsers
        are those of the request that did it.
      </p>
      <form method="get" action={PAGES.auditLog} class="search">
        <label for="action">Show</label>
        <select id="action" name="action">
          <option value="" selected={!action}>
            Everything
          </option>
          {actions.map((choice) => (
            <option value={choice} selected={choice === action}>
              {choice.endsWith('.') ? `${choice}*` : choice}
            </option>
          ))}
        </select>
        <button type="submit" class="button secondary">
          Filter
        </button>
      </form>
      <p class="exports">
        <a href={auditLogHref(PAGES.auditLogExport, action)} download>
          Export as NDJSON
        </a>
      </p>
      {events.length === 0 ? (
        <p class="empty">Nothing recorded{action ? ' for this filter' : ''}.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr>
                  <td>
                    <time dateTime={event.created_at}>{formatTime(event.created_at)}</time>
                  </td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>{eventDetails(event)}</td>
                  <td>
                    {event.ip ?? ''}
                    {event.user_agent && <span class="meta"> · {event.user_agent}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        page={meta.current_page}
        totalPages={meta.total_pages}
        hrefFor={(page) => auditLogHref(PAGES.auditLog, action, page)}
      />
    </Layout>
  );
}
