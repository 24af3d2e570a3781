import request from 'supertest';
import { sha256 } from '@intake/common';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { CONTACT_SCHEMA, createForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

describe('forms API', () => {
  let test: TestApp;
  let owner: ApiOwner;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
  });
  afterAll(() => test.close());

  it('creates a form with every default and an absolute versioned endpoint', async () => {
    const response = await owner
      .api('post', '/api/forms')
      .send({ name: 'Contact us', slug: 'contact-us', fields_schema: CONTACT_SCHEMA })
      .expect(201);
    const { form } = response.body;
    expect(form).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: 'Contact us',
        slug: 'contact-us',
        visibility: 'public',
        enabled: true,
        version: 1,
        submission_count: 0,
        spam_protection_enabled: false,
        spam_protection_strategy: 'standard',
        smart_replies_mode: 'draft',
        allowed_origins: [],
        ip_rate_limit: 10,
        retention_days: null,
        fields_schema: CONTACT_SCHEMA,
      }),
    );
    expect(form.endpoint).toMatch(
      new RegExp(`^${test.config.publicUrl}/api/[A-Za-z0-9_-]{43}/f/contact-us$`),
    );
    expect(form).not.toHaveProperty('submission_token');
  });

  it('refuses a second form with the same slug for the same owner, not for another owner', async () => {
    await createForm(owner, { slug: 'taken' });
    const response = await owner
      .api('post', '/api/forms')
      .send({ name: 'Again', slug: 'taken' })
      .expect(422);
    expect(response.body.error.details.slug).toEqual(['is already used by another of your forms']);
    const other = await apiOwner(test);
    await createForm(other, { slug: 'taken' });
  });

  it('returns the submission token of a private form once, stored only as its hash', async () => {
    const form = await createForm(owner, { visibility: 'private' });
    expect(form.submission_token).toMatch(/^ik_sub_[A-Za-z0-9_-]{43}$/);
    const row = await test.prisma.form.findUniqueOrThrow({ where: { id: form.id } });
    expect(
      Buffer.from(row.submissionTokenHash ?? []).equals(sha256(form.submission_token ?? '')),
    ).toBe(true);
    const read = await owner.api('get', `/api/forms/${form.id}`).expect(200);
    expect(read.body.form).not.toHaveProperty('submission_token');
  });

  it('replaces a private form’s token; public forms have none', async () => {
    const form = await createForm(owner, { visibility: 'private' });
    const replaced = await owner.api('post', `/api/forms/${form.id}/submission_token`).expect(200);
    expect(replaced.body.form.submission_token).toMatch(/^ik_sub_/);
    expect(replaced.body.form.submission_token).not.toBe(form.submission_token);
    const publicForm = await createForm(owner);
    expect(
      (await owner.api('post', `/api/forms/${publicForm.id}/submission_token`).expect(409)).body
        .error.code,
    ).toBe('conflict');
  });

  it('gives a new version and endpoint only when fields_schema changes', async () => {
    const form = await createForm(owner);
    const renamed = await owner
      .api('put', `/api/forms/${form.id}`)
      .send({ name: 'Renamed', ip_rate_limit: 5 })
      .expect(200);
    expect(renamed.body.form).toEqual(
      expect.objectContaining({
        name: 'Renamed',
        version: 1,
        endpoint: form.endpoint,
        ip_rate_limit: 5,
      }),
    );
    const sameSchema = await owner
      .api('put', `/api/forms/${form.id}`)
      .send({ fields_schema: CONTACT_SCHEMA })
      .expect(200);
    expect(sameSchema.body.form.version).toBe(1);
    const changed = await owner
      .api('put', `/api/forms/${form.id}`)
      .send({
        fields_schema: {
          fields: [...CONTACT_SCHEMA.fields, { name: 'phone', type: 'string', rules: [] }],
        },
      })
      .expect(200);
    expect(changed.body.form.version).toBe(2);
    expect(changed.body.form.endpoint).not.toBe(form.endpoint);
    expect(await test.prisma.formVersion.count({ where: { formId: form.id } })).toBe(2);
  });

  it('lists forms with pagination and counts', async () => {
    const fresh = await apiOwner(test);
    for (let i = 0; i < 3; i++) await createForm(fresh);
    const page = await fresh.api('get', '/api/forms?page=2&page_size=2').expect(200);
    expect(page.body.meta).toEqual({
      current_page: 2,
      total_pages: 2,
      total_count: 3,
      page_size: 2,
    });
    expect(page.body.forms).toHaveLength(1);
    expect(Object.keys(page.body.forms[0]).sort()).toEqual([
      'created_at',
      'endpoint',
      'id',
      'name',
      'slug',
      'submission_count',
      'visibility',
    ]);
  });

  it('deletes a form with its versions, and its endpoint answers 404 form_not_found', async () => {
    const form = await createForm(owner);
    const deleted = await owner.api('delete', `/api/forms/${form.id}`).expect(200);
    expect(deleted.body.form.id).toBe(form.id);
    await owner.api('get', `/api/forms/${form.id}`).expect(404);
    expect(await test.prisma.formVersion.count({ where: { formId: form.id } })).toBe(0);
    const response = await request(test.url)
      .post(form.path)
      .send({ email: 'a@example.com', message: 'hi' })
      .expect(404);
    expect(response.body.error.code).toBe('form_not_found');
  });

  it.each([
    ['a missing name', { slug: 'x' }, 'name'],
    ['an overlong name', { name: 'n'.repeat(101), slug: 'x' }, 'name'],
    ['an uppercase slug', { name: 'x', slug: 'Contact' }, 'slug'],
    ['a slug with a double hyphen', { name: 'x', slug: 'a--b' }, 'slug'],
    ['an overlong slug', { name: 'x', slug: 'a'.repeat(65) }, 'slug'],
    ['an unknown visibility', { name: 'x', slug: 'x', visibility: 'secret' }, 'visibility'],
    [
      'an origin with a path',
      { name: 'x', slug: 'x', allowed_origins: ['https://example.com/form'] },
      'allowed_origins.0',
    ],
    [
      'a javascript: redirect',
      { name: 'x', slug: 'x', redirect_url: 'javascript:alert(1)' },
      'redirect_url',
    ],
    ['an overlong intent', { name: 'x', slug: 'x', intent: 'i'.repeat(1001) }, 'intent'],
    ['a negative rate limit', { name: 'x', slug: 'x', ip_rate_limit: -1 }, 'ip_rate_limit'],
    [
      'a string for a boolean',
      { name: 'x', slug: 'x', spam_protection_enabled: 'yes' },
      'spam_protection_enabled',
    ],
    [
      'an unknown knowledge base',
      { name: 'x', slug: 'x', knowledge_base_id: '00000000-0000-4000-8000-000000000000' },
      'knowledge_base_id',
    ],
    [
      'smart replies without a knowledge base',
      { name: 'x', slug: 'x', smart_reply_enabled: true },
      'knowledge_base_id',
    ],
    [
      'a reply field that is not an email field',
      { name: 'x', slug: 'x', fields_schema: CONTACT_SCHEMA, smart_reply_email_field: 'message' },
      'smart_reply_email_field',
    ],
    ['an unknown field', { name: 'x', slug: 'x', owner_id: 'someone' }, 'body'],
    [
      'a required honeypot',
      {
        name: 'x',
        slug: 'x',
        fields_schema: {
          fields: [
            { name: 'trap', type: 'string', rules: [{ op: 'honeypot' }, { op: 'required' }] },
          ],
        },
      },
      'fields_schema.fields.0.rules',
    ],
    [
      'an unsafe field name',
      {
        name: 'x',
        slug: 'x',
        fields_schema: { fields: [{ name: '__proto__', type: 'string', rules: [] }] },
      },
      'fields_schema.fields.0.name',
    ],
  ])('rejects %s with 422 naming the field', async (_, body, field) => {
    const before = await test.prisma.form.count();
    const response = await owner.api('post', '/api/forms').send(body).expect(422);
    expect(response.body.error.code).toBe('validation_error');
    expect(Object.keys(response.body.error.details).some((key) => key.startsWith(field))).toBe(
      true,
    );
    expect(await test.prisma.form.count()).toBe(before);
  });

  it('answers 404 for a malformed form id', async () => {
    await owner.api('get', '/api/forms/not-a-uuid').expect(404);
  });

  describe('another owner', () => {
    let intruder: ApiOwner;
    let formId: string;

    beforeAll(async () => {
      intruder = await apiOwner(test);
      formId = (await createForm(owner)).id;
    });

    it('cannot read, change, delete or rotate it (404, not 403)', async () => {
      await intruder.api('get', `/api/forms/${formId}`).expect(404);
      await intruder.api('put', `/api/forms/${formId}`).send({ name: 'Mine now' }).expect(404);
      await intruder.api('post', `/api/forms/${formId}/submission_token`).expect(404);
      await intruder.api('delete', `/api/forms/${formId}`).expect(404);
      expect((await owner.api('get', `/api/forms/${formId}`).expect(200)).body.form.name).toBe(
        'Contact',
      );
    });

    it('does not see it in the listing', async () => {
      const response = await intruder.api('get', '/api/forms').expect(200);
      expect(response.body.forms.map((form: { id: string }) => form.id)).not.toContain(formId);
    });
  });

  it('enforces scopes', async () => {
    const reader = await apiOwner(test, ['forms:read']);
    await reader.api('get', '/api/forms').expect(200);
    expect(
      (await reader.api('post', '/api/forms').send({ name: 'x', slug: 'x' }).expect(403)).body.error
        .code,
    ).toBe('insufficient_scope');
  });
});
