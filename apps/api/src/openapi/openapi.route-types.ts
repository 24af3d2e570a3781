import type { ApiScope } from '@intake/auth';
import type { ErrorCode } from '@intake/common';
import type { JsonSchema, QUERIES } from './openapi.schemas';

/**
 * Every route of the api, as the OpenAPI document describes it. The e2e test compares this
 * table with the routes Nest actually registers, so a new controller method without an
 * entry here fails the suite.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

/**
 * How the route authenticates: mirrors `@Public()`, `@SessionAuth()`, `@ApiKeyAuth(...)`, and
 * `/mcp`'s McpBearerGuard.
 */
export type RouteAuth =
  | { kind: 'public'; sameOrigin?: boolean }
  | { kind: 'session'; recentAuth?: boolean }
  | { kind: 'api_key'; scopes: ApiScope[] }
  /** Public form endpoints: anyone, plus a submission token for private forms. */
  | { kind: 'submission_token' }
  /** `/mcp`: an access token of Intake's own OAuth server for that resource (McpBearerGuard). */
  | { kind: 'oauth' };

export interface SuccessResponse {
  description: string;
  /** media type -> schema (`{}` for free-form). */
  content?: Record<string, JsonSchema>;
  /** Names of `components.headers` this answer carries. */
  headers?: string[];
}

export interface HeaderParameter {
  name: string;
  description: string;
  schema: JsonSchema;
  required?: boolean;
}

export interface RouteDoc {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/forms/{id}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  /** Whether the per-caller rate limit applies (every route without `@SkipThrottle()`). */
  throttled: boolean;
  /** Descriptions and schemas of the `{name}` segments of `path`. */
  pathParameters?: Record<string, { description: string; schema: JsonSchema }>;
  query?: keyof typeof QUERIES;
  headers?: HeaderParameter[];
  /** media type -> schema; `application/json` unless said otherwise. */
  body?: { content: Record<string, JsonSchema>; required: boolean; description?: string };
  responses: Record<string, SuccessResponse>;
  /** Errors this route itself can answer, on top of those its auth, body and query imply. */
  errors?: ErrorCode[];
}
