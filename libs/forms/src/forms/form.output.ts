import type { FormVersion } from '@intake/database';
import type { FieldsSchema } from '../rules';
import type { FormSettings } from './form-fields';
import { storedFieldsSchema, type FormRecord } from './forms.repository';

export interface FormSummaryOutput {
  id: string;
  name: string;
  slug: string;
  visibility: 'public' | 'private';
  endpoint: string;
  submission_count: number;
  created_at: string;
}

/** A form as the API shows it: its settings, in API names, plus what the server keeps. */
export interface FormOutput extends FormSummaryOutput, FormSettings {
  version: number;
  updated_at: string;
  /** Only when a token was just created or replaced: shown once. */
  submission_token?: string;
}

/** One immutable version: its schema, and the endpoint that validates against it for good. */
export interface FormVersionOutput {
  version: number;
  endpoint: string;
  fields_schema: FieldsSchema;
  created_at: string;
}

/** A form with every version it has had (the account export). */
export interface FormWithVersionsOutput extends FormOutput {
  versions: FormVersionOutput[];
}

export function toFormVersionOutput(version: FormVersion, endpoint: string): FormVersionOutput {
  return {
    version: version.version,
    endpoint,
    fields_schema: storedFieldsSchema(version),
    created_at: version.createdAt.toISOString(),
  };
}

export function currentVersionOf(form: FormRecord) {
  const [version] = form.versions;
  if (!version) throw new Error(`Form ${form.id} has no version`);
  return version;
}

export function toFormSummaryOutput(
  form: FormRecord,
  endpoint: string,
  submissionCount: number,
): FormSummaryOutput {
  return {
    id: form.id,
    name: form.name,
    slug: form.slug,
    visibility: form.visibility,
    endpoint,
    submission_count: submissionCount,
    created_at: form.createdAt.toISOString(),
  };
}

/** The stored form's settings in API names (what PUT merges into and the output shows). */
export function formSettingsOf(form: FormRecord): FormSettings {
  return {
    name: form.name,
    slug: form.slug,
    visibility: form.visibility,
    enabled: form.enabled,
    fields_schema: storedFieldsSchema(currentVersionOf(form)),
    spam_protection_enabled: form.spamProtectionEnabled,
    spam_protection_strategy: form.spamProtectionStrategy,
    intent: form.intent,
    localisation_enabled: form.localisationEnabled,
    smart_reply_enabled: form.smartReplyEnabled,
    smart_replies_mode: form.smartRepliesMode,
    smart_reply_email_field: form.smartReplyEmailField,
    knowledge_base_id: form.knowledgeBaseId,
    allowed_origins: form.allowedOrigins,
    redirect_url: form.redirectUrl,
    retention_days: form.retentionDays,
    notify_emails: form.notifyEmails,
    ip_rate_limit: form.ipRateLimit,
  };
}

export function toFormOutput(
  form: FormRecord,
  endpoint: string,
  submissionCount: number,
): FormOutput {
  return {
    ...toFormSummaryOutput(form, endpoint, submissionCount),
    ...formSettingsOf(form),
    version: form.currentVersion,
    updated_at: form.updatedAt.toISOString(),
  };
}
