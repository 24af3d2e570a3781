import { fieldsSchemaInput } from './fields-schema';
import { expectRefused, refusal } from './schema-refusal.test-helper';

describe('fieldsSchemaInput: checks across rules and fields', () => {
  describe('refuses, naming the field in the message and the spot in the path', () => {
    it('ops that do not fit the type', () => {
      const cases: [string, unknown, RegExp][] = [
        ['string', { op: 'min', value: 1 }, /min does not apply to a string field; use min_length/],
        ['number', { op: 'max_length', value: 1 }, /max_length does not apply to a number field/],
        ['string', { op: 'after', value: '2026-01-01' }, /after does not apply to a string field/],
        ['boolean', { op: 'pattern', value: 'x' }, /pattern does not apply to a boolean field/],
        ['date', { op: 'min', value: 1 }, /min does not apply to a date field/],
      ];
      for (const [type, rule, message] of cases) {
        expectRefused([{ name: 'a', type, rules: [rule] }], 'fields.0.rules.0.op', message);
      }
    });

    it('values that do not fit the type, empty or too long lists', () => {
      const rule = (values: unknown[]) => [
        { name: 'n', type: 'number', rules: [{ op: 'one_of', values }] },
      ];
      expectRefused(
        rule([1, '2']),
        'fields.0.rules.0.values.1',
        /^field "n": one_of values must be numbers/,
      );
      expectRefused(rule([]), 'fields.0.rules.0.values', /at least one value/);
      expectRefused(
        rule(Array.from({ length: 201 }, (_, i) => i)),
        'fields.0.rules.0.values',
        /at most 200/,
      );
      const dates = [
        { name: 'd', type: 'date', rules: [{ op: 'not_one_of', values: ['2026-02-30'] }] },
      ];
      expectRefused(dates, 'fields.0.rules.0.values.0', /must be dates written YYYY-MM-DD/);
    });

    it('bad bounds: negative or fractional lengths, non-dates, 2026-02-30', () => {
      const one = (type: string, rule: unknown) => [{ name: 'a', type, rules: [rule] }];
      expectRefused(
        one('string', { op: 'min_length', value: -1 }),
        'fields.0.rules.0.value',
        /^field "a"/,
      );
      expectRefused(
        one('string', { op: 'max_length', value: 1.5 }),
        'fields.0.rules.0.value',
        /^field "a"/,
      );
      expectRefused(
        one('string', { op: 'max_length', value: 1_000_001 }),
        'fields.0.rules.0.value',
        /^field "a"/,
      );
      expectRefused(
        one('date', { op: 'after', value: '2026-02-30' }),
        'fields.0.rules.0.value',
        /real calendar date/,
      );
      expectRefused(
        one('number', { op: 'min', value: '1' }),
        'fields.0.rules.0.value',
        /^field "a"/,
      );
    });

    it('contradicting bounds', () => {
      const bounds = (type: string, low: unknown, high: unknown) => [
        { name: 'age', type, rules: [low, high] },
      ];
      expectRefused(
        bounds('number', { op: 'min', value: 10 }, { op: 'max', value: 5 }),
        'fields.0.rules.1.value',
        'field "age": min (10) is greater than max (5)',
      );
      expectRefused(
        bounds('string', { op: 'min_length', value: 3 }, { op: 'max_length', value: 2 }),
        'fields.0.rules.1.value',
        /min_length \(3\) is greater than max_length \(2\)/,
      );
      expectRefused(
        bounds('date', { op: 'after', value: '2026-05-01' }, { op: 'before', value: '2026-05-01' }),
        'fields.0.rules.1.value',
        /after \(2026-05-01\) must be earlier than before \(2026-05-01\)/,
      );
    });

    it('but not bounds under different conditions', () => {
      const when = (value: string) => ({ field: 'plan', is: 'eq', value });
      const fields = [
        { name: 'plan', type: 'string' },
        {
          name: 'seats',
          type: 'number',
          rules: [
            { op: 'min', value: 10, when: when('pro') },
            { op: 'max', value: 5, when: when('free') },
          ],
        },
      ];
      expect(fieldsSchemaInput.safeParse({ fields }).success).toBe(true);
    });

    it('a duplicate op without a condition', () => {
      const rules = [{ op: 'required' }, { op: 'required' }];
      expectRefused(
        [{ name: 'a', type: 'string', rules }],
        'fields.0.rules.1.op',
        /required appears more than once/,
      );
    });

    it('honeypot with required, with a condition or with any other rule', () => {
      const honeypot = (rules: unknown[]) => [
        { name: 'b', type: 'string' },
        { name: 'trap', type: 'string', rules },
      ];
      expectRefused(
        honeypot([{ op: 'honeypot' }, { op: 'required' }]),
        'fields.1.rules.1.op',
        'field "trap": honeypot cannot be combined with required',
      );
      expectRefused(
        honeypot([{ op: 'max_length', value: 3 }, { op: 'honeypot' }]),
        'fields.1.rules.0.op',
        /cannot be combined with max_length/,
      );
      const conditional = honeypot([{ op: 'honeypot', when: { field: 'b', is: 'filled' } }]);
      expectRefused(conditional, 'fields.1.rules.0.when', /honeypot cannot have a when condition/);
    });

    it('patterns RE2 cannot compile, backreferences included, or too complex', () => {
      const pattern = (value: string) => [
        { name: 'code', type: 'string', rules: [{ op: 'pattern', value }] },
      ];
      expectRefused(
        pattern('(a)\\1'),
        'fields.0.rules.0.value',
        /^field "code": pattern is not a valid RE2 regular expression \(invalid escape sequence: `\\1`\)/,
      );
      expectRefused(
        pattern('(?=a)'),
        'fields.0.rules.0.value',
        /not a valid RE2 .*no backreferences or lookarounds/,
      );
      expectRefused(pattern('[a-'), 'fields.0.rules.0.value', /missing closing \]/);
      expectRefused(
        pattern('\\w{1000}\\w{1000}'),
        'fields.0.rules.0.value',
        /pattern is too complex/,
      );
      expectRefused(pattern('a'.repeat(513)), 'fields.0.rules.0.value', /^field "code"/);
    });

    it('conditions on a missing field, on itself, on a honeypot, or not fitting its type', () => {
      const withWhen = (when: unknown, others: unknown[] = []) => [
        { name: 'a', type: 'string', rules: [{ op: 'required', when }] },
        { name: 'n', type: 'number' },
        { name: 'trap', type: 'string', rules: [{ op: 'honeypot' }] },
        ...others,
      ];
      const path = 'fields.0.rules.0.when';
      expectRefused(
        withWhen({ field: 'zzz', is: 'filled' }),
        `${path}.field`,
        'field "a": when refers to unknown field "zzz"',
      );
      expectRefused(
        withWhen({ field: 'a', is: 'filled' }),
        `${path}.field`,
        /must refer to another field, not the field itself/,
      );
      expectRefused(
        withWhen({ field: 'trap', is: 'filled' }),
        `${path}.field`,
        /cannot refer to honeypot field "trap"/,
      );
      expectRefused(
        withWhen({ field: 'n', is: 'eq', value: '3' }),
        `${path}.value`,
        /must be numbers to compare with number field "n"/,
      );
      expectRefused(
        withWhen({ field: 'n', is: 'one_of', value: [1, true] }),
        `${path}.value`,
        /must be numbers/,
      );
      expectRefused(
        withWhen({ field: 'trap', is: 'gt', value: 'x' }, [{ name: 's', type: 'string' }]),
        `${path}.field`,
        /honeypot/,
      );
      const ordered = [
        {
          name: 'a',
          type: 'number',
          rules: [{ op: 'required', when: { field: 's', is: 'gt', value: 'x' } }],
        },
        { name: 's', type: 'string' },
      ];
      expectRefused(
        ordered,
        `${path}.is`,
        /"gt" needs a number or date field; "s" is a string field/,
      );
      expectRefused(withWhen({ field: 'n', is: 'eq' }), `${path}.value`, /^field "a"/);
      expectRefused(
        withWhen({ field: 'n', is: 'filled', value: 1 }),
        path,
        /^field "a": .*Unrecognized key/,
      );
      expectRefused(
        withWhen({ field: 'n', is: 'like', value: 1 }),
        `${path}.is`,
        /when.is must be one of: eq, neq/,
      );
    });

    it('a condition on a field that failed on its own is not also called unknown', () => {
      const fields = [
        {
          name: 'a',
          type: 'string',
          rules: [{ op: 'required', when: { field: 'b', is: 'filled' } }],
        },
        { name: 'b', type: 'nope' },
      ];
      expect(refusal(fields)).toEqual([
        { path: 'fields.1.type', message: expect.stringMatching(/^field "b"/) },
      ]);
    });
  });
});
