import { BROWSER_PATHS } from '@intake/auth';

/**
 * Every URL of the dashboard, in one place, so that links, redirects and routes cannot
 * drift apart. Ids in paths are UUIDs the routes validate.
 */
export const PAGES = {
  home: BROWSER_PATHS.dashboard,
  signIn: BROWSER_PATHS.signIn,
  twoFactor: BROWSER_PATHS.twoFactor,
  magicLink: '/sign-in/magic-link',
  signUp: '/sign-up',
  signOut: '/sign-out',
  formNew: '/forms/new',
  form: (formId: string) => `/forms/${formId}`,
  formEdit: (formId: string) => `/forms/${formId}/edit`,
  formDelete: (formId: string) => `/forms/${formId}/delete`,
  destinations: (formId: string) => `/forms/${formId}/destinations`,
  destination: (formId: string, destinationId: string) =>
    `/forms/${formId}/destinations/${destinationId}`,
  destinationAction: (
    formId: string,
    destinationId: string,
    action: 'delete' | 'enable' | 'regenerate-secret',
  ) => `/forms/${formId}/destinations/${destinationId}/${action}`,
  redeliver: (formId: string, destinationId: string, deliveryId: string) =>
    `/forms/${formId}/destinations/${destinationId}/deliveries/${deliveryId}/redeliver`,
  knowledgeBases: '/knowledge-bases',
  knowledgeBase: (id: string) => `/knowledge-bases/${id}`,
  knowledgeBaseDelete: (id: string) => `/knowledge-bases/${id}/delete`,
  auditLog: '/audit-log',
  auditLogExport: '/audit-log/export',
  account: '/settings/account',
  accountExport: '/settings/account/export',
  accountDelete: '/settings/account/delete',
  confirmIdentity: '/settings/confirm-identity',
  apiKeys: '/settings/api-keys',
  apiKeyRevoke: (keyId: string) => `/settings/api-keys/${keyId}/revoke`,
  security: '/settings/security',
  sessionRevoke: (sessionId: string) => `/settings/security/sessions/${sessionId}/revoke`,
  sessionsRevokeOthers: '/settings/security/sessions/revoke-others',
  password: '/settings/security/password',
  identityUnlink: (provider: string) => `/settings/security/identities/${provider}/unlink`,
  aiClientDisconnect: (clientId: string) => `/settings/security/ai-clients/${clientId}/disconnect`,
  twoFactorSetup: '/settings/security/2fa/setup',
  twoFactorConfirm: '/settings/security/2fa/confirm',
  twoFactorDisable: '/settings/security/2fa/disable',
  backupCodes: '/settings/security/2fa/backup-codes',
  submission: (formId: string, submissionId: string) =>
    `/forms/${formId}/submissions/${submissionId}`,
  submissionReply: (formId: string, submissionId: string) =>
    `/forms/${formId}/submissions/${submissionId}/reply`,
  submissionRow: (formId: string, submissionId: string) =>
    `/forms/${formId}/submissions/${submissionId}/row`,
  submissionSpam: (formId: string, submissionId: string) =>
    `/forms/${formId}/submissions/${submissionId}/spam`,
  submissionDelete: (formId: string, submissionId: string) =>
    `/forms/${formId}/submissions/${submissionId}/delete`,
} as const;

/**
 * The first path segments that belong to the dashboard (besides `/` itself). configure-app
 * parses urlencoded form posts on these paths only; the OpenAPI test checks that every
 * dashboard route sits under one of them, and that none is an API path.
 */
export const DASHBOARD_SECTIONS = [
  'sign-in',
  'sign-up',
  'sign-out',
  'forms',
  'settings',
  'knowledge-bases',
  'audit-log',
] as const;

const SECTION_PATTERN = new RegExp(`^/(?:${DASHBOARD_SECTIONS.join('|')})(?:/|$)`);

export function isDashboardPath(path: string): boolean {
  return path === PAGES.home || SECTION_PATTERN.test(path);
}

/**
 * Where to send the browser back to after a detour (e.g. confirming identity): a dashboard
 * page of this site only, never an absolute or protocol-relative URL (no open redirect).
 */
export function safeReturnPath(candidate: string | undefined): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//')) return PAGES.home;
  try {
    const url = new URL(candidate, 'http://intake.invalid');
    return url.origin === 'http://intake.invalid' && isDashboardPath(url.pathname)
      ? `${url.pathname}${url.search}`
      : PAGES.home;
  } catch {
    return PAGES.home;
  }
}
