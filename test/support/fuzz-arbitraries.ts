import fc from 'fast-check';
import { isIP } from 'node:net';

/**
 * fast-check generators of what a hostile client sends: JSON text (written by hand, so
 * `__proto__` and duplicate keys reach the server as keys), strings no honest client
 * types, nesting deeper than any parser expects, query strings and raw bytes.
 */

/** Same seed, same inputs: `FUZZ_SEED` replays a failure (fast-check prints the seed). */
export function fuzzOptions(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED;
  return { numRuns, ...(seed ? { seed: Number(seed) } : {}) };
}

export const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code));

const NASTY = [
  '\u0000',
  '\u202e',
  '\ufeff',
  '\r\n',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE submissions; --",
  '{{7*7}}${7*7}',
  '../../etc/passwd',
  '%00%ff',
  '🙂',
  'a\u0301',
] as const;

/** Any code point, lone surrogates, NUL, bidi overrides, markup and injection attempts. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  {
    weight: 4,
    arbitrary: fc.string({
      unit: fc.oneof(loneSurrogate, fc.constantFrom(...NASTY), fc.string({ maxLength: 2 })),
      maxLength: 12,
    }),
  },
  // Past every size limit (64 KiB for submissions, 1 MiB for the API).
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 'é', '\u0000', '🙂'), fc.integer({ min: 1_000, max: 300_000 }))
      .map(([unit, times]) => unit.repeat(times)),
  },
);

const NUMBER_LITERALS = ['1e999', '-1e999', '-0', '1e-400', '123456789012345678901234567890'];

/** JSON number text, including literals that parse to Infinity or lose precision. */
const numberText = fc.oneof(
  fc.double().map((value) => JSON.stringify(value)),
  fc.integer().map(String),
  fc.constantFrom(...NUMBER_LITERALS),
);

/** Nesting far past anything honest: arrays or objects, thousands deep. */
export const deepText: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), fc.integer({ min: 50, max: 20_000 }))
  .map(([objects, depth]) =>
    objects
      ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
      : '['.repeat(depth) + ']'.repeat(depth),
  );

/** `{"k": v, ...}` from entries whose values are already JSON text; keys may repeat. */
export const objectText = (entries: readonly (readonly [string, string])[]): string =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;

/** Object keys: the given names (often), prototype-polluting ones, anything. */
export const keyOf = (names: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...names) },
    { weight: 2, arbitrary: fc.constantFrom(...POLLUTING_KEYS) },
    { weight: 1, arbitrary: hostileString },
  );

/** Any JSON text, with hostile strings, odd numbers, polluting keys and deep nesting. */
export const jsonTextWith = (names: readonly string[]): fc.Arbitrary<string> =>
  fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('null', 'true', 'false'),
      numberText,
      hostileString.map((text) => JSON.stringify(text)),
      tie('array'),
      tie('object'),
      deepText,
    ),
    array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    object: fc.array(fc.tuple(keyOf(names), tie('value')), { maxLength: 5 }).map(objectText),
  })).value;

/** A value of any JSON type, to put where a field expects another. */
export const anyJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  hostileString,
);

/** Mostly the given arbitrary's values, now and then a value of any type. */
export const orAnything = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 9, arbitrary }, { weight: 1, arbitrary: anyJsonValue });

/**
 * Bodies for an endpoint whose fields are `names`: `valid` ones as they are (so that the
 * property also reaches storage), the same with hostile entries after them (a repeated key
 * overrides: JSON's last one wins), every field of any type, and any JSON at all.
 */
export const jsonBodies = (
  valid: fc.Arbitrary<Record<string, unknown>>,
  names: readonly string[],
): fc.Arbitrary<string> => {
  const entriesOf = (body: Record<string, unknown>) =>
    Object.entries(body).map(([key, value]) => [key, JSON.stringify(value)] as const);
  const hostileEntries = fc.array(fc.tuple(keyOf(names), jsonTextWith(names)), {
    minLength: 1,
    maxLength: 3,
  });
  const anyTypes = fc.record(Object.fromEntries(names.map((name) => [name, anyJsonValue])), {
    requiredKeys: [],
  });
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((body) => JSON.stringify(body)) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, hostileEntries)
        .map(([body, hostile]) => objectText([...entriesOf(body), ...hostile])),
    },
    { weight: 2, arbitrary: anyTypes.map((body) => JSON.stringify(body)) },
    { weight: 2, arbitrary: jsonTextWith(names) },
  );
};

/** Percent-encodes UTF-8 (a lone surrogate becomes U+FFFD, as a browser would send it). */
const encode = (text: string) =>
  [...new TextEncoder().encode(text)]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');

/** A query string of these parameters (and others, bracketed, repeated) with odd values. */
export const queryString = (
  parameters: Record<string, readonly string[]>,
): fc.Arbitrary<string> => {
  const names = Object.keys(parameters);
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...names, ...POLLUTING_KEYS), fc.constantFrom('[]', '[$ne]', '[0]'))
        .map(([name, suffix]) => `${name}${suffix}`),
    },
    { weight: 1, arbitrary: hostileString.filter((text) => text.length < 100) },
  );
  const value = fc.oneof(
    fc.constantFrom(...Object.values(parameters).flat()),
    fc.constantFrom('', '0', '-1', '1.5', ' 2', '1e309', '0x10', '9007199254740993', 'null'),
    // Encoded, at most 2,000 characters, so that 6 pairs stay under Node's 16 KiB header
    // limit: past it Node itself answers 431 before the app sees the request.
    hostileString.filter((text) => encode(text).length < 2_000),
  );
  const pair = fc.tuple(key, value).map(([name, text]) => `${encode(name)}=${encode(text)}`);
  // Malformed percent-escapes and separators, as sent raw.
  const raw = fc.constantFrom('%', '%zz', '%ff%fe=%c0%af', '&&', '==', 'a[=1', '%E2%82');
  return fc
    .array(fc.oneof({ weight: 5, arbitrary: pair }, { weight: 1, arbitrary: raw }), {
      maxLength: 6,
    })
    .map((pairs) => pairs.join('&'));
};

/**
 * URL strings that never make Intake look a name up (a test reaches no DNS): IP literals of
 * every kind, other schemes, and junk that is no URL with a host name at all.
 */
export const urlWithoutDns: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('https', 'http', 'ftp', 'file', 'javascript'),
      fc.oneof(
        fc.ipV4(),
        fc.ipV6().map((address) => `[${address}]`),
        fc.constantFrom('169.254.169.254', '[::ffff:127.0.0.1]', '0x7f.1', '2130706433', '[::]'),
      ),
      fc.webPath(),
    )
    .map(([scheme, host, path]) => `${scheme}://${host}${path}`),
  hostileString.filter((text) => {
    const trimmed = text.trim();
    if (!URL.canParse(trimmed)) return true;
    const { hostname } = new URL(trimmed);
    return hostname === '' || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
  }),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'text/plain',
  'application/xml',
  'application/octet-stream',
  'application/merge-patch+json',
];

/** A Content-Type header: the usual ones, and any string a header can carry. */
export const contentType: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...CONTENT_TYPES),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).filter((text) => /^[\x20-\x7e]*$/.test(text)),
);

/** A body of raw bytes: random, or JSON / urlencoded / multipart text cut anywhere. */
export const rawBody = (names: readonly string[]): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
    fc
      .tuple(jsonTextWith(names), fc.nat())
      .map(([text, cut]) => Buffer.from(text).subarray(0, cut % (Buffer.byteLength(text) + 1))),
    fc
      .array(fc.tuple(keyOf(names), hostileString), { maxLength: 5 })
      .map((pairs) =>
        Buffer.from(pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&')),
      ),
    fc
      .tuple(keyOf(names), hostileString)
      .map(([key, value]) =>
        Buffer.from(
          `--xyz\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n--xyz--\r\n`,
        ),
      ),
  );
