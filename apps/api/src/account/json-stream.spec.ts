import { coalesced, jsonChunks, StreamedObject } from './json-stream';

async function* items<T>(...values: T[]): AsyncGenerator<T> {
  for (const value of values) yield await Promise.resolve(value);
}

async function text(pieces: AsyncIterable<string>): Promise<string> {
  let joined = '';
  for await (const piece of pieces) joined += piece;
  return joined;
}

describe('jsonChunks', () => {
  it('writes exactly what JSON.stringify writes for the same data', async () => {
    // An own `__proto__` key (as JSON.parse makes it), markup, a line separator, an emoji.
    const hostile: unknown = JSON.parse(
      '{"__proto__":{"admin":true},"quote":"\\"</script>\\u2028","emoji":"🦊"}',
    );
    const document = new StreamedObject({
      version: 1,
      skipped: undefined,
      empty: items(),
      nothing: new StreamedObject({}),
      forms: items(
        new StreamedObject({ id: 'a', submissions: items({ n: 1 }, hostile) }),
        new StreamedObject({ id: 'b', submissions: items() }),
      ),
      plain: [1, { nested: null }],
    });
    expect(await text(jsonChunks(document))).toBe(
      JSON.stringify({
        version: 1,
        empty: [],
        nothing: {},
        forms: [
          { id: 'a', submissions: [{ n: 1 }, hostile] },
          { id: 'b', submissions: [] },
        ],
        plain: [1, { nested: null }],
      }),
    );
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('reads a streamed array only as far as it is consumed', async () => {
    let produced = 0;
    async function* endless(): AsyncGenerator<number> {
      for (;;) yield ++produced;
    }
    const pieces = jsonChunks(endless());
    for (let i = 0; i < 4; i++) await pieces.next();
    await pieces.return(undefined);
    expect(produced).toBeLessThanOrEqual(2);
  });
});

describe('coalesced', () => {
  it('joins small pieces into larger writes without losing any', async () => {
    const pieces = Array.from({ length: 100 }, (_, i) => `${i},`);
    const writes: string[] = [];
    for await (const write of coalesced(items(...pieces), 50)) writes.push(write);
    expect(writes.join('')).toBe(pieces.join(''));
    expect(writes.length).toBeLessThan(20);
    expect(writes.slice(0, -1).every((write) => write.length >= 50)).toBe(true);
  });
});
