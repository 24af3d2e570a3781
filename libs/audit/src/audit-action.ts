/** Every audited action; the string is what is stored and filtered on. */
export const AUDIT_ACTIONS = [
  'user.signup',
  'user.login.succeeded',
  'user.login.failed',
  'user.logout',
  'user.password_changed',
  'session.revoked',
  'session.revoked_others',
  'api_key.created',
  'api_key.revoked',
  'form.created',
  'form.updated',
  'form.deleted',
  'form.submission_token_replaced',
  'knowledge_base.created',
  'knowledge_base.updated',
  'knowledge_base.deleted',
  'submission.deleted',
  'submission.spam_marked',
  'submissions.exported',
  'destination.created',
  'destination.deleted',
  'destination.enabled',
  'destination.secret_regenerated',
  'destination.disabled',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
