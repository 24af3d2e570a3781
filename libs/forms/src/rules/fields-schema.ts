import { z } from 'zod';
import { isCalendarDate } from './calendar-date';
import { checkAcrossFields } from './condition-checks';
import { MAX_PATTERN_SOURCE_LENGTH } from './pattern';
import { checkFieldRules, type FieldIssue } from './rule-checks';

export const FIELD_TYPES = ['string', 'email', 'number', 'boolean', 'date'] as const;
export const CONDITION_COMPARATORS = [
  'eq',
  'neq',
  'one_of',
  'not_one_of',
  'gt',
  'lt',
  'gte',
  'lte',
  'filled',
  'empty',
] as const;
export const MAX_FIELDS = 100;
export const MAX_RULES_PER_FIELD = 20;
export const MAX_LIST_VALUES = 200;
export const MAX_LENGTH_LIMIT = 1_000_000;
/** Longest string literal in `values` or a condition's `value`: bounds the stored schema. */
export const MAX_LITERAL_LENGTH = 1_000;

/** Field names become object keys in `data`, so the prototype's own names are refused. */
const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

const fieldName = z
  .string()
  .min(1, 'name must not be empty')
  .max(64, 'name must be at most 64 characters')
  .regex(
    /^[a-zA-Z_][a-zA-Z0-9_]*$/,
    'name must start with a letter or "_" and hold only letters, digits and "_"',
  )
  .refine((name) => !RESERVED_FIELD_NAMES.has(name), 'name is reserved');

const calendarDate = z
  .string()
  .refine(isCalendarDate, 'must be a real calendar date written YYYY-MM-DD');

/** A literal of any field type; whether it fits the field's type is checked across rules. */
const literal = z.union([z.string().max(MAX_LITERAL_LENGTH), z.number(), z.boolean()], {
  error: `must be text (at most ${MAX_LITERAL_LENGTH} characters), a finite number or a boolean`,
});
const literalList = z
  .array(literal)
  .min(1, 'must list at least one value')
  .max(MAX_LIST_VALUES, `must list at most ${MAX_LIST_VALUES} values`);

export const conditionSchema = z.discriminatedUnion(
  'is',
  [
    z.strictObject({ field: fieldName, is: z.enum(['filled', 'empty']) }),
    z.strictObject({
      field: fieldName,
      is: z.enum(['eq', 'neq', 'gt', 'lt', 'gte', 'lte']),
      value: literal,
    }),
    z.strictObject({ field: fieldName, is: z.enum(['one_of', 'not_one_of']), value: literalList }),
  ],
  { error: `when.is must be one of: ${CONDITION_COMPARATORS.join(', ')}` },
);

const when = conditionSchema.optional();
export const RULE_OPS = [
  'required',
  'honeypot',
  'one_of',
  'not_one_of',
  'min_length',
  'max_length',
  'min',
  'max',
  'pattern',
  'after',
  'before',
] as const;

export const ruleSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ op: z.literal('required'), when }),
    z.strictObject({ op: z.literal('honeypot'), when }),
    z.strictObject({ op: z.enum(['one_of', 'not_one_of']), values: literalList, when }),
    z.strictObject({
      op: z.enum(['min_length', 'max_length']),
      value: z.int().min(0).max(MAX_LENGTH_LIMIT),
      when,
    }),
    z.strictObject({ op: z.enum(['min', 'max']), value: z.number(), when }),
    z.strictObject({
      op: z.literal('pattern'),
      value: z.string().min(1).max(MAX_PATTERN_SOURCE_LENGTH),
      when,
    }),
    z.strictObject({ op: z.enum(['after', 'before']), value: calendarDate, when }),
  ],
  { error: `op must be one of: ${RULE_OPS.join(', ')}` },
);

export const fieldSchema = z.strictObject({
  name: fieldName,
  type: z.enum(FIELD_TYPES, { error: `type must be one of: ${FIELD_TYPES.join(', ')}` }),
  rules: z
    .array(ruleSchema)
    .max(MAX_RULES_PER_FIELD, `at most ${MAX_RULES_PER_FIELD} rules per field`)
    .default([]),
});

export type FieldType = (typeof FIELD_TYPES)[number];
export type ConditionComparator = (typeof CONDITION_COMPARATORS)[number];
export type Condition = z.output<typeof conditionSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type RuleOp = Rule['op'];
export type Field = z.output<typeof fieldSchema>;
export interface FieldsSchema {
  fields: Field[];
}

/**
 * A form's `fields_schema`. Each field is parsed on its own so that every message can start
 * with the field's name (`field "age": ...`) while the issue path still leads to the spot
 * (`fields.2.rules.0.value`); checks across rules and fields run on what parsed.
 */
export const fieldsSchemaInput = z
  .strictObject({
    fields: z.array(z.unknown()).max(MAX_FIELDS, `at most ${MAX_FIELDS} fields`),
  })
  .transform((input, ctx): FieldsSchema => {
    const parsed: (Field | undefined)[] = [];
    const report = (index: number, issue: FieldIssue): void => {
      ctx.addIssue({
        code: 'custom',
        path: ['fields', index, ...issue.path],
        message: `${fieldLabel(input.fields[index], index)}: ${issue.message}`,
      });
    };
    input.fields.forEach((raw, index) => {
      const result = fieldSchema.safeParse(raw);
      if (!result.success) {
        for (const issue of result.error.issues) report(index, zodIssue(issue));
        parsed.push(undefined);
        return;
      }
      parsed.push(result.data);
      for (const issue of checkFieldRules(result.data)) report(index, issue);
    });
    const rawNames = new Set(input.fields.map(nameOf).filter((name) => name !== undefined));
    for (const { index, issue } of checkAcrossFields(parsed, rawNames)) report(index, issue);
    const fields = parsed.filter((field) => field !== undefined);
    return fields.length === parsed.length ? { fields } : z.NEVER;
  });

/** zod's own messages do not say where they apply; the relative path does. */
function zodIssue(issue: z.core.$ZodIssue): FieldIssue {
  const where = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`));
  const prefix = where.join('').replace(/^\./, '');
  return { path: issue.path, message: prefix ? `${prefix}: ${issue.message}` : issue.message };
}

function nameOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, 'name')) return undefined;
  const name: unknown = (raw as { name: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** Names the field by its name when it has a valid one, else by its position. */
function fieldLabel(raw: unknown, index: number): string {
  const name = nameOf(raw);
  return name !== undefined && fieldName.safeParse(name).success
    ? `field "${name}"`
    : `fields[${index}]`;
}
