import type { Field, FieldType } from '@intake/forms';
import { analysedPart } from './analysed-text';

/** One submitted string value with the type its schema field declares. */
export interface SubmittedText {
  field: string;
  type: FieldType;
  /** At most MAX_ANALYSED_CHARS of the value. */
  text: string;
}

/**
 * The string values of a submission worth reading, each with its field's type. Odd input
 * (no data, a field list that is not one, values of other kinds) yields fewer entries,
 * never an exception: this runs in the worker on stored rows, some of them old.
 */
export function submittedTexts(data: unknown, fields: unknown): SubmittedText[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const types = fieldTypes(fields);
  const texts: SubmittedText[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const declared = types.get(field);
    if (declared === 'honeypot') continue;
    // A key the schema does not know (an old version, a dropped field kept) is still text.
    texts.push({ field, type: declared ?? 'string', text: analysedPart(value) });
  }
  return texts;
}

/** Names of honeypot fields that hold a value (anything but blank), in schema order. */
export function filledHoneypots(data: unknown, fields: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const values = data as Record<string, unknown>;
  return [...fieldTypes(fields)]
    .filter(([name, type]) => type === 'honeypot' && Object.hasOwn(values, name))
    .filter(([name]) => isFilled(values[name]))
    .map(([name]) => name);
}

/** Same notion of "filled" as the rules engine: any non-blank value at all. */
function isFilled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value === 'string' ? value.trim() !== '' : true;
}

function fieldTypes(fields: unknown): Map<string, FieldType | 'honeypot'> {
  const types = new Map<string, FieldType | 'honeypot'>();
  if (!Array.isArray(fields)) return types;
  for (const field of fields as unknown[]) {
    if (!isField(field)) continue;
    const honeypot = Array.isArray(field.rules) && field.rules.some((r) => r?.op === 'honeypot');
    types.set(field.name, honeypot ? 'honeypot' : field.type);
  }
  return types;
}

function isField(value: unknown): value is Field {
  if (typeof value !== 'object' || value === null) return false;
  const { name, type } = value as { name?: unknown; type?: unknown };
  return typeof name === 'string' && typeof type === 'string';
}
