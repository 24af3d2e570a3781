import { z } from 'zod';
import { AUDIT_ACTIONS, auditLogFilters, auditLogQuery } from '@intake/audit';
import {
  API_SCOPES,
  changePasswordInput,
  codeInput,
  disableTwoFactorInput,
  reauthenticateInput,
  emailAddressInput,
  linkQuery,
  linkTokenInput,
  resetPasswordInput,
  createApiKeyInput,
  loginInput,
  signupInput,
} from '@intake/auth';
import { ERROR_CODES, paginationQuery } from '@intake/common';
import { sendReplyInput } from '@intake/pipeline';
import {
  conditionSchema,
  createFormInput,
  createKnowledgeBaseInput,
  fieldSchema,
  fieldsSchemaInput,
  ruleSchema,
  updateFormInput,
  updateKnowledgeBaseInput,
} from '@intake/forms';
import {
  exportSubmissionsQuery,
  listSubmissionsQuery,
  updateSubmissionInput,
} from '@intake/submissions';
import { deleteAccountInput } from '../account/delete-account.input';

/**
 * Every schema the OpenAPI document names. Request bodies and queries are the zod schemas
 * the controllers validate with (converted with `io: 'input'`), so the document cannot
 * drift from validation. Responses have no zod schema of their own in the app (the output
 * mappers are plain functions); they are written here once, mirroring `*.output.ts`.
 */

export type JsonSchema = Record<string, unknown>;

export const ref = (name: ComponentName): JsonSchema => ({
  $ref: `#/components/schemas/${name}`,
});

/**
 * JSON Schema keywords added to a zod schema's conversion (formats, descriptions): kept
 * beside the schema here rather than in zod's global registry, which the libs share.
 */
const annotations = new Map<z.core.$ZodType, JsonSchema>();
function annotate<T extends z.core.$ZodType>(schema: T, keywords: JsonSchema): T {
  annotations.set(schema, keywords);
  return schema;
}

const uuid = () => annotate(z.string(), { format: 'uuid' });
const timestamp = (description = 'ISO-8601 timestamp, UTC') =>
  annotate(z.string(), { format: 'date-time', description });
const nullableTimestamp = (description?: string) => timestamp(description).nullable();
const anyJson = z.unknown();
const jsonObject = z.record(z.string(), z.unknown());

// ---------------------------------------------------------------- responses

const pageMeta = z.strictObject({
  current_page: z.int().min(1),
  total_pages: z.int().min(0),
  total_count: z.int().min(0),
  page_size: z.int().min(1),
});

const user = z.strictObject({
  id: uuid(),
  email: annotate(z.string(), { format: 'email' }),
  email_verified: z.boolean(),
  created_at: timestamp(),
});

const apiKey = z.strictObject({
  id: uuid(),
  name: z.string(),
  prefix: annotate(z.string(), {
    description: 'The first 12 characters of the secret (`ik_live_` + 4).',
  }),
  last4: z.string(),
  scopes: z.array(z.enum(API_SCOPES)),
  allowed_ips: annotate(z.array(z.string()), {
    description: 'IP addresses or CIDR ranges the key may be used from; empty = anywhere.',
  }),
  expires_at: nullableTimestamp(),
  last_used_at: nullableTimestamp(),
  created_at: timestamp(),
});

const auditEvent = z.strictObject({
  id: uuid(),
  action: z.enum(AUDIT_ACTIONS),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  metadata: anyJson,
  created_at: timestamp(),
});

const storedFieldsSchema = annotate(z.strictObject({ fields: z.array(fieldSchema) }), {
  description: 'The fields_schema of the current version, as stored.',
});

const formSummary = z.strictObject({
  id: uuid(),
  name: z.string(),
  slug: z.string(),
  visibility: z.enum(['public', 'private']),
  endpoint: annotate(z.string(), {
    format: 'uri',
    description:
      'The public endpoint of the current version: `<PUBLIC_URL>/api/{opaque}/f/{slug}`.',
  }),
  submission_count: annotate(z.int().min(0), {
    description: 'Every stored submission of the form, spam included.',
  }),
  created_at: timestamp(),
});

const form = formSummary.extend({
  enabled: annotate(z.boolean(), {
    description: 'A disabled form answers 404 `form_not_found` on its public endpoints.',
  }),
  version: z.int().min(1),
  fields_schema: storedFieldsSchema,
  spam_protection_enabled: z.boolean(),
  spam_protection_strategy: z.enum(['standard', 'intelligent']),
  intent: z.string().nullable(),
  localisation_enabled: z.boolean(),
  smart_reply_enabled: z.boolean(),
  smart_replies_mode: z.enum(['draft', 'auto']),
  smart_reply_email_field: z.string().nullable(),
  knowledge_base_id: uuid().nullable(),
  allowed_origins: z.array(z.string()),
  redirect_url: z.string().nullable(),
  retention_days: z.int().nullable(),
  notify_emails: z.array(z.string()),
  ip_rate_limit: z.int().min(0),
  updated_at: timestamp(),
  submission_token: annotate(z.string().optional(), {
    description:
      'Only in the answer that created or replaced it (private forms): `ik_sub_...`, shown once.',
  }),
});

const knowledgeBase = z.strictObject({
  id: uuid(),
  name: z.string(),
  content: z.string(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

const submissionMetadata = z.object({
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  referer: z.string().nullable(),
  origin: z.string().nullable(),
  utm: annotate(z.record(z.string(), z.string()), {
    description: '`utm_*` parameters of the endpoint URL, else of the Referer.',
  }),
  dropped_fields: annotate(z.int().min(0), {
    description: 'How many submitted fields the form version does not know (not stored).',
  }),
});

const submission = z.strictObject({
  id: uuid(),
  form_version: z.int().min(1),
  data: annotate(jsonObject, { description: 'The validated, coerced values by field name.' }),
  processing_status: z.enum(['pending', 'processing', 'completed', 'failed']),
  processing_reason: annotate(z.string().nullable(), {
    description: '`credits_exhausted`, `service_error` or null.',
  }),
  spam: z.boolean(),
  spam_confidence: z.number().min(0).max(1).nullable(),
  spam_reason: z.string().nullable(),
  detected_language: z.string().nullable(),
  translated_data: jsonObject.nullable(),
  reply_status: z
    .enum([
      'awaiting_review',
      'awaiting_delivery',
      'delivered',
      'needs_human_reply',
      'delivery_failed',
      'skipped',
    ])
    .nullable(),
  reply_subject: z.string().nullable(),
  reply_content: z.string().nullable(),
  replied_at: nullableTimestamp(),
  metadata: submissionMetadata,
  created_at: timestamp(),
  updated_at: timestamp(),
});

const acknowledgement = z.strictObject({
  id: uuid(),
  data: annotate(jsonObject, {
    description: 'What was stored: coerced values of known fields (honeypots excluded).',
  }),
  created_at: timestamp(),
});

const formDescription = z.strictObject({
  name: z.string(),
  slug: z.string(),
  endpoint: annotate(z.string(), { format: 'uri' }),
  method: z.literal('POST'),
  content_type: z.literal('application/json'),
  visibility: z.enum(['public', 'private']),
  fields: annotate(z.array(fieldSchema), { description: 'Honeypot fields are left out.' }),
  authentication: annotate(
    z
      .strictObject({
        type: z.literal('bearer'),
        header: z.literal('Authorization'),
        description: z.string(),
      })
      .optional(),
    { description: 'Private forms only: a bearer submission token is required.' },
  ),
});

const errorCode = z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES]);

const errorBody = z.strictObject({
  error: z.strictObject({
    code: annotate(errorCode, {
      description: 'Stable; switch on it. The HTTP status follows from it.',
    }),
    message: annotate(z.string(), { description: 'For people; may change.' }),
    details: annotate(z.record(z.string(), z.array(z.string())).optional(), {
      description:
        'Validation errors only: field path (`fields.2.rules.0.value`, `body` for the ' +
        'whole body) -> short messages. Submitted values are never echoed.',
    }),
    retry_after: annotate(z.int().min(1).optional(), {
      description: '429 only: seconds to wait, as in `Retry-After`.',
    }),
    request_id: annotate(z.string().optional(), {
      description: 'Also in the `X-Request-Id` header; quote it when reporting a problem.',
    }),
  }),
});

/** The fields array of `fields_schema` is `unknown[]` parsed item by item: document its items. */
const FIELDS_SCHEMA_ITEM = fieldsSchemaInput.in.shape.fields.element;

const listFormsQuery = paginationQuery(100);

/** The response schemas, for tests that hold real answers against the document. */
export const RESPONSE_SCHEMAS = {
  Error: errorBody,
  PageMeta: pageMeta,
  User: user,
  ApiKey: apiKey,
  AuditEvent: auditEvent,
  FormSummary: formSummary,
  Form: form,
  KnowledgeBase: knowledgeBase,
  Submission: submission,
  SubmissionAcknowledgement: acknowledgement,
  FormDescription: formDescription,
};

/** name -> zod schema; everything becomes `#/components/schemas/<name>`. */
const COMPONENTS = {
  // Requests (the controllers' own validation schemas)
  SignupInput: signupInput,
  LoginInput: loginInput,
  ChangePasswordInput: changePasswordInput,
  CodeInput: codeInput,
  DisableTwoFactorInput: disableTwoFactorInput,
  ReauthenticateInput: reauthenticateInput,
  EmailAddressInput: emailAddressInput,
  LinkTokenInput: linkTokenInput,
  ResetPasswordInput: resetPasswordInput,
  CreateApiKeyInput: createApiKeyInput,
  DeleteAccountInput: deleteAccountInput,
  CreateFormInput: createFormInput,
  UpdateFormInput: updateFormInput,
  CreateKnowledgeBaseInput: createKnowledgeBaseInput,
  UpdateKnowledgeBaseInput: updateKnowledgeBaseInput,
  UpdateSubmissionInput: updateSubmissionInput,
  SendReplyInput: sendReplyInput,
  Field: fieldSchema,
  Rule: ruleSchema,
  Condition: conditionSchema,
  // Responses (mirroring the output mappers)
  ...RESPONSE_SCHEMAS,
  SubmissionMetadata: submissionMetadata,
} satisfies Record<string, z.core.$ZodType>;

export type ComponentName = keyof typeof COMPONENTS;

/** Query schemas, converted per property into `in: query` parameters. */
export const QUERIES = {
  listForms: listFormsQuery,
  listSubmissions: listSubmissionsQuery,
  exportSubmissions: exportSubmissionsQuery,
  auditLog: auditLogQuery,
  auditLogExport: auditLogFilters,
  accountLink: linkQuery,
} satisfies Record<string, z.ZodObject>;

/** Drops what OpenAPI component schemas must not carry (fragment `$id`s, per-schema dialect). */
function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function overrideFor(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  if (ctx.zodSchema === FIELDS_SCHEMA_ITEM) Object.assign(ctx.jsonSchema, ref('Field'));
  const keywords = annotations.get(ctx.zodSchema);
  if (keywords) Object.assign(ctx.jsonSchema, keywords);
}

const CONVERSION = {
  io: 'input',
  target: 'draft-2020-12',
  unrepresentable: 'any',
  uri: (id: string) => `#/components/schemas/${id}`,
  override: overrideFor,
} as const;

/**
 * `components.schemas`, converted in one pass so that shared parts (Field, Rule,
 * Condition, PageMeta...) are `$ref`s. `io: 'input'`: what a client may send (defaults
 * make a property optional); the response schemas use no defaults or transforms, so the
 * same pass describes them exactly.
 */
export function componentSchemas(): Record<ComponentName, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, CONVERSION);
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => [id, clean(schema as JsonSchema)]),
  ) as Record<ComponentName, JsonSchema>;
}

/** A query schema's properties, each with whether it is required. */
export function queryParameters(
  query: z.ZodObject,
): { name: string; required: boolean; schema: JsonSchema }[] {
  const { uri: _uri, ...conversion } = CONVERSION;
  const json = z.toJSONSchema(query, conversion) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    required: json.required?.includes(name) ?? false,
    schema,
  }));
}
