import type { Prisma } from '@intake/database';
import type { FieldsSchema } from '@intake/forms';

/** One submitted value as chat messages show it. */
export interface FieldLine {
  name: string;
  /** Empty when nothing was submitted. */
  value: string;
}

/**
 * The submitted values in the form's field order (jsonb does not keep key order), honeypot
 * fields left out: they are bait for bots, not content for the owner's channel.
 */
export function submissionFields(data: Prisma.JsonValue, schema: FieldsSchema): FieldLine[] {
  const values = isObject(data) ? data : {};
  const honeypots = new Set(
    schema.fields
      .filter((field) => field.rules.some((rule) => rule.op === 'honeypot'))
      .map((field) => field.name),
  );
  const ordered = [
    ...schema.fields.map((field) => field.name),
    ...Object.keys(values).filter((name) => !schema.fields.some((field) => field.name === name)),
  ];
  return ordered
    .filter((name) => !honeypots.has(name) && name in values)
    .map((name) => ({ name, value: display(values[name] ?? null) }));
}

function isObject(value: Prisma.JsonValue): value is Prisma.JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function display(value: Prisma.JsonValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
