/** Scopes an API key can carry (API.md, "Management API"). */
export const API_SCOPES = [
  'forms:read',
  'forms:write',
  'submissions:read',
  'submissions:write',
  'knowledge_bases:read',
  'knowledge_bases:write',
  'destinations:write',
  'audit:read',
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}
