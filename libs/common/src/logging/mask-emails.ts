const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** `jane.doe@example.com` -> `j***@example.com`: enough to tell accounts apart in logs. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, '$1***@$2');
}

/** Masks e-mail addresses in every string of a log record, however deep. */
export function maskEmailsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (depth > 8 || typeof value !== 'object' || value === null || value instanceof Error)
    return value;
  if (Array.isArray(value)) return value.map((item) => maskEmailsDeep(item, depth + 1));
  const masked: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) masked[key] = maskEmailsDeep(item, depth + 1);
  return masked;
}
