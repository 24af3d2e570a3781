import { loadConfig } from '@intake/config';
import { SecretBox } from './secret-box';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const boxWith = (keys: string) =>
  new SecretBox(loadConfig({ DATA_DIR: 'memory://', ENCRYPTION_KEYS: keys }));

describe('SecretBox', () => {
  const box = boxWith(`k1:${key(1)}`);

  it('round-trips and never returns the plaintext in the sealed form', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(box.open(sealed, 'totp')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV for every value', () => {
    expect(box.seal('same', 'totp')).not.toBe(box.seal('same', 'totp'));
  });

  it('refuses a value sealed for another purpose', () => {
    expect(box.open(box.seal('secret', 'webhook-secret'), 'session-cookie')).toBeNull();
  });

  it.each([
    [
      'a flipped ciphertext character',
      (sealed: string) => sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1),
    ],
    ['a truncated payload', (sealed: string) => sealed.slice(0, 20)],
    ['an unknown key id', (sealed: string) => sealed.replace('.k1.', '.k9.')],
    ['garbage', () => 'not-a-sealed-value'],
  ])('refuses %s', (_, tamper) => {
    expect(box.open(tamper(box.seal('secret', 'totp')), 'totp')).toBeNull();
  });

  it('still opens values sealed with an older key after rotation', () => {
    const old = boxWith(`k1:${key(1)}`).seal('secret', 'totp');
    const rotated = boxWith(`k2:${key(2)},k1:${key(1)}`);
    expect(rotated.open(old, 'totp')).toBe('secret');
    expect(rotated.seal('secret', 'totp').startsWith('v1.k2.')).toBe(true);
  });

  describe('reseal', () => {
    const old = boxWith(`k1:${key(1)}`);
    const rotated = boxWith(`k2:${key(2)},k1:${key(1)}`);

    it('moves a value to the current key, for the same purpose only', () => {
      const outcome = rotated.reseal(old.seal('secret', 'totp'), 'totp');
      if (outcome.kind !== 'resealed') throw new Error(`expected resealed, got ${outcome.kind}`);
      expect(rotated.keyIdOf(outcome.sealed)).toBe('k2');
      expect(boxWith(`k2:${key(2)}`).open(outcome.sealed, 'totp')).toBe('secret');
      expect(rotated.open(outcome.sealed, 'webhook-secret')).toBeNull();
    });

    it('leaves a value already under the current key alone', () => {
      expect(rotated.reseal(rotated.seal('secret', 'totp'), 'totp')).toEqual({ kind: 'current' });
    });

    it.each([
      ['an unknown key id', () => boxWith(`k9:${key(9)}`).seal('secret', 'totp')],
      ['another purpose', () => old.seal('secret', 'webhook-secret')],
      ['garbage', () => 'not-a-sealed-value'],
    ])('reports %s as unreadable', (_, sealed) => {
      expect(rotated.reseal(sealed(), 'totp')).toEqual({ kind: 'unreadable' });
    });
  });
});
