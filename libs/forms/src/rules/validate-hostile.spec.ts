import { RE2JS } from 're2js';
import { compileFieldsSchema, type ValidationResult } from './compile';
import { fieldsSchemaInput } from './fields-schema';
import { compilePattern } from './pattern';

function formOf(fields: unknown[]) {
  return compileFieldsSchema(fieldsSchemaInput.parse({ fields }));
}

function okOf(result: ValidationResult) {
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result;
}

describe('validate: hostile and unusual input', () => {
  afterEach(() => jest.restoreAllMocks());

  const form = formOf([
    { name: 'name', type: 'string' },
    {
      name: 'toString',
      type: 'string',
      rules: [{ op: 'required', when: { field: 'name', is: 'filled' } }],
    },
    { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
  ]);

  it('drops __proto__, constructor and prototype and leaves Object.prototype alone', () => {
    const body = JSON.parse(
      '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "prototype": 3}',
    ) as Record<string, unknown>;
    const result = okOf(form.validate(body, 'json'));
    expect(result.droppedFields).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
    expect(Object.keys(result.data)).toEqual([]);
  });

  it('reads own properties only: a field named toString is not filled by Object.prototype', () => {
    expect(form.validate({ name: 'Ann' }, 'json')).toEqual({
      ok: false,
      errors: { toString: ['is required'] },
    });
    expect(okOf(form.validate({ name: 'Ann', toString: 'x' }, 'json')).data).toEqual({
      name: 'Ann',
      toString: 'x',
    });
  });

  it('lists unknown fields sorted, sanitised, truncated to 64 characters and capped at 100', () => {
    const body: Record<string, unknown> = {
      name: 'x',
      toString: 'y',
      zeta: 1,
      alpha: 2,
      ['k'.repeat(100)]: 3,
      'a\u0000b': 4,
    };
    for (let i = 0; i < 150; i++) body[`extra${String(i).padStart(3, '0')}`] = i;
    const result = okOf(form.validate(body, 'json'));
    expect(result.droppedFieldCount).toBe(154);
    expect(result.droppedFields).toHaveLength(100);
    expect(result.droppedFields.slice(0, 3)).toEqual(['alpha', 'a\uFFFDb', 'extra000']);
    expect(result.data).toEqual({ name: 'x', toString: 'y' });
    const long = okOf(form.validate({ ['k'.repeat(100)]: 1 }, 'json')).droppedFields;
    expect(long).toEqual(['k'.repeat(64)]);
  });

  it('flags a filled honeypot without an error and keeps it out of data', () => {
    const result = okOf(
      form.validate({ name: 'Ann', toString: 'x', website: 'http://spam' }, 'json'),
    );
    expect(result.honeypotFilled).toEqual(['website']);
    expect(result.data).toEqual({ name: 'Ann', toString: 'x' });
    expect(result.droppedFields).toEqual([]);
    expect(okOf(form.validate({ website: ['', 'x'] }, 'form')).honeypotFilled).toEqual(['website']);
    expect(okOf(form.validate({ website: 42 }, 'json')).honeypotFilled).toEqual(['website']);
    expect(okOf(form.validate({ website: '  ' }, 'form')).honeypotFilled).toEqual([]);
  });

  it('refuses NUL bytes and lone surrogates', () => {
    for (const value of ['a\u0000b', 'a\uD800b', 'a\uDC00', '\uDBFF']) {
      expect(form.validate({ name: value }, 'json')).toEqual({
        ok: false,
        errors: { name: ['contains invalid characters'] },
      });
    }
  });

  it('counts characters in code points: an emoji or a CJK character is one', () => {
    const limited = formOf([
      {
        name: 'nick',
        type: 'string',
        rules: [
          { op: 'max_length', value: 3 },
          { op: 'pattern', value: '^.{3}$' },
        ],
      },
    ]);
    for (const value of ['😀😀😀', '漢字字', '𠀋𠀋𠀋', 'a😀b']) {
      expect(limited.validate({ nick: value }, 'json').ok).toBe(true);
    }
    expect(limited.validate({ nick: '😀😀😀😀' }, 'json')).toEqual({
      ok: false,
      errors: { nick: ['must be at most 3 characters', 'does not match the required pattern'] },
    });
    // The 10,000 cap counts code points too: 10,000 emoji are 20,000 UTF-16 units.
    const plain = formOf([{ name: 'text', type: 'string' }]);
    expect(plain.validate({ text: '😀'.repeat(10_000) }, 'json').ok).toBe(true);
    expect(plain.validate({ text: '😀'.repeat(10_001) }, 'json').ok).toBe(false);
  });

  describe('ReDoS: ^(a+)+$ is saved and matched by RE2 in linear time', () => {
    // A backtracking engine needs ~2^n steps here and would hang this test until Jest's
    // timeout: the test finishing at all is the proof, no clock needed.
    const evil = formOf([
      {
        name: 'code',
        type: 'string',
        rules: [
          { op: 'pattern', value: '^(a+)+$' },
          { op: 'max_length', value: 10_000 },
        ],
      },
    ]);

    it('refuses a 10,000-character near miss through validate', () => {
      expect(evil.validate({ code: `${'a'.repeat(9_999)}!` }, 'json')).toEqual({
        ok: false,
        errors: { code: ['does not match the required pattern'] },
      });
      expect(evil.validate({ code: 'a'.repeat(10_000) }, 'json').ok).toBe(true);
    });

    it('refuses 50,000 characters + "!" as too long before any pattern runs', () => {
      expect(evil.validate({ code: `${'a'.repeat(50_000)}!` }, 'json')).toEqual({
        ok: false,
        errors: { code: ['is too long'] },
      });
    });

    it('matches the compiled pattern itself against 50,000 characters + "!"', () => {
      expect(compilePattern('^(a+)+$').test(`${'a'.repeat(50_000)}!`)).toBe(false);
    });
  });

  it('compiles regexes when the schema is compiled, never while validating', () => {
    const compile = jest.spyOn(RE2JS, 'compile');
    const patterned = formOf([
      { name: 'zip', type: 'string', rules: [{ op: 'pattern', value: '^\\d{5}$' }] },
      { name: 'ref', type: 'string', rules: [{ op: 'pattern', value: '^[A-Z]{2}-\\d+$' }] },
    ]);
    expect(compile).toHaveBeenCalled();
    compile.mockClear();
    for (let i = 0; i < 20; i++) {
      patterned.validate({ zip: '12345', ref: 'AB-1' }, 'json');
      patterned.validate({ zip: 'x', ref: 'y' }, 'form');
    }
    expect(compile).not.toHaveBeenCalled();
  });
});
