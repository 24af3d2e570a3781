/** The scopes an MCP client can ask for; each maps onto one capability of the tools at /mcp. */
export const OAUTH_SCOPES = [
  'forms:read',
  'forms:write',
  'submissions:read',
  'submissions:write',
  'ai:use',
  'knowledge_bases:read',
] as const;

export type OAuthScope = (typeof OAUTH_SCOPES)[number];

/** What each scope lets a client do, in the words the consent page shows the owner. */
export const OAUTH_SCOPE_DESCRIPTIONS: Readonly<Record<OAuthScope, string>> = {
  'forms:read': 'See your forms and their settings',
  'forms:write': 'Create and change your forms',
  'submissions:read': 'Read the submissions your forms receive',
  'submissions:write': 'Mark submissions as spam or not spam',
  'ai:use': 'Use AI features (translation, spam analysis, reply drafts) on your account',
  'knowledge_bases:read': 'Read your knowledge bases',
};

export function isOAuthScope(value: string): value is OAuthScope {
  return (OAUTH_SCOPES as readonly string[]).includes(value);
}

/** The known scopes in a space-separated scope string, in canonical order, unknown ones dropped. */
export function parseOAuthScopes(scope: string | undefined): OAuthScope[] {
  const present = new Set((scope ?? '').split(' '));
  return OAUTH_SCOPES.filter((s) => present.has(s));
}
