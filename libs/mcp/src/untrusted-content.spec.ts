import { abridged, untrusted, UNTRUSTED_KEY } from './untrusted-content';

describe('untrusted content', () => {
  it('puts the content under the one key clients can look for', () => {
    expect(untrusted({ message: 'hi' })).toEqual({ [UNTRUSTED_KEY]: { message: 'hi' } });
    expect(UNTRUSTED_KEY).toBe('untrusted_user_content');
  });

  it('abridges every string, however deep, and keeps other values', () => {
    expect(
      abridged({ a: 'x'.repeat(10), b: ['yy', 'z'.repeat(5)], c: 1, d: true, e: null }, 4),
    ).toEqual({ a: 'xxxx…', b: ['yy', 'zzzz…'], c: 1, d: true, e: null });
    expect(abridged('short', 10)).toBe('short');
    expect(abridged(undefined, 10)).toBeNull();
  });

  it('keeps a __proto__ key a plain key, never a prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": "yes"}, "ok": "1"}') as object;
    const copy = abridged(hostile, 10) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__', 'ok']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":"yes"},"ok":"1"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(copy)).toBeNull();
  });
});
