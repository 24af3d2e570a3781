import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';

const EXPECTED_HEADERS = {
  'content-security-policy': expect.stringContaining("default-src 'none'"),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': expect.stringContaining('camera=()'),
  'x-request-id': expect.any(String),
};

describe('HTTP stack', () => {
  describe('in development', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await startTestApp();
    });
    afterAll(() => test.close());

    it.each([
      ['a 200', 'get', '/healthz', 200],
      ['a 404 for an unknown route', 'get', '/nope', 404],
      ['a 401', 'get', '/account/api-keys', 401],
      ['a 400 from the body parser', 'post', '/auth/login', 400],
    ] as const)('sets the security headers on %s', async (_, method, path, status) => {
      const call = request(test.url)[method](path);
      if (method === 'post') call.set('Content-Type', 'application/json').send('{');
      const response = await call.expect(status);
      expect(response.headers).toEqual(expect.objectContaining(EXPECTED_HEADERS));
      expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(response.headers).not.toHaveProperty('strict-transport-security');
      expect(response.headers).not.toHaveProperty('x-powered-by');
    });

    it('answers an unknown route in the standard error shape with the request id', async () => {
      const response = await request(test.url).get('/nope').expect(404);
      expect(response.body).toEqual({
        error: {
          code: 'not_found',
          message: 'Not found',
          request_id: response.headers['x-request-id'],
        },
      });
    });

    it('reuses a well-formed incoming X-Request-Id and replaces a hostile one', async () => {
      const kept = await request(test.url).get('/healthz').set('X-Request-Id', 'proxy-1234');
      expect(kept.headers['x-request-id']).toBe('proxy-1234');
      const replaced = await request(test.url)
        .get('/healthz')
        .set('X-Request-Id', `forged id with spaces ${'x'.repeat(100)}`);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('reports liveness and readiness', async () => {
      expect((await request(test.url).get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
      expect((await request(test.url).get('/readyz').expect(200)).body).toEqual({
        status: 'ready',
      });
    });
  });

  describe('in production', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await startTestApp({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://forms.example.com',
        SECRET_KEY: randomBytes(32).toString('base64'),
      });
    });
    afterAll(() => test.close());

    it('adds HSTS for two years with preload', async () => {
      const response = await request(test.url).get('/healthz').expect(200);
      expect(response.headers['strict-transport-security']).toBe(
        'max-age=63072000; includeSubDomains; preload',
      );
    });

    it('issues a __Host- session cookie that is Secure, HttpOnly and SameSite=Lax', async () => {
      const response = await request(test.url)
        .post('/auth/signup')
        .send({
          email: `prod-${randomBytes(3).toString('hex')}@example.com`,
          password: 'correct horse battery staple',
        })
        .expect(201);
      expect(String(response.headers['set-cookie'])).toMatch(
        /^__Host-intake_session=[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/,
      );
    });
  });
});

describe('readiness', () => {
  it('is 503 while migrations are pending', async () => {
    const test = await startTestApp();
    try {
      await test.prisma.$executeRawUnsafe('UPDATE _prisma_migrations SET finished_at = NULL');
      const response = await request(test.url).get('/readyz').expect(503);
      expect(response.body.error.code).toBe('unavailable');
    } finally {
      await test.close();
    }
  });
});
