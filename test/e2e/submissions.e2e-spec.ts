import request from 'supertest';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

describe('submissions API', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;
  const ids: Record<string, string> = {};

  const submit = async (label: string, body: Record<string, unknown>) => {
    const response = await request(test.url).post(form.path).send(body).expect(201);
    ids[label] = response.body.id;
  };

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
    form = await createForm(owner, { ip_rate_limit: 0 });
    await submit('first', { email: 'first@example.com', message: 'Interested in the blue kayak' });
    await submit('second', {
      email: 'second@example.com',
      message: 'Question about invoices and refunds',
    });
    await submit('spam', {
      email: 'bot@example.com',
      message: 'Cheap pills',
      website: 'http://spam.example',
    });
    await submit('html', {
      email: 'html@example.com',
      message: '<script>alert("x")</script> <b>bold</b> émoji 🚣',
    });
  });
  afterAll(() => test.close());

  const list = (query = '') => owner.api('get', `/api/forms/${form.id}/submissions${query}`);

  it('lists the inbox newest first, with meta, leaving spam out', async () => {
    const response = await list().expect(200);
    expect(response.body.data.map((submission: { id: string }) => submission.id)).toEqual([
      ids.html,
      ids.second,
      ids.first,
    ]);
    expect(response.body.meta).toEqual({
      current_page: 1,
      total_pages: 1,
      total_count: 3,
      page_size: 20,
    });
    expect(Object.keys(response.body.data[0]).sort()).toEqual(
      [
        'created_at',
        'data',
        'detected_language',
        'form_version',
        'id',
        'metadata',
        'processing_reason',
        'processing_status',
        'replied_at',
        'reply_content',
        'reply_status',
        'reply_subject',
        'spam',
        'spam_confidence',
        'spam_reason',
        'translated_data',
        'updated_at',
      ].sort(),
    );
  });

  it('filters spam and all, sorts ascending, pages', async () => {
    expect(
      (await list('?filter=spam').expect(200)).body.data.map((s: { id: string }) => s.id),
    ).toEqual([ids.spam]);
    expect((await list('?filter=all').expect(200)).body.meta.total_count).toBe(4);
    const ascending = await list('?filter=all&sort_order=asc&sort_by=id&page_size=2&page=2').expect(
      200,
    );
    expect(ascending.body.data.map((s: { id: string }) => s.id)).toEqual([ids.spam, ids.html]);
    expect(ascending.body.meta).toEqual({
      current_page: 2,
      total_pages: 2,
      total_count: 4,
      page_size: 2,
    });
  });

  it('searches the data with full-text search', async () => {
    expect(
      (await list('?search=kayak').expect(200)).body.data.map((s: { id: string }) => s.id),
    ).toEqual([ids.first]);
    expect(
      (await list('?search=invoices%20refunds').expect(200)).body.data.map(
        (s: { id: string }) => s.id,
      ),
    ).toEqual([ids.second]);
    expect((await list('?search=second%40example.com').expect(200)).body.meta.total_count).toBe(1);
    expect((await list('?search=nothing-matches-this').expect(200)).body.data).toEqual([]);
    // Search syntax characters are data, never an error.
    await list(`?search=${encodeURIComponent('"unclosed & | ! ( :*')}`).expect(200);
  });

  it('filters by processing status', async () => {
    expect((await list('?processing_status=pending').expect(200)).body.meta.total_count).toBe(3);
    expect((await list('?processing_status=completed').expect(200)).body.meta.total_count).toBe(0);
  });

  it('returns HTML in submissions as data, untouched', async () => {
    const response = await owner
      .api('get', `/api/forms/${form.id}/submissions/${ids.html}`)
      .expect(200);
    expect(response.body.submission.data.message).toBe(
      '<script>alert("x")</script> <b>bold</b> émoji 🚣',
    );
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('moves a submission to spam and back', async () => {
    const moved = await owner
      .api('patch', `/api/forms/${form.id}/submissions/${ids.first}`)
      .send({ spam: true })
      .expect(200);
    expect(moved.body.submission.spam).toBe(true);
    expect((await list('?filter=spam').expect(200)).body.meta.total_count).toBe(2);
    await owner
      .api('patch', `/api/forms/${form.id}/submissions/${ids.first}`)
      .send({ spam: false })
      .expect(200);
    await owner
      .api('patch', `/api/forms/${form.id}/submissions/${ids.first}`)
      .send({ spam: 'yes' })
      .expect(422);
    await owner
      .api('patch', `/api/forms/${form.id}/submissions/${ids.first}`)
      .send({ spam: true, data: {} })
      .expect(422);
  });

  it('deletes a submission', async () => {
    const victim = await request(test.url)
      .post(form.path)
      .send({ email: 'gone@example.com', message: 'bye' })
      .expect(201);
    const deleted = await owner
      .api('delete', `/api/forms/${form.id}/submissions/${victim.body.id}`)
      .expect(200);
    expect(deleted.body.submission.id).toBe(victim.body.id);
    await owner.api('get', `/api/forms/${form.id}/submissions/${victim.body.id}`).expect(404);
  });

  it.each([
    ['an unknown filter', '?filter=everything'],
    ['page 0', '?page=0'],
    ['page_size over 50', '?page_size=51'],
    ['an unknown sort', '?sort_by=email'],
    ['an overlong search', `?search=${'x'.repeat(201)}`],
    ['an unknown status', '?processing_status=lost'],
  ])('answers 400 invalid_params to %s', async (_, query) => {
    expect((await list(query).expect(400)).body.error.code).toBe('invalid_params');
  });

  describe('another owner', () => {
    let intruder: ApiOwner;
    let theirs: CreatedForm;

    beforeAll(async () => {
      intruder = await apiOwner(test);
      theirs = await createForm(intruder, { ip_rate_limit: 0 });
    });

    it('cannot list, read, change or delete the owner’s submissions', async () => {
      await intruder.api('get', `/api/forms/${form.id}/submissions`).expect(404);
      await intruder.api('get', `/api/forms/${form.id}/submissions/${ids.first}`).expect(404);
      await intruder
        .api('patch', `/api/forms/${form.id}/submissions/${ids.first}`)
        .send({ spam: true })
        .expect(404);
      await intruder.api('delete', `/api/forms/${form.id}/submissions/${ids.first}`).expect(404);
      expect(
        (await owner.api('get', `/api/forms/${form.id}/submissions/${ids.first}`).expect(200)).body
          .submission.spam,
      ).toBe(false);
    });

    it('cannot reach them through its own form id either', async () => {
      await intruder.api('get', `/api/forms/${theirs.id}/submissions/${ids.first}`).expect(404);
      await intruder.api('delete', `/api/forms/${theirs.id}/submissions/${ids.first}`).expect(404);
      await intruder
        .api('patch', `/api/forms/${theirs.id}/submissions/${ids.first}`)
        .send({ spam: true })
        .expect(404);
      await owner.api('get', `/api/forms/${form.id}/submissions/${ids.first}`).expect(200);
    });

    it('cannot reach one form’s submission through another form of the same owner', async () => {
      const sibling = await createForm(owner);
      await owner.api('get', `/api/forms/${sibling.id}/submissions/${ids.first}`).expect(404);
    });
  });

  it('enforces scopes', async () => {
    const formsOnly = await apiOwner(test, ['forms:read']);
    const own = await createForm(await apiOwner(test));
    await formsOnly.api('get', `/api/forms/${own.id}/submissions`).expect(403);
    const readOnly = await apiOwner(test, ['submissions:read', 'forms:write']);
    const readable = await createForm(readOnly);
    await readOnly.api('get', `/api/forms/${readable.id}/submissions`).expect(200);
    expect(
      (
        await readOnly
          .api('patch', `/api/forms/${readable.id}/submissions/${ids.first}`)
          .send({ spam: true })
          .expect(403)
      ).body.error.code,
    ).toBe('insufficient_scope');
  });
});

describe('knowledge bases API', () => {
  let test: TestApp;
  let owner: ApiOwner;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
  });
  afterAll(() => test.close());

  it('creates, reads, lists and updates', async () => {
    const created = await owner
      .api('post', '/api/knowledge_bases')
      .send({ name: 'FAQ', content: 'We ship worldwide.' })
      .expect(201);
    const { id } = created.body.knowledge_base;
    expect(created.body.knowledge_base).toEqual(
      expect.objectContaining({ name: 'FAQ', content: 'We ship worldwide.' }),
    );
    await owner.api('get', `/api/knowledge_bases/${id}`).expect(200);
    const updated = await owner
      .api('put', `/api/knowledge_bases/${id}`)
      .send({ content: 'We ship to the EU.' })
      .expect(200);
    expect(updated.body.knowledge_base).toEqual(
      expect.objectContaining({ name: 'FAQ', content: 'We ship to the EU.' }),
    );
    expect(
      (await owner.api('get', '/api/knowledge_bases').expect(200)).body.knowledge_bases.map(
        (kb: { id: string }) => kb.id,
      ),
    ).toContain(id);
  });

  it('turns smart replies off on the forms that used it, and says which', async () => {
    const kb = (
      await owner
        .api('post', '/api/knowledge_bases')
        .send({ name: 'Support', content: 'x' })
        .expect(201)
    ).body.knowledge_base;
    const using = await createForm(owner, {
      slug: 'contact',
      knowledge_base_id: kb.id,
      smart_reply_enabled: true,
      smart_reply_email_field: 'email',
    });
    const linkedOnly = await createForm(owner, { slug: 'linked', knowledge_base_id: kb.id });
    const deleted = await owner.api('delete', `/api/knowledge_bases/${kb.id}`).expect(200);
    expect(deleted.body).toEqual({
      knowledge_base: expect.objectContaining({ id: kb.id }),
      smart_reply_disabled_on: ['contact'],
    });
    const form = (await owner.api('get', `/api/forms/${using.id}`).expect(200)).body.form;
    expect(form).toEqual(
      expect.objectContaining({ smart_reply_enabled: false, knowledge_base_id: null }),
    );
    expect(
      (await owner.api('get', `/api/forms/${linkedOnly.id}`).expect(200)).body.form
        .knowledge_base_id,
    ).toBeNull();
  });

  it.each([
    ['an empty name', { name: '' }],
    ['an overlong name', { name: 'n'.repeat(101) }],
    ['content that is not text', { name: 'x', content: 42 }],
    ['oversized content', { name: 'x', content: 'c'.repeat(200_001) }],
    ['an unknown field', { name: 'x', owner: 'me' }],
  ])('rejects %s with 422', async (_, body) => {
    expect(
      (await owner.api('post', '/api/knowledge_bases').send(body).expect(422)).body.error.code,
    ).toBe('validation_error');
  });

  it('keeps another owner out (404)', async () => {
    const kb = (
      await owner
        .api('post', '/api/knowledge_bases')
        .send({ name: 'Private', content: 'secret' })
        .expect(201)
    ).body.knowledge_base;
    const intruder = await apiOwner(test);
    await intruder.api('get', `/api/knowledge_bases/${kb.id}`).expect(404);
    await intruder
      .api('put', `/api/knowledge_bases/${kb.id}`)
      .send({ content: 'mine' })
      .expect(404);
    await intruder.api('delete', `/api/knowledge_bases/${kb.id}`).expect(404);
    expect(
      (await intruder.api('get', '/api/knowledge_bases').expect(200)).body.knowledge_bases,
    ).toEqual([]);
    // Nor can it attach the owner's knowledge base to its own form.
    await intruder
      .api('post', '/api/forms')
      .send({ name: 'x', slug: 'x', knowledge_base_id: kb.id })
      .expect(422);
    expect(
      (await owner.api('get', `/api/knowledge_bases/${kb.id}`).expect(200)).body.knowledge_base
        .content,
    ).toBe('secret');
  });
});
