import type { ApiScope } from '@intake/auth';
import { ref, type JsonSchema } from './openapi.schemas';

/** Building blocks shared by the route tables in routes/. */
export const json = (schema: JsonSchema) => ({ 'application/json': schema });
export const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});
export const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
export const page = (key: string, item: JsonSchema): JsonSchema =>
  object({ [key]: arrayOf(item), meta: ref('PageMeta') });

export const uuidParameter = (what: string) => ({
  description: `${what} id (UUID). A malformed id is 404, like an unknown one.`,
  schema: { type: 'string', format: 'uuid' },
});
export const FORM_ID = { id: uuidParameter('Form') };
export const KNOWLEDGE_BASE_ID = { id: uuidParameter('Knowledge base') };
export const SUBMISSION_IDS = {
  form_id: uuidParameter('Form'),
  id: uuidParameter('Submission'),
};

export const PUBLIC_FORM_PARAMETERS = {
  opaque: {
    description:
      'Server-made, unguessable segment naming one form version (43 base64url characters). ' +
      'A malformed or forged one is 401 `invalid_token`.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
  },
  slug: {
    description:
      'The form’s slug, for people reading the URL. Cosmetic: the opaque segment alone ' +
      'decides the form, so an endpoint keeps working after the slug changes.',
    schema: { type: 'string' },
  },
};

export const session = { kind: 'session' } as const;
/** Sensitive session routes: `@SessionAuth({ recentAuth: true })`. */
export const recentSession = { kind: 'session', recentAuth: true } as const;
export const apiKey = (...scopes: ApiScope[]) => ({ kind: 'api_key', scopes }) as const;
export const RATE = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

export const SUBMISSION_BODY_DESCRIPTION =
  'The submitted values by field name. Unknown fields are dropped and counted in ' +
  '`metadata.dropped_fields`; values are coerced to the field types. Size limit: ' +
  '`SUBMISSION_BODY_LIMIT_BYTES` (64 KiB by default).';
export const formPost: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description:
    'A plain HTML form post (fields only; a file part is 415). Answered with a 303 redirect.',
};

export const publicCorsHeaders = ['Access-Control-Allow-Origin'];
