import request from 'supertest';
import { sha256 } from '@intake/common';
import { createApiKey, signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('API keys', () => {
  let test: TestApp;
  let owner: SignedInUser;

  beforeAll(async () => {
    test = await startTestApp({ API_KEY_RATE_LIMIT_PER_MINUTE: '5' });
    owner = await signUp(test);
  });
  afterAll(() => test.close());

  const auditLog = (secret: string) =>
    request(test.url).get('/api/audit-log').set('Authorization', `Bearer ${secret}`);

  it('creates a key whose secret is shown once and stored only as its SHA-256', async () => {
    const response = await owner.agent
      .post('/account/api-keys')
      .set('X-CSRF-Token', owner.csrf)
      .send({
        name: 'deploy',
        scopes: ['forms:read', 'audit:read'],
        allowed_ips: ['127.0.0.1', '10.0.0.0/8'],
      })
      .expect(201);
    const { api_key: key, secret } = response.body as {
      api_key: Record<string, unknown>;
      secret: string;
    };
    expect(secret).toMatch(/^ik_live_[A-Za-z0-9_-]{43}$/);
    expect(key).toEqual({
      id: expect.any(String),
      name: 'deploy',
      prefix: secret.slice(0, 12),
      last4: secret.slice(-4),
      scopes: ['forms:read', 'audit:read'],
      allowed_ips: ['127.0.0.1', '10.0.0.0/8'],
      expires_at: null,
      last_used_at: null,
      created_at: expect.any(String),
    });

    const row = await test.prisma.apiKey.findUniqueOrThrow({ where: { id: String(key.id) } });
    expect(Buffer.from(row.secretHash).equals(sha256(secret))).toBe(true);
    const dump = JSON.stringify(
      await test.prisma.$queryRawUnsafe('SELECT * FROM api_keys'),
      (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value),
    );
    expect(dump).not.toContain(secret.slice(8));

    const listed = await owner.agent.get('/account/api-keys').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.api_keys.map((listedKey: { id: string }) => listedKey.id)).toContain(key.id);
  });

  it('authenticates bearer requests and records last use', async () => {
    const key = await createApiKey(owner, { name: 'reader', scopes: ['audit:read'] });
    const response = await auditLog(key.secret).expect(200);
    expect(response.body.meta).toEqual(expect.objectContaining({ current_page: 1, page_size: 20 }));
    expect(response.body.data.map((event: { action: string }) => event.action)).toContain(
      'api_key.created',
    );
    const row = await test.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it.each([
    ['no Authorization header', undefined, 401, 'unauthorized'],
    ['a Basic credential', 'Basic dXNlcjpwYXNz', 401, 'unauthorized'],
    ['a malformed key', 'Bearer ik_live_short', 401, 'invalid_token'],
    ['an unknown well-formed key', `Bearer ik_live_${'A'.repeat(43)}`, 401, 'invalid_token'],
    ['a huge header value', `Bearer ${'x'.repeat(4000)}`, 401, 'invalid_token'],
  ])('refuses %s', async (_, authorization, status, code) => {
    const call = request(test.url).get('/api/audit-log');
    if (authorization) call.set('Authorization', authorization);
    const response = await call.expect(status);
    expect(response.body.error.code).toBe(code);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('stops accepting a key the moment it is revoked', async () => {
    const key = await createApiKey(owner, { name: 'short-lived', scopes: ['audit:read'] });
    await auditLog(key.secret).expect(200);
    const revoked = await owner.agent
      .delete(`/account/api-keys/${key.id}`)
      .set('X-CSRF-Token', owner.csrf)
      .expect(200);
    expect(revoked.body.api_key.id).toBe(key.id);
    expect((await auditLog(key.secret).expect(401)).body.error.code).toBe('invalid_token');
    const listed = await owner.agent.get('/account/api-keys').expect(200);
    expect(listed.body.api_keys.map((listedKey: { id: string }) => listedKey.id)).not.toContain(
      key.id,
    );
  });

  it('refuses an expired key', async () => {
    const key = await createApiKey(owner, {
      name: 'expiring',
      scopes: ['audit:read'],
      expires_at: new Date(Date.now() + 60_000).toISOString(),
    });
    await test.prisma.apiKey.update({
      where: { id: key.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await auditLog(key.secret).expect(401)).body.error.code).toBe('invalid_token');
  });

  it('refuses a key used from outside its IP allowlist', async () => {
    const elsewhere = await createApiKey(owner, {
      name: 'office only',
      scopes: ['audit:read'],
      allowed_ips: ['203.0.113.0/24'],
    });
    await auditLog(elsewhere.secret).expect(401);
    const loopback = await createApiKey(owner, {
      name: 'loopback',
      scopes: ['audit:read'],
      allowed_ips: ['127.0.0.0/8', '::1'],
    });
    await auditLog(loopback.secret).expect(200);
  });

  it('answers 403 insufficient_scope for a key without the route scope', async () => {
    const key = await createApiKey(owner, { name: 'forms only', scopes: ['forms:read'] });
    const response = await auditLog(key.secret).expect(403);
    expect(response.body.error.code).toBe('insufficient_scope');
    expect(response.headers['www-authenticate']).toContain('scope="audit:read"');
  });

  it('never accepts the session cookie on a bearer route, nor a key on a cookie route', async () => {
    await owner.agent.get('/api/audit-log').expect(401);
    const key = await createApiKey(owner, { name: 'not for cookies', scopes: ['audit:read'] });
    await request(test.url)
      .get('/account/api-keys')
      .set('Authorization', `Bearer ${key.secret}`)
      .expect(401);
    await request(test.url)
      .get('/account/audit-log')
      .set('Authorization', `Bearer ${key.secret}`)
      .expect(401);
  });

  it('limits each key per minute and says so in RateLimit headers', async () => {
    const key = await createApiKey(owner, { name: 'limited', scopes: ['audit:read'] });
    const first = await auditLog(key.secret).expect(200);
    expect(first.headers['ratelimit-limit']).toBe('5');
    expect(first.headers['ratelimit-remaining']).toBe('4');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) await auditLog(key.secret).expect(200);
    const limited = await auditLog(key.secret).expect(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error.retry_after).toBe(Number(limited.headers['retry-after']));
    // Another key of the same owner has its own budget.
    const other = await createApiKey(owner, { name: 'fresh', scopes: ['audit:read'] });
    await auditLog(other.secret).expect(200);
  });

  it.each([
    ['an unknown scope', { name: 'x', scopes: ['admin'] }, 'scopes.0'],
    ['an empty scope list', { name: 'x', scopes: [] }, 'scopes'],
    ['an empty name', { name: '' }, 'name'],
    ['an overlong name', { name: 'n'.repeat(101) }, 'name'],
    ['a malformed IP', { name: 'x', allowed_ips: ['300.1.1.1'] }, 'allowed_ips.0'],
    ['an expiry in the past', { name: 'x', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
    ['a non-date expiry', { name: 'x', expires_at: 'tomorrow' }, 'expires_at'],
    ['an unknown field', { name: 'x', admin: true }, 'body'],
    ['a __proto__ key', JSON.parse('{"name":"x","__proto__":{"admin":true}}') as object, 'body'],
  ])('rejects %s with 422', async (_, body, field) => {
    const response = await owner.agent
      .post('/account/api-keys')
      .set('X-CSRF-Token', owner.csrf)
      .send(body)
      .expect(422);
    expect(response.body.error.code).toBe('validation_error');
    expect(Object.keys(response.body.error.details)).toContain(field);
  });

  describe('another user', () => {
    let intruder: SignedInUser;
    let victimKey: { id: string; secret: string };

    beforeAll(async () => {
      intruder = await signUp(test);
      victimKey = await createApiKey(owner, { name: 'victim', scopes: ['audit:read'] });
    });

    it('cannot list it', async () => {
      const response = await intruder.agent.get('/account/api-keys').expect(200);
      expect(response.body.api_keys).toEqual([]);
    });

    it('cannot revoke it: 404, and the key keeps working', async () => {
      const response = await intruder.agent
        .delete(`/account/api-keys/${victimKey.id}`)
        .set('X-CSRF-Token', intruder.csrf)
        .expect(404);
      expect(response.body.error.code).toBe('not_found');
      await auditLog(victimKey.secret).expect(200);
    });

    it('cannot read the owner’s audit trail through its own key', async () => {
      const key = await createApiKey(intruder, { name: 'intruder', scopes: ['audit:read'] });
      const response = await auditLog(key.secret).expect(200);
      expect(
        response.body.data.every(
          (event: { target_id: string | null }) => event.target_id !== victimKey.id,
        ),
      ).toBe(true);
    });

    it('gets 404 for a malformed key id, not a 500', async () => {
      await intruder.agent
        .delete('/account/api-keys/not-a-uuid')
        .set('X-CSRF-Token', intruder.csrf)
        .expect(404);
    });
  });
});
