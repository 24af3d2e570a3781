import { DeliveryError } from './delivery-error';
import {
  bareHostname,
  parseDestinationUrl,
  resolveVettedAddresses,
  type ResolvedAddress,
  type Resolver,
} from './ssrf-guard';

/** A resolver from a fixed table, so no test depends on (or sends) real DNS. */
const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

async function reasonOf(work: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    if (error instanceof DeliveryError) return error.reason;
    throw error;
  }
  return 'no error';
}

/** Applies the whole guard to a URL, as safeFetch does before connecting. */
const vetUrl = async (
  raw: string,
  resolver: Resolver = resolverOf({}),
): Promise<ResolvedAddress[]> =>
  resolveVettedAddresses(bareHostname(parseDestinationUrl(raw)), { resolver });

describe('parseDestinationUrl', () => {
  it('accepts an https URL and keeps path and query', () => {
    const url = parseDestinationUrl('https://hooks.example.com/in/abc?x=1');
    expect(url.hostname).toBe('hooks.example.com');
    expect(`${url.pathname}${url.search}`).toBe('/in/abc?x=1');
  });

  it.each([
    ['not a url'],
    ['http://hooks.example.com/'],
    ['ftp://hooks.example.com/'],
    ['file:///etc/passwd'],
    ['gopher://127.0.0.1:6379/_FLUSHALL'],
    ['javascript:alert(1)'],
    ['https://user:pass@hooks.example.com/'],
    ['https://user@hooks.example.com/'],
    [`https://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com/`],
  ])('refuses %s as invalid_url', async (raw) => {
    expect(await reasonOf(() => parseDestinationUrl(raw))).toBe('invalid_url');
  });

  it('allows http only when private destinations are allowed', () => {
    expect(parseDestinationUrl('http://localhost:3000/', { allowPrivate: true }).protocol).toBe(
      'http:',
    );
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.0.0.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://127.000.000.001/', '127.0.0.1'],
    ['http://%31%32%37.0.0.1/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '[::ffff:7f00:1]'],
  ])('canonicalises the numeric host of %s to %s', (raw, hostname) => {
    expect(parseDestinationUrl(raw, { allowPrivate: true }).hostname).toBe(hostname);
  });
});

describe('resolveVettedAddresses', () => {
  it.each([
    'https://2130706433/',
    'https://0177.0.0.1/',
    'https://0x7f.0.0.1/',
    'https://127.1/',
    'https://0/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[64:ff9b::a00:1]/',
    'https://[2002:c0a8:101::]/',
  ])('refuses the numeric spelling %s without a lookup', async (raw) => {
    const resolver = jest.fn<ReturnType<Resolver>, Parameters<Resolver>>();
    expect(await reasonOf(vetUrl(raw, resolver))).toBe('blocked_address');
    expect(resolver).not.toHaveBeenCalled();
  });

  it('refuses a name that resolves to loopback (rebind.test -> 127.0.0.1)', async () => {
    const error = await vetUrl(
      'https://rebind.test/hook',
      resolverOf({ 'rebind.test': ['127.0.0.1'] }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ reason: 'blocked_address', range: 'loopback' });
    // The message names the range, never the address: no oracle for our internal DNS.
    expect((error as DeliveryError).message).not.toContain('127.0.0.1');
  });

  it('refuses a name if ANY of its addresses is refused', async () => {
    const resolver = resolverOf({ 'mixed.test': ['93.184.215.14', '10.0.0.5'] });
    expect(await reasonOf(vetUrl('https://mixed.test/', resolver))).toBe('blocked_address');
  });

  it('refuses a name that resolves to an IPv6 form embedding a private IPv4 address', async () => {
    const resolver = resolverOf({ 'mapped.test': ['::ffff:192.168.0.10'] });
    expect(await reasonOf(vetUrl('https://mapped.test/', resolver))).toBe('blocked_address');
  });

  it('refuses a resolver answer that is not a canonical address', async () => {
    const resolver = resolverOf({ 'odd.test': ['0x7f.1'] });
    expect(await reasonOf(vetUrl('https://odd.test/', resolver))).toBe('blocked_address');
  });

  it('returns every vetted address, with the family recomputed', async () => {
    const resolver: Resolver = () =>
      Promise.resolve([
        { address: '93.184.215.14', family: 6 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 4 },
      ]);
    expect(await vetUrl('https://public.test/', resolver)).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  it('reports a name that does not resolve, or resolves to nothing, as dns_failed', async () => {
    expect(await reasonOf(vetUrl('https://nowhere.test/'))).toBe('dns_failed');
    expect(await reasonOf(vetUrl('https://empty.test/', resolverOf({ 'empty.test': [] })))).toBe(
      'dns_failed',
    );
  });

  it('allows loopback names when private destinations are allowed', async () => {
    const resolver = resolverOf({ 'dev.test': ['127.0.0.1', '::1'] });
    await expect(
      resolveVettedAddresses('dev.test', { resolver, allowPrivate: true }),
    ).resolves.toHaveLength(2);
  });
});
