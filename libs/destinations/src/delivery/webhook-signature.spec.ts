import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, WEBHOOK_SECRET_PREFIX } from './webhook-signature';

describe('newWebhookSecret', () => {
  it('is whsec_ + base64 of 32 random bytes, different every time', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('signWebhook', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({
    id: 'evt_1',
    type: 'submission.created',
    data: { note: 'héllo ✓' },
  });
  const now = new Date();
  const headers = signWebhook({ secret, id: 'evt_1', timestamp: now, body });

  it('produces headers that the official standardwebhooks package verifies', () => {
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(secret).verify(Buffer.from(body), { ...headers })).toEqual(JSON.parse(body));
  });

  it('matches the spec formula byte for byte', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`evt_1.${headers['webhook-timestamp']}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(new Webhook(secret).sign('evt_1', now, body)).toBe(headers['webhook-signature']);
  });

  it('signs a Buffer body exactly like the same string', () => {
    expect(signWebhook({ secret, id: 'evt_1', timestamp: now, body: Buffer.from(body) })).toEqual(
      headers,
    );
  });

  it.each([
    ['a tampered body', () => ({ payload: body.replace('evt_1', 'evt_2'), headers })],
    [
      'a tampered timestamp',
      () => ({
        payload: body,
        headers: {
          ...headers,
          'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1),
        },
      }),
    ],
    ['a tampered id', () => ({ payload: body, headers: { ...headers, 'webhook-id': 'evt_2' } })],
    ['another secret', () => ({ payload: body, headers, secret: newWebhookSecret() })],
  ])('fails verification with %s', (_, tamper) => {
    const tampered: { payload: string; headers: typeof headers; secret?: string } = tamper();
    expect(() =>
      new Webhook(tampered.secret ?? secret).verify(tampered.payload, { ...tampered.headers }),
    ).toThrow();
  });

  it('is refused by receivers when the timestamp is stale (replay)', () => {
    const old = signWebhook({
      secret,
      id: 'evt_1',
      timestamp: new Date(Date.now() - 10 * 60_000),
      body,
    });
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow(/timestamp/i);
  });

  it.each([
    ['no prefix', Buffer.alloc(32, 1).toString('base64')],
    ['bad base64', 'whsec_not*base64!'],
    ['a too short key', `whsec_${Buffer.alloc(16, 1).toString('base64')}`],
    ['a too long key', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
  ])('refuses a secret with %s', (_, bad) => {
    expect(() => signWebhook({ secret: bad, id: 'evt_1', timestamp: now, body })).toThrow();
  });
});
