/** Every audited action; the string is what is stored and filtered on. */
export const AUDIT_ACTIONS = [
  'user.signup',
  'user.login.succeeded',
  'user.login.failed',
  'user.logout',
  'api_key.created',
  'api_key.revoked',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
