import { EMPTY_FINGERPRINT, contentFingerprint, isEmptyFingerprint } from './content-fingerprint';

describe('contentFingerprint', () => {
  it('is a sha256 hex that ignores case, spacing, key order and non-text values', () => {
    const a = contentFingerprint({ message: 'Hello   World', name: 'Ada', agree: true });
    const b = contentFingerprint({ name: ' ADA ', message: 'hello\nworld', agree: false, n: 3 });
    expect(a).toMatch(/^[0-9a-f]{64}$/u);
    expect(a).toBe(b);
  });

  it('tells different content and different fields apart', () => {
    expect(contentFingerprint({ message: 'hello' })).not.toBe(
      contentFingerprint({ message: 'hullo' }),
    );
    expect(contentFingerprint({ a: 'x' })).not.toBe(contentFingerprint({ b: 'x' }));
    expect(contentFingerprint({ a: 'b', c: 'd' })).not.toBe(
      contentFingerprint({ a: 'b c', x: 'd' }),
    );
  });

  it('gives the empty print for submissions without text', () => {
    expect(contentFingerprint({ agree: true, count: 2 })).toBe(EMPTY_FINGERPRINT);
    expect(isEmptyFingerprint(contentFingerprint({ blank: '  ' }))).toBe(true);
    expect(contentFingerprint(null as unknown as Record<string, string>)).toBe(EMPTY_FINGERPRINT);
  });
});
