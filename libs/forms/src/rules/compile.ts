import { COERCERS, isPresent, ValueProblem, type Coercer, type InputMode } from './coerce';
import { compileCondition, type Predicate, type SubmittedValues } from './conditions';
import type { Condition, Field, FieldsSchema } from './fields-schema';
import type { Literal } from './literal-types';
import { compileValueCheck, type CompiledRule } from './rules';
import { droppedFieldNames } from './dropped-fields';

export type ValidationResult =
  | {
      ok: true;
      data: Record<string, string | number | boolean | null>;
      /** Unknown submitted keys: sorted, sanitised, at most 100, each at most 64 characters. */
      droppedFields: string[];
      /** How many unknown keys there were, also past the 100 listed. */
      droppedFieldCount: number;
      /** Honeypot fields that were filled: store the submission, flagged as spam. */
      honeypotFilled: string[];
    }
  | { ok: false; errors: Record<string, string[]> };

export interface CompiledForm {
  /** `input` is the parsed body: JSON, or urlencoded/multipart fields (`form`). */
  validate(input: Record<string, unknown>, mode: InputMode): ValidationResult;
  /** The contract shown to clients: every field but the honeypots. */
  readonly publicFields: readonly Field[];
}

interface CompiledField {
  name: string;
  honeypot: boolean;
  coerce: Coercer;
  /** One entry per `required` rule; `undefined` stands for "always". Required if any holds. */
  requiredWhen: (Predicate | undefined)[];
  rules: CompiledRule[];
}

/**
 * Compiles a form version's schema, once, into its validator. Expects a schema that passed
 * `fieldsSchemaInput` (stored versions did); throws if a condition names no field.
 */
export function compileFieldsSchema(schema: FieldsSchema): CompiledForm {
  const positions = new Map(schema.fields.map((field, index) => [field.name, index]));
  const condition = (when: Condition | undefined): Predicate | undefined => {
    if (when === undefined) return undefined;
    const index = positions.get(when.field);
    if (index === undefined) throw new Error(`condition names unknown field "${when.field}"`);
    return compileCondition(when, index, schema.fields[index].type);
  };
  const fields = schema.fields.map((field): CompiledField => {
    const compiled: CompiledField = {
      name: field.name,
      honeypot: false,
      coerce: COERCERS[field.type],
      requiredWhen: [],
      rules: [],
    };
    for (const rule of field.rules) {
      if (rule.op === 'honeypot') {
        compiled.honeypot = true;
      } else if (rule.op === 'required') {
        compiled.requiredWhen.push(condition(rule.when));
      } else {
        compiled.rules.push({
          when: condition(rule.when),
          check: compileValueCheck(rule, field.type),
        });
      }
    }
    return compiled;
  });
  const publicFields = Object.freeze(
    schema.fields
      .filter((field) => !field.rules.some((rule) => rule.op === 'honeypot'))
      .map((field) => structuredClone(field)),
  );
  return { validate: (input, mode) => validate(fields, positions, input, mode), publicFields };
}

function validate(
  fields: readonly CompiledField[],
  positions: ReadonlyMap<string, number>,
  input: Record<string, unknown>,
  mode: InputMode,
): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: { body: ['must be an object'] } };
  }
  const values: (Literal | undefined)[] = new Array<Literal | undefined>(fields.length);
  const invalid: (ValueProblem | undefined)[] = new Array<ValueProblem | undefined>(fields.length);
  let honeypotFilled: string[] | undefined;
  // First every value, since any rule's condition may read any other field.
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    // Own properties only: a field named `toString` must not read Object.prototype's.
    const raw = Object.hasOwn(input, field.name) ? input[field.name] : undefined;
    if (field.honeypot) {
      if (isPresent(raw)) (honeypotFilled ??= []).push(field.name);
      continue;
    }
    const value = field.coerce(raw, mode);
    if (value instanceof ValueProblem) invalid[i] = value;
    else values[i] = value;
  }
  let errors: Record<string, string[]> | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.honeypot) continue;
    const problem = invalid[i];
    const messages = problem ? [problem.message] : messagesFor(field, values[i], values);
    if (messages)
      (errors ??= Object.create(null) as Record<string, string[]>)[field.name] = messages;
  }
  if (errors) return { ok: false, errors };

  // Keys come only from the schema's validated names, never from the submission.
  const built = Object.create(null) as Record<string, Literal>;
  for (let i = 0; i < fields.length; i++) {
    const value = values[i];
    if (value !== undefined) built[fields[i].name] = value;
  }
  const data: Record<string, Literal> = { ...built };
  const dropped = droppedFieldNames(input, positions);
  return {
    ok: true,
    data,
    droppedFields: dropped.names,
    droppedFieldCount: dropped.count,
    honeypotFilled: honeypotFilled ?? [],
  };
}

function messagesFor(
  field: CompiledField,
  value: Literal | undefined,
  values: SubmittedValues,
): string[] | undefined {
  if (value === undefined) {
    const required = field.requiredWhen.some((when) => when === undefined || when(values));
    return required ? ['is required'] : undefined;
  }
  let messages: string[] | undefined;
  for (const rule of field.rules) {
    if (rule.when !== undefined && !rule.when(values)) continue;
    const message = rule.check(value);
    if (message !== undefined) (messages ??= []).push(message);
  }
  return messages;
}
