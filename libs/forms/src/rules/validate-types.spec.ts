import { compileFieldsSchema, type ValidationResult } from './compile';
import { fieldsSchemaInput } from './fields-schema';

const form = compileFieldsSchema(
  fieldsSchemaInput.parse({
    fields: [
      { name: 's', type: 'string' },
      { name: 'e', type: 'email' },
      { name: 'n', type: 'number' },
      { name: 'b', type: 'boolean' },
      { name: 'd', type: 'date' },
    ],
  }),
);

function errorsOf(result: ValidationResult): Record<string, string[]> {
  if (result.ok) throw new Error('expected validation errors');
  return { ...result.errors };
}

function dataOf(result: ValidationResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

describe('validate: types in json mode (strict)', () => {
  it('keeps well-typed values, trimmed, and leaves unfilled fields out', () => {
    const result = form.validate(
      { s: '  hi  ', e: ' Ann.Lee@Example.COM ', n: -1.5, b: false, d: '2024-02-29' },
      'json',
    );
    expect(dataOf(result)).toEqual({
      s: 'hi',
      e: 'Ann.Lee@example.com',
      n: -1.5,
      b: false,
      d: '2024-02-29',
    });
    expect(dataOf(form.validate({ s: '   ', n: null }, 'json'))).toEqual({});
    expect(Object.getPrototypeOf(dataOf(result))).toBe(Object.prototype);
  });

  it.each([
    ['s', 5, 'must be text'],
    ['s', ['a'], 'must be text'],
    ['s', { a: 1 }, 'must be text'],
    ['e', 'not-an-email', 'must be a valid e-mail address'],
    ['e', 'a@b', 'must be a valid e-mail address'],
    ['e', `${'a'.repeat(250)}@x.io`, 'must be a valid e-mail address'],
    ['n', '5', 'must be a number'],
    ['n', Infinity, 'must be a number'],
    ['n', NaN, 'must be a number'],
    ['n', [1], 'must be a number'],
    ['b', 'true', 'must be true or false'],
    ['b', 1, 'must be true or false'],
    ['d', '2026-02-30', 'must be a date (YYYY-MM-DD)'],
    ['d', '2026-2-3', 'must be a date (YYYY-MM-DD)'],
    ['d', '2026-02-03T00:00:00Z', 'must be a date (YYYY-MM-DD)'],
    ['d', 20260203, 'must be a date (YYYY-MM-DD)'],
  ])('refuses %s = %j: %s', (name, value, message) => {
    expect(errorsOf(form.validate({ [name]: value }, 'json'))).toEqual({ [name]: [message] });
  });

  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['0000-01-01', false],
    ['9999-12-31', true],
  ])('reads the date %s as a real calendar date: %s', (d, valid) => {
    expect(form.validate({ d }, 'json').ok).toBe(valid);
  });

  it('refuses 1e999, which JSON.parse turns into Infinity', () => {
    const body = JSON.parse('{"n": 1e999}') as Record<string, unknown>;
    expect(errorsOf(form.validate(body, 'json'))).toEqual({ n: ['must be a number'] });
  });

  it('refuses a body that is not an object', () => {
    expect(errorsOf(form.validate([] as unknown as Record<string, unknown>, 'json'))).toEqual({
      body: ['must be an object'],
    });
  });

  it('reports every field at once, never echoing the value', () => {
    const errors = errorsOf(form.validate({ s: 1, n: 'secret-123', d: 'x' }, 'json'));
    expect(errors).toEqual({
      s: ['must be text'],
      n: ['must be a number'],
      d: ['must be a date (YYYY-MM-DD)'],
    });
    expect(JSON.stringify(errors)).not.toContain('secret-123');
  });
});

describe('validate: types in form mode (coerced)', () => {
  it('coerces decimals and boolean words', () => {
    const result = form.validate({ s: 'x', n: ' -12.50 ', b: 'ON', d: '2026-01-31' }, 'form');
    expect(dataOf(result)).toEqual({ s: 'x', n: -12.5, b: true, d: '2026-01-31' });
  });

  it.each([
    ['true', true],
    ['on', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['off', false],
    ['0', false],
    ['No', false],
  ])('reads boolean %j as %s', (raw, value) => {
    expect(dataOf(form.validate({ b: raw }, 'form'))).toEqual({ b: value });
  });

  it('treats empty strings as not filled', () => {
    expect(dataOf(form.validate({ s: '', e: '', n: '', b: '', d: '' }, 'form'))).toEqual({});
  });

  it.each(['1e3', '0x10', 'Infinity', '1,5', '1.', '.5', '--1', '9'.repeat(400)])(
    'refuses the number %j',
    (raw) => {
      expect(errorsOf(form.validate({ n: raw }, 'form'))).toEqual({ n: ['must be a number'] });
    },
  );

  it('refuses unknown boolean words and repeated keys', () => {
    expect(errorsOf(form.validate({ b: 'maybe' }, 'form'))).toEqual({
      b: ['must be true or false'],
    });
    const repeated = {
      s: ['a', 'b'],
      n: ['1', '2'],
      b: ['on', 'on'],
      e: ['a@b.io'],
      d: ['2026-01-01'],
    };
    const errors = errorsOf(form.validate(repeated, 'form'));
    for (const name of Object.keys(repeated))
      expect(errors[name]).toEqual(['must be a single value']);
  });
});
