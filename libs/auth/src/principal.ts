import type { ApiScope } from './scopes';

/** Who is calling, as established by the global AuthGuard. */
export type Principal =
  | { kind: 'session'; userId: string; sessionId: string; authenticatedAt: Date }
  | { kind: 'api_key'; userId: string; apiKeyId: string; scopes: readonly ApiScope[] };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
