import { fieldsSchemaInput } from './fields-schema';
import { expectRefused, refusal } from './schema-refusal.test-helper';

describe('fieldsSchemaInput', () => {
  it('accepts every type and op, conditions included, and defaults rules to []', () => {
    const result = fieldsSchemaInput.safeParse({
      fields: [
        { name: 'plan', type: 'string', rules: [{ op: 'one_of', values: ['free', 'pro'] }] },
        {
          name: 'email',
          type: 'email',
          rules: [
            { op: 'required' },
            { op: 'max_length', value: 100 },
            { op: 'pattern', value: '@example\\.com$' },
          ],
        },
        {
          name: 'age',
          type: 'number',
          rules: [
            { op: 'min', value: 18 },
            { op: 'max', value: 120 },
          ],
        },
        { name: 'terms', type: 'boolean', rules: [{ op: 'one_of', values: [true] }] },
        {
          name: 'start',
          type: 'date',
          rules: [
            { op: 'after', value: '2026-01-01' },
            { op: 'before', value: '2026-12-31' },
            { op: 'required', when: { field: 'plan', is: 'eq', value: 'pro' } },
          ],
        },
        { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
        { name: 'notes', type: 'string' },
      ],
    });
    expect(result.success).toBe(true);
    expect(result.data?.fields[6]).toEqual({ name: 'notes', type: 'string', rules: [] });
  });

  it('accepts the classic ReDoS pattern: RE2 matches it in linear time', () => {
    const fields = [{ name: 'a', type: 'string', rules: [{ op: 'pattern', value: '^(a+)+$' }] }];
    expect(fieldsSchemaInput.safeParse({ fields }).success).toBe(true);
  });

  describe('refuses, naming the field in the message and the spot in the path', () => {
    it('unknown keys, at every level', () => {
      expect(fieldsSchemaInput.safeParse({ fields: [], extra: 1 }).success).toBe(false);
      expectRefused(
        [{ name: 'a', type: 'string', rules: [], x: 1 }],
        'fields.0',
        /^field "a": Unrecognized key/,
      );
      expectRefused(
        [{ name: 'a', type: 'string', rules: [{ op: 'required', value: 1 }] }],
        'fields.0.rules.0',
        /^field "a": rules\[0\]: Unrecognized key/,
      );
    });

    it.each(['__proto__', 'constructor', 'prototype'])('the reserved name %s', (name) => {
      expectRefused(
        [{ name, type: 'string' }],
        'fields.0.name',
        /^fields\[0\]: name: name is reserved/,
      );
    });

    it.each(['', '1abc', 'a-b', 'é', 'a'.repeat(65)])('the invalid name %j', (name) => {
      expect(refusal([{ name, type: 'string' }])[0]).toMatchObject({ path: 'fields.0.name' });
    });

    it('duplicate names', () => {
      const fields = [
        { name: 'a', type: 'string' },
        { name: 'a', type: 'number' },
      ];
      expectRefused(fields, 'fields.1.name', 'field "a": name is already used by fields[0]');
    });

    it('more than 100 fields and more than 20 rules', () => {
      const many = Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, type: 'string' }));
      expectRefused(many, 'fields', /at most 100 fields/);
      const rules = Array.from({ length: 21 }, () => ({ op: 'pattern', value: 'a' }));
      expectRefused([{ name: 'a', type: 'string', rules }], 'fields.0.rules', /at most 20 rules/);
    });

    it('unknown types and ops', () => {
      expectRefused([{ name: 'a', type: 'url' }], 'fields.0.type', /type must be one of/);
      expectRefused(
        [{ name: 'a', type: 'string', rules: [{ op: 'regex' }] }],
        'fields.0.rules.0.op',
        /op must be one of/,
      );
    });
  });
});
