import { z } from 'zod';
import type { Prisma } from '@intake/database';

/** Per value, so one long message cannot bury the rest or bloat the mail. */
export const MAX_VALUE_CHARS = 2_000;

/**
 * Only what the notification needs from a stored `fields_schema`, read loosely (as the CSV
 * export does): versions are immutable, and a later, stricter validator must not make an
 * old submission unmailable.
 */
const storedFields = z.object({
  fields: z
    .array(
      z.looseObject({
        name: z.string(),
        rules: z.array(z.looseObject({ op: z.string() })).default([]),
      }),
    )
    .default([]),
});

export interface NotificationField {
  name: string;
  value: string;
}

/**
 * The submitted fields in schema order, then any others the data holds in name order
 * (jsonb does not keep insertion order). Honeypots are left out: they only hold bot input.
 * Empty values are left out too; what remains is plain text, not yet escaped.
 */
export function notificationFields(
  data: Prisma.JsonValue,
  fieldsSchema: Prisma.JsonValue | undefined,
): NotificationField[] {
  const values = isRecord(data) ? data : {};
  const parsed = storedFields.safeParse(fieldsSchema ?? { fields: [] });
  const fields = parsed.success ? parsed.data.fields : [];
  const honeypots = new Set(
    fields.filter((f) => f.rules.some((rule) => rule.op === 'honeypot')).map((f) => f.name),
  );
  const ordered = fields.map((f) => f.name).filter((name) => !honeypots.has(name));
  const rest = Object.keys(values)
    .filter((name) => !honeypots.has(name) && !ordered.includes(name))
    .sort();
  return [...ordered, ...rest].flatMap((name) => {
    const value = asText(values[name]);
    return value === '' ? [] : [{ name, value: truncate(value) }];
  });
}

function asText(value: Prisma.JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join(', ');
  }
  return JSON.stringify(value);
}

export function truncate(text: string, max = MAX_VALUE_CHARS): string {
  // By code points, so a cut never splits a surrogate pair into an invalid character.
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

function isRecord(value: Prisma.JsonValue): value is Prisma.JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
