import { compileFieldsSchema, type ValidationResult } from './compile';
import { fieldsSchemaInput } from './fields-schema';

function formWith(type: string, rules: unknown[]) {
  return compileFieldsSchema(fieldsSchemaInput.parse({ fields: [{ name: 'f', type, rules }] }));
}

/** The messages for field `f`, or [] when the value passes. */
function messages(result: ValidationResult): string[] {
  return result.ok ? [] : (result.errors.f ?? []);
}

function check(type: string, rules: unknown[], value: unknown, mode: 'json' | 'form' = 'json') {
  return messages(formWith(type, rules).validate({ f: value }, mode));
}

describe('validate: rules', () => {
  it('required', () => {
    const rules = [{ op: 'required' }];
    expect(check('string', rules, undefined)).toEqual(['is required']);
    expect(check('string', rules, '  ')).toEqual(['is required']);
    expect(check('number', rules, null)).toEqual(['is required']);
    expect(check('boolean', rules, '', 'form')).toEqual(['is required']);
    expect(check('boolean', rules, false)).toEqual([]);
    expect(check('number', rules, 0)).toEqual([]);
  });

  it('applies other rules only to filled values', () => {
    expect(check('string', [{ op: 'min_length', value: 3 }], '')).toEqual([]);
    expect(check('number', [{ op: 'min', value: 3 }], undefined)).toEqual([]);
  });

  it('one_of and not_one_of, for every type', () => {
    const oneOf = (values: unknown[]) => [{ op: 'one_of', values }];
    expect(check('string', oneOf(['a', 'b', 'c']), 'b')).toEqual([]);
    expect(check('string', oneOf(['a', 'b', 'c']), 'd')).toEqual(['must be one of: a, b, c']);
    expect(check('email', oneOf(['boss@Corp.io']), 'boss@CORP.IO')).toEqual([]);
    expect(check('number', oneOf([1, 2]), '2', 'form')).toEqual([]);
    expect(check('number', oneOf([1, 2]), 3)).toEqual(['must be one of: 1, 2']);
    expect(check('boolean', oneOf([true]), false)).toEqual(['must be one of: true']);
    expect(check('date', oneOf(['2026-01-01']), '2026-01-02')).toEqual([
      'must be one of: 2026-01-01',
    ]);
    const notOneOf = [{ op: 'not_one_of', values: ['admin', 'root'] }];
    expect(check('string', notOneOf, 'root')).toEqual(['must not be one of: admin, root']);
    expect(check('string', notOneOf, 'ann')).toEqual([]);
  });

  it('truncates long value lists in messages', () => {
    const values = Array.from({ length: 25 }, (_, i) => `v${i}`);
    expect(check('string', [{ op: 'one_of', values }], 'x')).toEqual([
      'must be one of: v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, … (15 more)',
    ]);
  });

  it('min_length and max_length, in characters', () => {
    const rules = [
      { op: 'min_length', value: 2 },
      { op: 'max_length', value: 4 },
    ];
    expect(check('string', rules, 'a')).toEqual(['must be at least 2 characters']);
    expect(check('string', rules, 'abcde')).toEqual(['must be at most 4 characters']);
    expect(check('string', rules, 'abcd')).toEqual([]);
    expect(check('email', [{ op: 'max_length', value: 5 }], 'a@b.io')).toEqual([
      'must be at most 5 characters',
    ]);
    expect(check('string', [{ op: 'min_length', value: 1 }], 'x')).toEqual([]);
  });

  it('min and max, inclusive', () => {
    const rules = [
      { op: 'min', value: 1 },
      { op: 'max', value: 10 },
    ];
    expect(check('number', rules, 0.5)).toEqual(['must be at least 1']);
    expect(check('number', rules, 11)).toEqual(['must be at most 10']);
    expect(check('number', rules, 1)).toEqual([]);
    expect(check('number', rules, 10)).toEqual([]);
  });

  it('pattern searches the value; anchors make it a full match', () => {
    expect(check('string', [{ op: 'pattern', value: '\\d{3}' }], 'ab123cd')).toEqual([]);
    expect(check('string', [{ op: 'pattern', value: '^\\d{3}$' }], 'ab123cd')).toEqual([
      'does not match the required pattern',
    ]);
    expect(check('string', [{ op: 'pattern', value: '(?i)^abc$' }], 'ABC')).toEqual([]);
    expect(check('email', [{ op: 'pattern', value: '@example\\.com$' }], 'a@EXAMPLE.com')).toEqual(
      [],
    );
  });

  it('after and before, exclusive', () => {
    const rules = [
      { op: 'after', value: '2026-01-01' },
      { op: 'before', value: '2026-12-31' },
    ];
    expect(check('date', rules, '2026-01-01')).toEqual(['must be after 2026-01-01']);
    expect(check('date', rules, '2026-12-31')).toEqual(['must be before 2026-12-31']);
    expect(check('date', rules, '2026-06-15')).toEqual([]);
  });

  it('reports every broken rule of a field', () => {
    const rules = [
      { op: 'min_length', value: 5 },
      { op: 'pattern', value: '^[a-z]+$' },
    ];
    expect(check('string', rules, 'A1')).toEqual([
      'must be at least 5 characters',
      'does not match the required pattern',
    ]);
  });

  it('caps any text at 10,000 characters', () => {
    expect(check('string', [], 'a'.repeat(10_000))).toEqual([]);
    expect(check('string', [], 'a'.repeat(10_001))).toEqual(['is too long']);
    expect(check('string', [{ op: 'max_length', value: 50_000 }], 'a'.repeat(10_001))).toEqual([
      'is too long',
    ]);
  });

  it('publicFields leaves honeypots out', () => {
    const schema = fieldsSchemaInput.parse({
      fields: [
        { name: 'name', type: 'string', rules: [{ op: 'required' }] },
        { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
      ],
    });
    expect(compileFieldsSchema(schema).publicFields).toEqual([
      { name: 'name', type: 'string', rules: [{ op: 'required' }] },
    ]);
  });
});
