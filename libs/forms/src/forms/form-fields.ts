import { z } from 'zod';
import { emailSchema } from '@intake/auth';
import { fieldsSchemaInput } from '../rules';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `https://example.com[:port]`, normalised; paths, queries and wildcards are refused. */
const origin = z
  .string()
  .max(255)
  .refine((value) => {
    try {
      const url = new URL(value);
      return ['http:', 'https:'].includes(url.protocol) && url.origin === value.replace(/\/$/, '');
    } catch {
      return false;
    }
  }, 'must be an origin such as https://example.com')
  .transform((value) => new URL(value).origin);

/** Every settable form field with its rules (API.md, "Forms"); create and update compose these. */
export const formFields = {
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  slug: z
    .string()
    .min(1, 'is required')
    .max(64, 'must be at most 64 characters')
    .regex(SLUG_PATTERN, 'must be lowercase letters, digits and single hyphens, e.g. contact-us'),
  visibility: z.enum(['public', 'private']),
  enabled: z.boolean(),
  fields_schema: fieldsSchemaInput,
  spam_protection_enabled: z.boolean(),
  spam_protection_strategy: z.enum(['standard', 'intelligent']),
  intent: z.string().trim().max(1000, 'must be at most 1000 characters').nullable(),
  localisation_enabled: z.boolean(),
  smart_reply_enabled: z.boolean(),
  smart_replies_mode: z.enum(['draft', 'auto']),
  smart_reply_email_field: z.string().max(64).nullable(),
  knowledge_base_id: z.uuid('must be a knowledge base id').nullable(),
  allowed_origins: z.array(origin).max(50, 'must list at most 50 origins'),
  redirect_url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(2048, 'must be at most 2048 characters')
    .nullable(),
  retention_days: z.int('must be a whole number of days').min(1).max(36_500).nullable(),
  notify_emails: z.array(emailSchema).max(20, 'must list at most 20 addresses'),
  ip_rate_limit: z.int('must be a whole number').min(0).max(100_000),
};

export const createFormInput = z.strictObject({
  ...formFields,
  visibility: formFields.visibility.default('public'),
  enabled: formFields.enabled.default(true),
  fields_schema: formFields.fields_schema.default({ fields: [] }),
  spam_protection_enabled: formFields.spam_protection_enabled.default(false),
  spam_protection_strategy: formFields.spam_protection_strategy.default('standard'),
  intent: formFields.intent.default(null),
  localisation_enabled: formFields.localisation_enabled.default(false),
  smart_reply_enabled: formFields.smart_reply_enabled.default(false),
  smart_replies_mode: formFields.smart_replies_mode.default('draft'),
  smart_reply_email_field: formFields.smart_reply_email_field.default(null),
  knowledge_base_id: formFields.knowledge_base_id.default(null),
  allowed_origins: formFields.allowed_origins.default([]),
  redirect_url: formFields.redirect_url.default(null),
  retention_days: formFields.retention_days.default(null),
  notify_emails: formFields.notify_emails.default([]),
  ip_rate_limit: formFields.ip_rate_limit.default(10),
});
export type CreateFormInput = z.output<typeof createFormInput>;

/** PUT takes any subset of the fields; the rest keep their values. */
export const updateFormInput = z.strictObject(formFields).partial();
export type UpdateFormInput = z.output<typeof updateFormInput>;

/** The settings a stored form has, in API names: what cross-field checks look at. */
export type FormSettings = CreateFormInput;
