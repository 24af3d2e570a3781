import { z } from 'zod';
import { paginationQuery } from '@intake/common';
import { AUDIT_ACTIONS, type AuditAction } from './audit-action';

/** `user.`, `user.login.`, `form.`...: every dot-terminated prefix of a known action. */
const AUDIT_ACTION_PREFIXES = [
  ...new Set(
    AUDIT_ACTIONS.flatMap((action) => {
      const parts = action.split('.');
      return parts.slice(1).map((_, end) => `${parts.slice(0, end + 1).join('.')}.`);
    }),
  ),
];

/** The known actions an `action` filter names: itself, or every action under a prefix. */
export function actionsMatching(selector: string): AuditAction[] {
  return selector.endsWith('.')
    ? AUDIT_ACTIONS.filter((action) => action.startsWith(selector))
    : AUDIT_ACTIONS.filter((action) => action === selector);
}

/** Every value the `action` filter takes, sorted so that a prefix leads its actions. */
export const AUDIT_ACTION_FILTERS: readonly string[] = [
  ...AUDIT_ACTIONS,
  ...AUDIT_ACTION_PREFIXES,
].sort();

const timestamp = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 timestamp with a time zone' })
  .transform((value) => new Date(value));

/**
 * Filters shared by the listing and the NDJSON export. `action` is one action or a prefix
 * ending in a dot; only known ones are accepted, so a typo (or SQL, or markup) is a 400 and
 * not a silently empty page, and the query compares for equality, never with a pattern
 * taken from the client. `from` is inclusive, `to` exclusive.
 */
const filterShape = {
  action: z
    .enum(AUDIT_ACTION_FILTERS as [string, ...string[]], {
      error: 'must be an audit action, or the prefix of one ending in "." (e.g. "user.")',
    })
    .optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
};

const inOrder = (range: { from?: Date; to?: Date }) =>
  !range.from || !range.to || range.from < range.to;
const outOfOrder = { path: ['to'], error: 'must be later than from' };

export const auditLogFilters = z.object(filterShape).refine(inOrder, outOfOrder);
export type AuditLogFilters = z.output<typeof auditLogFilters>;

export const auditLogQuery = paginationQuery(100).extend(filterShape).refine(inOrder, outOfOrder);
export type AuditLogQuery = z.output<typeof auditLogQuery>;
