import { z } from 'zod';
import { paginationQuery } from '@intake/common';
import { AUDIT_ACTIONS } from './audit-action';

export const auditLogQuery = paginationQuery(100).extend({
  action: z.enum(AUDIT_ACTIONS).optional(),
});
export type AuditLogQuery = z.output<typeof auditLogQuery>;
