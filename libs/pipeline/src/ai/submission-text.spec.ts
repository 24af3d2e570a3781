import type { Field } from '@intake/forms';
import { protectVerbatim, restoreVerbatim, textFields, MAX_FIELD_CHARS } from './submission-text';

const fields: Field[] = [
  { name: 'email', type: 'email', rules: [] },
  { name: 'message', type: 'string', rules: [] },
  { name: 'age', type: 'number', rules: [] },
  { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
];

describe('textFields', () => {
  const data = {
    email: 'a@example.com',
    message: 'x'.repeat(5000),
    age: 42,
    website: 'bot',
    extra: 'y',
  };

  it('sends only filled text fields of the schema, truncated, never honeypots', () => {
    expect(textFields(data, fields, { includeEmails: true })).toEqual({
      email: 'a@example.com',
      message: 'x'.repeat(MAX_FIELD_CHARS),
    });
    expect(textFields(data, fields, { includeEmails: false })).toEqual({
      message: 'x'.repeat(MAX_FIELD_CHARS),
    });
  });
});

describe('verbatim protection', () => {
  const text = 'Call 020 7946 0958 or see https://ex.fr/a?b=1 and write to ana@ex.fr, 3.5 kg';

  it('masks URLs, e-mails and numbers and restores them exactly', () => {
    const masked = protectVerbatim(text);
    expect(masked.text).not.toMatch(/\d{2}|ex\.fr|@/);
    expect(masked.verbatim).toEqual(
      expect.arrayContaining(['https://ex.fr/a?b=1', 'ana@ex.fr', '3.5', '020']),
    );
    expect(restoreVerbatim(masked.text, masked.verbatim)).toBe(text);
  });

  it('refuses a translation that dropped or invented a placeholder', () => {
    const masked = protectVerbatim('see https://ex.fr and 12');
    expect(restoreVerbatim('voir [[0]]', masked.verbatim)).toBeNull();
    expect(restoreVerbatim('voir [[0]] et [[1]] [[2]]', masked.verbatim)).toBeNull();
    expect(restoreVerbatim('[[1]] voir [[0]]', masked.verbatim)).toBe('12 voir https://ex.fr');
  });
});
