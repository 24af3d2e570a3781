import { isCalendarDate } from './calendar-date';
import type { FieldType } from './fields-schema';

/** A value a field holds once coerced, and the literals rules and conditions compare with. */
export type Literal = string | number | boolean;

/** Whether a literal in a schema (a `values` item, a condition's `value`) fits a field's type. */
export function literalFitsType(type: FieldType, value: Literal): boolean {
  switch (type) {
    case 'string':
    case 'email':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value);
  }
}

/** How a literal of that type is described in schema-time messages. */
export const LITERAL_NOUN: Readonly<Record<FieldType, string>> = {
  string: 'text',
  email: 'text',
  number: 'numbers',
  boolean: 'true or false',
  date: 'dates written YYYY-MM-DD',
};
