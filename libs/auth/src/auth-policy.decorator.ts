import { SetMetadata } from '@nestjs/common';
import type { ApiScope } from './scopes';

export const AUTH_POLICY = 'intake:auth-policy';

/**
 * How a route authenticates. Every route declares exactly one; the global AuthGuard
 * refuses routes that declare none (deny by default).
 * - `public`: anyone; `sameOrigin` additionally refuses a foreign `Origin` (login CSRF).
 * - `session`: the dashboard cookie only; unsafe methods also need the CSRF token;
 *   `recentAuth` additionally needs a sign-in, password or 2FA proof within
 *   `REAUTH_WINDOW_MINUTES` (sensitive actions: e-mail, password, 2FA, API keys, deletion).
 * - `api_key`: a bearer API key only, holding every listed scope.
 */
export type AuthPolicy =
  | { kind: 'public'; sameOrigin: boolean }
  | { kind: 'session'; recentAuth: boolean }
  | { kind: 'api_key'; scopes: readonly ApiScope[] };

export const Public = (options: { sameOrigin?: boolean } = {}) =>
  SetMetadata(AUTH_POLICY, {
    kind: 'public',
    sameOrigin: options.sameOrigin ?? false,
  } satisfies AuthPolicy);

export const SessionAuth = (options: { recentAuth?: boolean } = {}) =>
  SetMetadata(AUTH_POLICY, {
    kind: 'session',
    recentAuth: options.recentAuth ?? false,
  } satisfies AuthPolicy);

export const ApiKeyAuth = (...scopes: ApiScope[]) =>
  SetMetadata(AUTH_POLICY, { kind: 'api_key', scopes } satisfies AuthPolicy);
