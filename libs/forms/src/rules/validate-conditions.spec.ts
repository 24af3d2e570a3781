import { compileFieldsSchema } from './compile';
import { fieldsSchemaInput } from './fields-schema';

/** A form whose `target` is required when `when` holds about one of the other fields. */
function requiredWhen(when: unknown) {
  return compileFieldsSchema(
    fieldsSchemaInput.parse({
      fields: [
        { name: 'plan', type: 'string' },
        { name: 'seats', type: 'number' },
        { name: 'start', type: 'date' },
        { name: 'contact', type: 'email' },
        { name: 'agree', type: 'boolean' },
        { name: 'target', type: 'string', rules: [{ op: 'required', when }] },
      ],
    }),
  );
}

/** Whether `target` turned out required for this submission. */
function isRequired(when: unknown, input: Record<string, unknown>, mode: 'json' | 'form' = 'json') {
  const result = requiredWhen(when).validate(input, mode);
  return !result.ok && result.errors.target?.[0] === 'is required';
}

describe('validate: when conditions', () => {
  it('eq and neq compare strings exactly (after trimming), numbers, booleans and e-mails', () => {
    expect(isRequired({ field: 'plan', is: 'eq', value: 'pro' }, { plan: ' pro ' })).toBe(true);
    expect(isRequired({ field: 'plan', is: 'eq', value: 'pro' }, { plan: 'Pro' })).toBe(false);
    expect(isRequired({ field: 'seats', is: 'eq', value: 3 }, { seats: '3.0' }, 'form')).toBe(true);
    expect(isRequired({ field: 'agree', is: 'eq', value: true }, { agree: 'yes' }, 'form')).toBe(
      true,
    );
    expect(isRequired({ field: 'contact', is: 'eq', value: 'a@X.io' }, { contact: 'a@x.IO' })).toBe(
      true,
    );
    expect(isRequired({ field: 'plan', is: 'neq', value: 'free' }, { plan: 'pro' })).toBe(true);
    expect(isRequired({ field: 'plan', is: 'neq', value: 'free' }, { plan: 'free' })).toBe(false);
  });

  it('one_of and not_one_of', () => {
    const oneOf = { field: 'plan', is: 'one_of', value: ['pro', 'team'] };
    expect(isRequired(oneOf, { plan: 'team' })).toBe(true);
    expect(isRequired(oneOf, { plan: 'free' })).toBe(false);
    const notOneOf = { field: 'seats', is: 'not_one_of', value: [1, 2] };
    expect(isRequired(notOneOf, { seats: 3 })).toBe(true);
    expect(isRequired(notOneOf, { seats: 2 })).toBe(false);
  });

  it('gt, lt, gte and lte compare numbers numerically', () => {
    const on = (is: string, seats: unknown) =>
      isRequired({ field: 'seats', is, value: 10 }, { seats });
    expect([on('gt', 11), on('gt', 10), on('gt', 9)]).toEqual([true, false, false]);
    expect([on('gte', 11), on('gte', 10), on('gte', 9)]).toEqual([true, true, false]);
    expect([on('lt', 11), on('lt', 10), on('lt', 9)]).toEqual([false, false, true]);
    expect([on('lte', 11), on('lte', 10), on('lte', 9)]).toEqual([false, true, true]);
    // Numerically, not as text: "9" < "10" would be false as strings.
    expect(isRequired({ field: 'seats', is: 'lt', value: 10 }, { seats: '9' }, 'form')).toBe(true);
  });

  it('gt, lt, gte and lte compare dates as ISO strings', () => {
    const on = (is: string, start: string) =>
      isRequired({ field: 'start', is, value: '2026-03-01' }, { start });
    expect([on('gt', '2026-03-02'), on('gt', '2026-03-01'), on('lt', '2026-02-28')]).toEqual([
      true,
      false,
      true,
    ]);
    expect([on('gte', '2026-03-01'), on('lte', '2026-03-01'), on('lte', '2026-12-01')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('filled and empty test presence', () => {
    expect(isRequired({ field: 'plan', is: 'filled' }, { plan: 'x' })).toBe(true);
    expect(isRequired({ field: 'plan', is: 'filled' }, { plan: '  ' })).toBe(false);
    expect(isRequired({ field: 'plan', is: 'empty' }, {})).toBe(true);
    expect(isRequired({ field: 'plan', is: 'empty' }, { plan: 'x' })).toBe(false);
  });

  it('treats a missing other field as empty: neq/not_one_of hold, ordered comparisons do not', () => {
    expect(isRequired({ field: 'plan', is: 'eq', value: 'pro' }, {})).toBe(false);
    expect(isRequired({ field: 'plan', is: 'neq', value: 'pro' }, {})).toBe(true);
    expect(isRequired({ field: 'plan', is: 'one_of', value: ['pro'] }, {})).toBe(false);
    expect(isRequired({ field: 'plan', is: 'not_one_of', value: ['pro'] }, {})).toBe(true);
    for (const is of ['gt', 'lt', 'gte', 'lte']) {
      expect(isRequired({ field: 'seats', is, value: 0 }, {})).toBe(false);
    }
  });

  it('gates any rule, not only required; a required rule fires if any of its conditions holds', () => {
    const form = compileFieldsSchema(
      fieldsSchemaInput.parse({
        fields: [
          { name: 'plan', type: 'string' },
          { name: 'vat', type: 'string' },
          {
            name: 'seats',
            type: 'number',
            rules: [
              { op: 'min', value: 5, when: { field: 'plan', is: 'eq', value: 'team' } },
              { op: 'max', value: 1, when: { field: 'plan', is: 'eq', value: 'solo' } },
              { op: 'required', when: { field: 'plan', is: 'eq', value: 'team' } },
              { op: 'required', when: { field: 'vat', is: 'filled' } },
            ],
          },
        ],
      }),
    );
    expect(form.validate({ plan: 'team', seats: 2 }, 'json')).toEqual({
      ok: false,
      errors: { seats: ['must be at least 5'] },
    });
    expect(form.validate({ plan: 'solo', seats: 2 }, 'json')).toEqual({
      ok: false,
      errors: { seats: ['must be at most 1'] },
    });
    expect(form.validate({ plan: 'solo', seats: 1 }, 'json').ok).toBe(true);
    expect(form.validate({ vat: 'DE1' }, 'json')).toEqual({
      ok: false,
      errors: { seats: ['is required'] },
    });
    expect(form.validate({}, 'json').ok).toBe(true);
  });
});
