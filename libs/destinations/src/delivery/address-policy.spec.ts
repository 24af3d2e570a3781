import { checkAddress } from './address-policy';

describe('checkAddress', () => {
  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.215.14'],
    ['2606:4700:4700::1111'],
    ['2001:4860:4860::8888'],
    // IPv6 forms embedding a public IPv4 address reach that public address.
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
    ['2002:808:808::1'],
  ])('allows the public address %s', (address) => {
    expect(checkAddress(address)).toEqual({ allowed: true, range: 'unicast' });
  });

  it.each([
    // IPv4
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['169.254.0.1', 'linkLocal'],
    ['169.254.169.254', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.1', 'reserved'],
    ['203.0.113.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    // IPv6
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    ['2001:2::1', 'benchmarking'],
    ['64:ff9b:1::a00:1', 'rfc6052'],
    ['100::1', 'discard'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['4000::1', 'reserved'],
    ['::1:0:0:1', 'reserved'],
    // IPv6 forms embedding a refused IPv4 address are judged by the embedded one.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:0:192.168.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::a00:1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:a9fe:a9fe::', 'linkLocal'],
  ])('refuses %s (%s)', (address, range) => {
    expect(checkAddress(address)).toEqual({ allowed: false, range });
  });

  it('accepts a bracketed IPv6 literal as the URL parser writes it', () => {
    expect(checkAddress('[::1]')).toEqual({ allowed: false, range: 'loopback' });
    expect(checkAddress('[2606:4700:4700::1111]').allowed).toBe(true);
  });

  it.each(['127.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433', 'localhost', '', '1.2.3.4.5'])(
    'refuses the non-canonical or non-address %p as invalid',
    (address) => {
      expect(checkAddress(address)).toEqual({ allowed: false, range: 'invalid' });
      expect(checkAddress(address, { allowPrivate: true }).allowed).toBe(false);
    },
  );

  describe('with allowPrivate (development)', () => {
    it.each([
      '127.0.0.1',
      '10.0.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ])('allows %s', (address) => {
      expect(checkAddress(address, { allowPrivate: true }).allowed).toBe(true);
    });

    it.each([
      '0.0.0.0',
      '::',
      '255.255.255.255',
      '224.0.0.1',
      'ff02::1',
      '169.254.169.254',
      '::ffff:169.254.169.254',
      'fd00:ec2::254',
    ])('still refuses %s (never a destination, or cloud metadata)', (address) => {
      expect(checkAddress(address, { allowPrivate: true }).allowed).toBe(false);
    });
  });
});
