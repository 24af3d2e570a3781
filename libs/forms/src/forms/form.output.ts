import type { Prisma } from '@intake/database';
import type { FormRecord } from './forms.repository';

export interface FormSummaryOutput {
  id: string;
  name: string;
  slug: string;
  visibility: 'public' | 'private';
  endpoint: string;
  submission_count: number;
  created_at: string;
}

export interface FormOutput extends FormSummaryOutput {
  enabled: boolean;
  version: number;
  fields_schema: Prisma.JsonValue;
  spam_protection_enabled: boolean;
  spam_protection_strategy: 'standard' | 'intelligent';
  intent: string | null;
  localisation_enabled: boolean;
  smart_reply_enabled: boolean;
  smart_replies_mode: 'draft' | 'auto';
  smart_reply_email_field: string | null;
  knowledge_base_id: string | null;
  allowed_origins: string[];
  redirect_url: string | null;
  retention_days: number | null;
  notify_emails: string[];
  ip_rate_limit: number;
  updated_at: string;
  /** Only when a token was just created or replaced: shown once. */
  submission_token?: string;
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

export function toFormOutput(
  form: FormRecord,
  endpoint: string,
  submissionCount: number,
): FormOutput {
  return {
    ...toFormSummaryOutput(form, endpoint, submissionCount),
    enabled: form.enabled,
    version: form.currentVersion,
    fields_schema: currentVersionOf(form).fieldsSchema,
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
    updated_at: form.updatedAt.toISOString(),
  };
}
