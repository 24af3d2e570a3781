import { MAX_ANALYSED_CHARS, analysedPart, quoted } from './analysed-text';

describe('analysedPart', () => {
  it('keeps short text whole and caps long text', () => {
    expect(analysedPart('hello')).toBe('hello');
    expect(analysedPart('x'.repeat(MAX_ANALYSED_CHARS + 5))).toHaveLength(MAX_ANALYSED_CHARS);
  });

  it('never cuts an emoji in half at the cap', () => {
    const text = `${'x'.repeat(MAX_ANALYSED_CHARS - 1)}😀tail`;
    const part = analysedPart(text);
    expect(part).toBe('x'.repeat(MAX_ANALYSED_CHARS - 1));
    expect(part).not.toMatch(/[\uD800-\uDBFF]$/u);
  });
});

describe('quoted', () => {
  it('puts a value on one short quoted line, by code points', () => {
    expect(quoted('a\n\tb')).toBe('"a b"');
    expect(quoted('😀'.repeat(100), 3)).toBe('"😀😀😀…"');
  });
});
