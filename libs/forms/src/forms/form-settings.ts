import { AppError } from '@intake/common';
import type { FieldsSchema } from '../rules';
import type { FormSettings } from './form-fields';

/**
 * Rules that span several fields, checked on the settings a form would have after the
 * change (a PUT may send only some of them). Each failure names the field to fix.
 */
export function assertConsistentSettings(
  settings: FormSettings,
  knowledgeBaseExists: boolean,
): void {
  const details: Record<string, string[]> = {};
  const fail = (field: string, message: string) => (details[field] ??= []).push(message);
  const schema: FieldsSchema = settings.fields_schema;

  if (settings.knowledge_base_id && !knowledgeBaseExists)
    fail('knowledge_base_id', 'no such knowledge base');
  if (settings.smart_reply_enabled && !settings.knowledge_base_id) {
    fail('knowledge_base_id', 'is required when smart_reply_enabled is true');
  }
  if (settings.smart_reply_email_field) {
    const field = schema.fields.find(
      (candidate) => candidate.name === settings.smart_reply_email_field,
    );
    if (field?.type !== 'email')
      fail('smart_reply_email_field', 'must name an email field of fields_schema');
  } else if (settings.smart_reply_enabled && settings.smart_replies_mode === 'auto') {
    fail('smart_reply_email_field', 'is required when smart replies are sent automatically');
  }
  if (Object.keys(details).length > 0) throw AppError.validation(details);
}
