import request from 'supertest';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { CONTACT_SCHEMA, createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

const VALID = { email: 'ada@example.com', name: 'Ada', message: 'Hello there' };

describe('public submission endpoint', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
    form = await createForm(owner, { ip_rate_limit: 0 });
  });
  afterAll(() => test.close());

  const post = (path: string) => request(test.url).post(path);

  it('stores a valid JSON submission with its processing job, then answers 201', async () => {
    const response = await post(form.path)
      .set('User-Agent', 'e2e/1.0')
      .send({ ...VALID, utm_source: 'ignored-field' })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      data: VALID,
      created_at: expect.any(String),
    });
    const stored = await test.prisma.submission.findUniqueOrThrow({
      where: { id: response.body.id },
      include: { job: true },
    });
    expect(stored).toEqual(
      expect.objectContaining({
        formVersion: 1,
        spam: false,
        processingStatus: 'pending',
        data: VALID,
      }),
    );
    expect(stored.job).not.toBeNull();
    expect(stored.metadata).toEqual(
      expect.objectContaining({
        dropped_fields: 1,
        user_agent: 'e2e/1.0',
        ip: expect.stringContaining('127.0.0.1'),
      }),
    );
  });

  it('captures utm_* from the query string and the Referer', async () => {
    const response = await post(`${form.path}?utm_source=newsletter`)
      .set('Referer', 'https://site.example/contact?utm_campaign=spring&utm_source=other')
      .send(VALID)
      .expect(201);
    const stored = await test.prisma.submission.findUniqueOrThrow({
      where: { id: response.body.id },
    });
    expect(stored.metadata).toEqual(
      expect.objectContaining({
        referer: 'https://site.example/contact?utm_campaign=spring&utm_source=other',
        utm: { utm_source: 'newsletter', utm_campaign: 'spring' },
      }),
    );
  });

  it('stores a filled honeypot as spam and still answers 201', async () => {
    const response = await post(form.path)
      .send({ ...VALID, website: 'http://spam.example' })
      .expect(201);
    expect(response.body.data).not.toHaveProperty('website');
    const stored = await test.prisma.submission.findUniqueOrThrow({
      where: { id: response.body.id },
    });
    expect(stored).toEqual(
      expect.objectContaining({
        spam: true,
        spamConfidence: 1,
        spamReason: 'honeypot field "website" was filled',
      }),
    );
  });

  it('answers 422 with per-field messages and stores nothing', async () => {
    const before = await test.prisma.submission.count();
    const response = await post(form.path).send({ email: 'not an email', message: '' }).expect(422);
    expect(response.body.error.details).toEqual({
      email: ['must be a valid e-mail address'],
      message: ['is required'],
    });
    expect(JSON.stringify(response.body)).not.toContain('not an email');
    expect(await test.prisma.submission.count()).toBe(before);
  });

  describe('versions', () => {
    it('keeps old endpoints validating against their own version', async () => {
      const versioned = await createForm(owner, { ip_rate_limit: 0 });
      const v2Schema = { fields: [{ name: 'phone', type: 'string', rules: [{ op: 'required' }] }] };
      const updated = await owner
        .api('put', `/api/forms/${versioned.id}`)
        .send({ fields_schema: v2Schema })
        .expect(200);
      const v2Path = new URL(updated.body.form.endpoint).pathname;

      const old = await post(versioned.path).send(VALID).expect(201);
      await post(versioned.path).send({ phone: '123' }).expect(422);
      const current = await post(v2Path).send({ phone: '123' }).expect(201);
      await post(v2Path).send(VALID).expect(422);

      const rows = await test.prisma.submission.findMany({
        where: { id: { in: [old.body.id, current.body.id] } },
      });
      expect(Object.fromEntries(rows.map((row) => [row.id, row.formVersion]))).toEqual({
        [old.body.id]: 1,
        [current.body.id]: 2,
      });
    });

    it('answers 401 invalid_token to a tampered or malformed opaque segment', async () => {
      const [, , opaque, , slug] = form.path.split('/');
      const flipped = `${opaque?.slice(0, 10)}${opaque?.[10] === 'A' ? 'B' : 'A'}${opaque?.slice(11)}`;
      for (const bad of [flipped, 'short', `${opaque}x`, '%00%00']) {
        const response = await post(`/api/${bad}/f/${slug}`).send(VALID).expect(401);
        expect(response.body.error.code).toBe('invalid_token');
      }
    });

    it('cannot reach another owner’s form through a valid segment and a different slug', async () => {
      const other = await apiOwner(test);
      const theirs = await createForm(other, { slug: 'their-form', ip_rate_limit: 0 });
      const [, , opaque] = form.path.split('/');
      const response = await post(`/api/${opaque}/f/${theirs.slug}`).send(VALID).expect(201);
      const stored = await test.prisma.submission.findUniqueOrThrow({
        where: { id: response.body.id },
      });
      expect(stored.formId).toBe(form.id);
      const listing = await other
        .api('get', `/api/forms/${theirs.id}/submissions?filter=all`)
        .expect(200);
      expect(listing.body.data).toEqual([]);
    });

    it('answers 404 form_not_found for a disabled form', async () => {
      const disabled = await createForm(owner);
      await owner.api('put', `/api/forms/${disabled.id}`).send({ enabled: false }).expect(200);
      expect((await post(disabled.path).send(VALID).expect(404)).body.error.code).toBe(
        'form_not_found',
      );
      expect((await request(test.url).get(disabled.path).expect(404)).body.error.code).toBe(
        'form_not_found',
      );
    });
  });

  describe('self-description', () => {
    it('describes the contract as JSON without honeypot fields', async () => {
      const response = await request(test.url)
        .get(form.path)
        .set('Accept', 'application/json')
        .expect(200);
      expect(response.body).toEqual({
        name: 'Contact',
        slug: form.slug,
        endpoint: form.endpoint,
        method: 'POST',
        content_type: 'application/json',
        visibility: 'public',
        fields: CONTACT_SCHEMA.fields.filter((field) => field.name !== 'website'),
      });
    });

    it('says a private form needs a bearer token', async () => {
      const secret = await createForm(owner, { visibility: 'private' });
      const response = await request(test.url).get(secret.path).expect(200);
      expect(response.body.authentication).toEqual(expect.objectContaining({ type: 'bearer' }));
    });

    it('serves an escaped HTML page under the strict CSP', async () => {
      const hostile = await createForm(owner, {
        name: '<img src=x onerror=alert(1)>',
        fields_schema: {
          fields: [
            {
              name: 'choice',
              type: 'string',
              rules: [{ op: 'one_of', values: ['<script>alert(1)</script>', 'b'] }],
            },
          ],
        },
      });
      const response = await request(test.url)
        .get(hostile.path)
        .set('Accept', 'text/html')
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).not.toContain('<img src=x');
      expect(response.text).not.toContain('<script>');
      expect(response.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    });
  });

  describe('plain HTML form posts', () => {
    it('accepts urlencoded fields and redirects 303 to the thank-you page', async () => {
      const response = await post(form.path)
        .type('form')
        .send({ email: 'ada@example.com', message: 'hi there' })
        .expect(303);
      expect(response.headers.location).toBe(`${form.endpoint}/thanks`);
      const thanks = await request(test.url)
        .get(new URL(response.headers.location).pathname)
        .expect(200);
      expect(thanks.text).toContain('Thank you');
    });

    it('redirects to the form’s redirect_url', async () => {
      const redirecting = await createForm(owner, {
        redirect_url: 'https://site.example/thanks',
        ip_rate_limit: 0,
      });
      const response = await post(redirecting.path)
        .type('form')
        .send({ email: 'ada@example.com', message: 'hi' })
        .expect(303);
      expect(response.headers.location).toBe('https://site.example/thanks');
    });

    it('sends the browser back with the error on validation failure', async () => {
      const response = await post(form.path)
        .set('Referer', 'https://site.example/contact?x=1')
        .type('form')
        .send({ email: 'nope' })
        .expect(303);
      const back = new URL(response.headers.location);
      expect(back.origin + back.pathname).toBe('https://site.example/contact');
      expect(back.searchParams.get('intake_error')).toBe('validation_error');
      expect(back.searchParams.get('intake_fields')?.split(',').sort()).toEqual([
        'email',
        'message',
      ]);
    });

    it('accepts multipart fields and refuses file parts with 415', async () => {
      await post(form.path)
        .field('email', 'ada@example.com')
        .field('message', 'multipart hello')
        .expect(303);
      const before = await test.prisma.submission.count();
      const response = await post(form.path)
        .field('email', 'ada@example.com')
        .field('message', 'x')
        .attach('file', Buffer.from('data'), 'a.txt')
        .expect(415);
      expect(response.body.error.code).toBe('unsupported_media_type');
      expect(await test.prisma.submission.count()).toBe(before);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the original with 200, refuses another body with 409, per form', async () => {
      const first = await post(form.path)
        .set('Idempotency-Key', 'order-42')
        .send(VALID)
        .expect(201);
      const replay = await post(form.path)
        .set('Idempotency-Key', 'order-42')
        .send(VALID)
        .expect(200);
      expect(replay.body).toEqual(first.body);
      const conflict = await post(form.path)
        .set('Idempotency-Key', 'order-42')
        .send({ ...VALID, message: 'changed' })
        .expect(409);
      expect(conflict.body.error.code).toBe('conflict');
      const otherForm = await createForm(owner, { ip_rate_limit: 0 });
      await post(otherForm.path).set('Idempotency-Key', 'order-42').send(VALID).expect(201);
    });

    it('stores one submission for concurrent requests with the same key', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () =>
          post(form.path)
            .set('Idempotency-Key', 'burst-1')
            .send(VALID)
            .then((r) => r.status),
        ),
      );
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(7);
      const keys = await test.prisma.idempotencyKey.findMany({
        where: { formId: form.id, key: 'burst-1' },
      });
      expect(keys).toHaveLength(1);
    });

    it('refuses a malformed key', async () => {
      await post(form.path).set('Idempotency-Key', 'x'.repeat(257)).send(VALID).expect(400);
    });
  });

  describe('CORS and allowed origins', () => {
    let restricted: CreatedForm;
    beforeAll(async () => {
      restricted = await createForm(owner, {
        allowed_origins: ['https://site.example'],
        ip_rate_limit: 0,
      });
    });

    it('lets any origin post to an unrestricted form', async () => {
      const response = await post(form.path)
        .set('Origin', 'https://anywhere.example')
        .send(VALID)
        .expect(201);
      expect(response.headers['access-control-allow-origin']).toBe('*');
    });

    it('echoes an allowed origin and refuses another with 403, storing nothing', async () => {
      const ok = await post(restricted.path)
        .set('Origin', 'https://site.example')
        .send(VALID)
        .expect(201);
      expect(ok.headers['access-control-allow-origin']).toBe('https://site.example');
      const before = await test.prisma.submission.count();
      await post(restricted.path).set('Origin', 'https://evil.example').send(VALID).expect(403);
      expect(await test.prisma.submission.count()).toBe(before);
    });

    it('answers preflights for allowed origins only', async () => {
      const allowed = await request(test.url)
        .options(restricted.path)
        .set('Origin', 'https://site.example')
        .set('Access-Control-Request-Method', 'POST')
        .expect(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://site.example');
      expect(allowed.headers['access-control-allow-headers']).toContain('Idempotency-Key');
      const refused = await request(test.url)
        .options(restricted.path)
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .expect(204);
      expect(refused.headers).not.toHaveProperty('access-control-allow-origin');
    });
  });

  describe('private forms', () => {
    it('need the submission token, and a replaced token stops working at once', async () => {
      const secret = await createForm(owner, { visibility: 'private', ip_rate_limit: 0 });
      expect((await post(secret.path).send(VALID).expect(401)).body.error.code).toBe(
        'unauthorized',
      );
      expect(
        (
          await post(secret.path)
            .set('Authorization', `Bearer ik_sub_${'A'.repeat(43)}`)
            .send(VALID)
            .expect(401)
        ).body.error.code,
      ).toBe('invalid_token');
      await post(secret.path)
        .set('Authorization', `Bearer ${secret.submission_token}`)
        .send(VALID)
        .expect(201);
      const replaced = await owner
        .api('post', `/api/forms/${secret.id}/submission_token`)
        .expect(200);
      await post(secret.path)
        .set('Authorization', `Bearer ${secret.submission_token}`)
        .send(VALID)
        .expect(401);
      await post(secret.path)
        .set('Authorization', `Bearer ${replaced.body.form.submission_token}`)
        .send(VALID)
        .expect(201);
    });
  });

  describe('rate limit per IP and form', () => {
    it('answers the submission past the limit with 429 and Retry-After; rejected ones do not count', async () => {
      const limited = await createForm(owner, { ip_rate_limit: 3 });
      await post(limited.path).send({ email: 'bad' }).expect(422);
      for (let i = 0; i < 3; i++) await post(limited.path).send(VALID).expect(201);
      const response = await post(limited.path).send(VALID).expect(429);
      expect(response.body.error.code).toBe('rate_limited');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      // Another form keeps its own budget.
      await post(form.path).send(VALID).expect(201);
    });
  });

  describe('bad input', () => {
    const deep = '{"email":' + '['.repeat(3000) + ']'.repeat(3000) + '}';
    type Case = [
      name: string,
      contentType: string,
      body: string | Buffer,
      status: number,
      code: string,
    ];
    const cases: Case[] = [
      ['malformed JSON', 'application/json', '{"email": ', 400, 'invalid_params'],
      ['a JSON array', 'application/json', '[1,2]', 400, 'invalid_params'],
      ['a JSON string', 'application/json', '"hello"', 400, 'invalid_params'],
      ['text/plain', 'text/plain', 'email=a@b.co', 415, 'unsupported_media_type'],
      ['XML', 'application/xml', '<a/>', 415, 'unsupported_media_type'],
      [
        'a 10 MB string',
        'application/json',
        JSON.stringify({ ...VALID, message: 'x'.repeat(10 * 1024 * 1024) }),
        413,
        'payload_too_large',
      ],
      [
        'a 70 KiB body',
        'application/json',
        JSON.stringify({ ...VALID, message: 'x'.repeat(70 * 1024) }),
        413,
        'payload_too_large',
      ],
      ['deep nesting', 'application/json', deep, 422, 'validation_error'],
      [
        'an array where a scalar belongs',
        'application/json',
        JSON.stringify({ ...VALID, email: ['a@b.co'] }),
        422,
        'validation_error',
      ],
      [
        'an object where a scalar belongs',
        'application/json',
        JSON.stringify({ ...VALID, message: { $gt: '' } }),
        422,
        'validation_error',
      ],
      [
        'a __proto__ key',
        'application/json',
        `{"email":"a@b.co","message":"x","__proto__":{"polluted":true}}`,
        422,
        'validation_error',
      ],
      [
        'a constructor key',
        'application/json',
        `{"email":"a@b.co","message":"x","constructor":{"prototype":{"polluted":true}}}`,
        422,
        'validation_error',
      ],
      [
        'a prototype key',
        'application/json',
        `{"email":"a@b.co","message":"x","prototype":1}`,
        422,
        'validation_error',
      ],
      [
        'a NUL byte',
        'application/json',
        JSON.stringify({ ...VALID, message: 'a\u0000b' }),
        422,
        'validation_error',
      ],
      [
        'invalid UTF-8',
        'application/json',
        Buffer.concat([
          Buffer.from('{"email":"a@b.co","message":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
        400,
        'invalid_params',
      ],
      [
        'a number like 1e999',
        'application/json',
        '{"email":"a@b.co","message":1e999}',
        422,
        'validation_error',
      ],
      [
        'too many fields',
        'application/json',
        JSON.stringify(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, 'x']))),
        413,
        'payload_too_large',
      ],
      [
        'repeated form fields',
        'application/x-www-form-urlencoded',
        'email=a%40b.co&email=c%40d.co&message=x',
        422,
        'validation_error',
      ],
    ];

    it.each(cases)(
      '%s: %i, nothing stored, process healthy',
      async (_, contentType, body, status, code) => {
        const before = await test.prisma.submission.count();
        // fetch sends the bytes as they are (supertest would re-encode a Buffer as UTF-8).
        const response = await fetch(`${test.url}${form.path}`, {
          method: 'POST',
          headers: { 'Content-Type': contentType },
          body,
          redirect: 'manual',
        });
        expect(response.status).toBe(status);
        if (code)
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
        expect(await test.prisma.submission.count()).toBe(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      },
    );

    it('refuses impossible dates', async () => {
      const dated = await createForm(owner, {
        fields_schema: { fields: [{ name: 'day', type: 'date', rules: [{ op: 'required' }] }] },
        ip_rate_limit: 0,
      });
      expect(
        (await post(dated.path).send({ day: '2026-02-30' }).expect(422)).body.error.details.day,
      ).toBeDefined();
      await post(dated.path).send({ day: '2024-02-29' }).expect(201);
    });

    it('stays healthy afterwards', async () => {
      await request(test.url).get('/healthz').expect(200);
      await post(form.path).send(VALID).expect(201);
    });
  });
});
