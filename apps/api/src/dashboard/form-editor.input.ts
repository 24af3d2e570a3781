import { z } from 'zod';
import { AppError } from '@intake/common';
import { createFormInput, type CreateFormInput, type FormOutput } from '@intake/forms';
import { formInput, sessionForm } from './page-forms';

/** A checkbox posts `on` when ticked and nothing otherwise. */
const checkbox = z.literal('on').optional();
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/** The editor's fields as posted: all text, named as the API names the settings. */
export const formEditorFields = sessionForm({
  name: text(1_000),
  slug: text(1_000),
  visibility: text(20),
  enabled: checkbox,
  fields_schema: text(500_000),
  spam_protection_enabled: checkbox,
  spam_protection_strategy: text(20),
  intent: text(5_000),
  localisation_enabled: checkbox,
  smart_reply_enabled: checkbox,
  smart_replies_mode: text(20),
  smart_reply_email_field: text(1_000),
  knowledge_base_id: text(100),
  allowed_origins: text(20_000),
  redirect_url: text(5_000),
  retention_days: text(20),
  notify_emails: text(20_000),
  ip_rate_limit: text(20),
});

/** What the editor shows: as posted when re-rendering a refusal, else the form's settings. */
export type FormEditorValues = Omit<z.output<typeof formEditorFields>, '_csrf'>;

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
const numberOrText = (value: string) => (/^-?\d+$/.test(value.trim()) ? Number(value) : value);

function parseSchema(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw AppError.validation({ fields_schema: [`is not valid JSON${reason}`] });
  }
}

/** The editor's post, as typed (a malformed post, e.g. an unknown field, is refused here). */
export function formEditorPost(body: unknown): FormEditorValues {
  const { _csrf: _token, ...values } = formInput(formEditorFields, body);
  return values;
}

/**
 * The editor's values as API settings, validated by the API's own schema: the same rules
 * and the same messages (keyed by API names, which are the editor's field names).
 */
export function formSettingsOf(values: FormEditorValues): CreateFormInput {
  return formInput(createFormInput, {
    name: values.name,
    slug: values.slug.trim(),
    visibility: values.visibility,
    enabled: values.enabled === 'on',
    fields_schema: parseSchema(values.fields_schema),
    spam_protection_enabled: values.spam_protection_enabled === 'on',
    spam_protection_strategy: values.spam_protection_strategy,
    intent: orNull(values.intent),
    localisation_enabled: values.localisation_enabled === 'on',
    smart_reply_enabled: values.smart_reply_enabled === 'on',
    smart_replies_mode: values.smart_replies_mode,
    smart_reply_email_field: orNull(values.smart_reply_email_field),
    knowledge_base_id: orNull(values.knowledge_base_id),
    allowed_origins: lines(values.allowed_origins),
    redirect_url: orNull(values.redirect_url),
    retention_days:
      values.retention_days.trim() === '' ? null : numberOrText(values.retention_days),
    notify_emails: lines(values.notify_emails),
    ip_rate_limit: numberOrText(values.ip_rate_limit),
  });
}

const on = (value: boolean) => (value ? ('on' as const) : undefined);

/** A new form starts with a typical contact form's fields, to edit or replace. */
const NEW_FORM_FIELDS = {
  fields: [
    { name: 'email', type: 'email', rules: [{ op: 'required' }] },
    {
      name: 'message',
      type: 'string',
      rules: [{ op: 'required' }, { op: 'max_length', value: 5000 }],
    },
  ],
};

/** The editor's values for a stored form (or, without one, a new form's defaults). */
export function formEditorValues(form?: FormOutput): FormEditorValues {
  const settings = form ?? {
    ...createFormInput.parse({
      name: 'New form',
      slug: 'new-form',
      fields_schema: NEW_FORM_FIELDS,
    }),
    name: '',
    slug: '',
  };
  return {
    name: settings.name,
    slug: settings.slug,
    visibility: settings.visibility,
    enabled: on(settings.enabled),
    fields_schema: JSON.stringify(settings.fields_schema, null, 2),
    spam_protection_enabled: on(settings.spam_protection_enabled),
    spam_protection_strategy: settings.spam_protection_strategy,
    intent: settings.intent ?? '',
    localisation_enabled: on(settings.localisation_enabled),
    smart_reply_enabled: on(settings.smart_reply_enabled),
    smart_replies_mode: settings.smart_replies_mode,
    smart_reply_email_field: settings.smart_reply_email_field ?? '',
    knowledge_base_id: settings.knowledge_base_id ?? '',
    allowed_origins: settings.allowed_origins.join('\n'),
    redirect_url: settings.redirect_url ?? '',
    retention_days: settings.retention_days === null ? '' : String(settings.retention_days),
    notify_emails: settings.notify_emails.join('\n'),
    ip_rate_limit: String(settings.ip_rate_limit),
  };
}
