import type { AuditEvent, Prisma } from '@intake/database';

export interface AuditEventOutput {
  id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  metadata: Prisma.JsonValue | null;
  created_at: string;
}

export function toAuditEventOutput(event: AuditEvent): AuditEventOutput {
  return {
    id: event.id,
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId,
    ip: event.ip,
    user_agent: event.userAgent,
    request_id: event.requestId,
    metadata: event.metadata,
    created_at: event.createdAt.toISOString(),
  };
}
