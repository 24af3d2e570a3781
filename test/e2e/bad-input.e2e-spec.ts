import request from 'supertest';
import { PASSWORD, signUp, type SignedInUser } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hostile and malformed bodies against every JSON endpoint of this slice: each gets its
 * documented 4xx in the standard error shape, never a 500, and changes nothing.
 */
describe('bad input', () => {
  let test: TestApp;
  let user: SignedInUser;

  beforeAll(async () => {
    test = await startTestApp({ BODY_LIMIT_BYTES: '65536' });
    user = await signUp(test);
  });
  afterAll(() => test.close());

  const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const json = 'application/json';

  type Case = [
    name: string,
    contentType: string,
    body: string | Buffer,
    status: number,
    code: string,
  ];
  const cases: Case[] = [
    ['malformed JSON', json, '{"email": "a@b.co", ', 400, 'invalid_params'],
    ['a JSON string instead of an object', json, '"hello"', 400, 'invalid_params'],
    ['a JSON array', json, '[1,2,3]', 422, 'validation_error'],
    ['null', json, 'null', 400, 'invalid_params'],
    ['text/plain', 'text/plain', 'email=a@b.co', 415, 'unsupported_media_type'],
    [
      'a form post',
      'application/x-www-form-urlencoded',
      'email=a%40b.co&password=x',
      415,
      'unsupported_media_type',
    ],
    ['XML', 'application/xml', '<email>a@b.co</email>', 415, 'unsupported_media_type'],
    [
      'an oversized body',
      json,
      JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(70_000) }),
      413,
      'payload_too_large',
    ],
    ['deep nesting', json, deep(5000), 422, 'validation_error'],
    [
      'a __proto__ key',
      json,
      `{"email":"proto@example.com","password":"${PASSWORD}","__proto__":{"isAdmin":true}}`,
      422,
      'validation_error',
    ],
    [
      'a constructor key',
      json,
      `{"email":"ctor@example.com","password":"${PASSWORD}","constructor":{"prototype":{"x":1}}}`,
      422,
      'validation_error',
    ],
    [
      'an extra field',
      json,
      `{"email":"extra@example.com","password":"${PASSWORD}","role":"admin"}`,
      422,
      'validation_error',
    ],
    ['a missing password', json, '{"email":"missing@example.com"}', 422, 'validation_error'],
    [
      'an array for the e-mail',
      json,
      `{"email":["a@b.co"],"password":"${PASSWORD}"}`,
      422,
      'validation_error',
    ],
    [
      'an object for the password',
      json,
      '{"email":"obj@example.com","password":{"$gt":""}}',
      422,
      'validation_error',
    ],
    [
      'a unicode e-mail',
      json,
      `{"email":"ünï@exämple.com","password":"${PASSWORD}"}`,
      422,
      'validation_error',
    ],
    [
      'an e-mail with a NUL byte',
      json,
      `{"email":"nul\\u0000@example.com","password":"${PASSWORD}"}`,
      422,
      'validation_error',
    ],
    [
      'HTML in the e-mail',
      json,
      `{"email":"<script>alert(1)</script>@example.com","password":"${PASSWORD}"}`,
      422,
      'validation_error',
    ],
    [
      'a 1 MB string',
      json,
      JSON.stringify({ email: `${'a'.repeat(1_000_000)}@example.com`, password: PASSWORD }),
      413,
      'payload_too_large',
    ],
    [
      'invalid UTF-8',
      json,
      Buffer.from([
        0x7b, 0x22, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d,
      ]),
      422,
      'validation_error',
    ],
  ];

  it.each(cases)(
    'sign-up with %s: %i %s, nothing stored',
    async (_, contentType, body, status, code) => {
      const usersBefore = await test.prisma.user.count();
      const response = await request(test.url)
        .post('/auth/signup')
        .set('Content-Type', contentType)
        .send(body);
      expect(response.status).toBe(status);
      expect(response.body).toEqual({
        error: expect.objectContaining({ code, message: expect.any(String) }),
      });
      expect(await test.prisma.user.count()).toBe(usersBefore);
    },
  );

  it.each(cases)(
    'API key creation with %s: %i %s, nothing stored',
    async (_, contentType, body, status, code) => {
      const keysBefore = await test.prisma.apiKey.count();
      const response = await user.agent
        .post('/account/api-keys')
        .set('X-CSRF-Token', user.csrf)
        .set('Content-Type', contentType)
        .send(body);
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(await test.prisma.apiKey.count()).toBe(keysBefore);
    },
  );

  it('login with hostile input is a 4xx and is still counted by the login gate only when checked', async () => {
    for (const [, contentType, body] of cases) {
      const response = await request(test.url)
        .post('/auth/login')
        .set('Content-Type', contentType)
        .send(body);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
  });

  it.each([
    ['a non-numeric page', '?page=abc'],
    ['a zero page', '?page=0'],
    ['a huge page size', '?page_size=1000'],
    ['an unknown action', '?action=drop_tables'],
  ])('audit log query with %s: 400 invalid_params', async (_, query) => {
    const response = await user.agent.get(`/account/audit-log${query}`).expect(400);
    expect(response.body.error.code).toBe('invalid_params');
  });

  it('keeps serving after all of that', async () => {
    await request(test.url).get('/healthz').expect(200);
    await request(test.url)
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
  });
});
