import request from 'supertest';
import { apiOwner, signUp, type ApiOwner, type SignedInUser } from '../support/accounts';
import { asText, ndjsonLines } from '../support/downloads';
import { createForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

/** Everything the editor posts, as a browser posts it (unticked boxes are absent). */
function editorPost(csrf: string, overrides: Record<string, string | undefined> = {}) {
  const fields: Record<string, string | undefined> = {
    _csrf: csrf,
    name: 'Feedback',
    slug: 'feedback',
    visibility: 'public',
    enabled: 'on',
    fields_schema: JSON.stringify({
      fields: [
        { name: 'email', type: 'email', rules: [{ op: 'required' }] },
        { name: 'comment', type: 'string', rules: [{ op: 'max_length', value: 500 }] },
      ],
    }),
    spam_protection_strategy: 'standard',
    intent: '',
    smart_replies_mode: 'draft',
    smart_reply_email_field: '',
    knowledge_base_id: '',
    allowed_origins: '',
    redirect_url: '',
    retention_days: '',
    notify_emails: '',
    ip_rate_limit: '10',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

describe('dashboard form editor and export', () => {
  let test: TestApp;
  let owner: ApiOwner;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
  });
  afterAll(() => test.close());

  const post = (user: SignedInUser, path: string, body: Record<string, string>) =>
    user.agent.post(path).type('form').send(body);

  it('creates a form from the editor with every setting, as the API would store it', async () => {
    const editor = await owner.agent.get('/forms/new').expect(200);
    expect(editor.text).toContain('name="fields_schema"');
    expect(editor.text).toContain('&quot;email&quot;');
    const created = await post(
      owner,
      '/forms/new',
      editorPost(owner.csrf, {
        name: 'Feedback ✓ <b>',
        slug: 'feedback-editor',
        spam_protection_enabled: 'on',
        spam_protection_strategy: 'intelligent',
        intent: 'Product feedback',
        localisation_enabled: 'on',
        allowed_origins: 'https://example.com\r\n\r\nhttps://shop.example.com/',
        redirect_url: 'https://example.com/thanks',
        retention_days: '30',
        notify_emails: 'team@example.com',
        ip_rate_limit: '0',
      }),
    ).expect(303);
    const id = /^\/forms\/([0-9a-f-]{36})\?notice=created$/.exec(created.headers.location!)![1]!;
    const stored = (await owner.api('get', `/api/forms/${id}`).expect(200)).body.form;
    expect(stored).toMatchObject({
      name: 'Feedback ✓ <b>',
      slug: 'feedback-editor',
      visibility: 'public',
      enabled: true,
      spam_protection_enabled: true,
      spam_protection_strategy: 'intelligent',
      intent: 'Product feedback',
      localisation_enabled: true,
      smart_reply_enabled: false,
      allowed_origins: ['https://example.com', 'https://shop.example.com'],
      redirect_url: 'https://example.com/thanks',
      retention_days: 30,
      notify_emails: ['team@example.com'],
      ip_rate_limit: 0,
    });
    expect(stored.fields_schema.fields.map((field: { name: string }) => field.name)).toEqual([
      'email',
      'comment',
    ]);
    const page = await owner.agent.get(created.headers.location!).expect(200);
    expect(page.text).toContain('Form created.');
    expect(page.text).toContain('Feedback ✓ &lt;b>');
  });

  it('re-renders the editor with the API’s messages, keeping what was typed', async () => {
    const refused = await post(
      owner,
      '/forms/new',
      editorPost(owner.csrf, {
        name: '',
        slug: 'Not A Slug',
        fields_schema: JSON.stringify({
          fields: [{ name: 'email', type: 'email', rules: [{ op: 'sometimes' }] }],
        }),
        redirect_url: 'javascript:alert(1)',
        retention_days: 'soon',
        allowed_origins: 'https://example.com/path',
      }),
    ).expect(422);
    for (const field of ['name', 'slug', 'fields_schema', 'redirect_url', 'retention_days']) {
      expect(refused.text).toContain(`id="field-${field}-error"`);
    }
    expect(refused.text).toContain('field &quot;email&quot;: rules[0].op: op must be one of');
    // The summary links each message to its control.
    expect(refused.text).toContain('href="#field-fields_schema"');
    expect(refused.text).toContain('allowed_origins');
    expect(refused.text).toContain('value="Not A Slug"');
    const badJson = await post(
      owner,
      '/forms/new',
      editorPost(owner.csrf, { fields_schema: '{"fields": [' }),
    ).expect(422);
    expect(badJson.text).toContain('is not valid JSON');
    expect(badJson.text).toContain('{&quot;fields&quot;: [');
    const hostile = await post(
      owner,
      '/forms/new',
      editorPost(owner.csrf, {
        slug: 'proto',
        fields_schema: JSON.stringify({ fields: [{ name: '__proto__', type: 'string' }] }),
      }),
    ).expect(422);
    expect(hostile.text).toContain('name is reserved');
    const taken = await post(owner, '/forms/new', editorPost(owner.csrf, { slug: 'taken' }));
    expect(taken.status).toBe(303);
    const again = await post(owner, '/forms/new', editorPost(owner.csrf, { slug: 'taken' }));
    expect(again.status).toBe(422);
    expect(again.text).toContain('is already used by another of your forms');
    // Malformed posts (unknown or missing fields) are refused whole.
    await post(owner, '/forms/new', { ...editorPost(owner.csrf), extra: 'x' }).expect(422);
    await post(owner, '/forms/new', { _csrf: owner.csrf, name: 'x' }).expect(422);
    await post(owner, '/forms/new', editorPost(owner.csrf, { intent: 'x'.repeat(6000) })).expect(
      422,
    );
  });

  it('edits a form: a schema change makes a new version, private shows the token once', async () => {
    const form = await createForm(owner);
    const editor = await owner.agent.get(`/forms/${form.id}/edit`).expect(200);
    expect(editor.text).toContain(`value="${form.slug}"`);
    const saved = await post(
      owner,
      `/forms/${form.id}/edit`,
      editorPost(owner.csrf, { name: 'Renamed', slug: form.slug, visibility: 'private' }),
    ).expect(200);
    expect(saved.text).toContain('Submission token');
    const token = /<pre id="secret"[^>]*><code>(ik_sub_[^<]+)<\/code>/.exec(saved.text)![1]!;
    expect(saved.headers['cache-control']).toBe('no-store');
    const stored = (await owner.api('get', `/api/forms/${form.id}`).expect(200)).body.form;
    expect(stored).toMatchObject({ name: 'Renamed', visibility: 'private', version: 2 });
    const rows = await test.prisma.form.findMany({ where: { id: form.id } });
    expect(JSON.stringify(rows)).not.toContain(token);
    await request(test.url)
      .post(new URL(stored.endpoint as string).pathname)
      .set('Authorization', `Bearer ${token}`)
      .send({ email: 'a@example.com' })
      .expect(201);
    const again = await post(
      owner,
      `/forms/${form.id}/edit`,
      editorPost(owner.csrf, { name: 'Renamed', slug: form.slug, visibility: 'private' }),
    ).expect(303);
    expect(again.headers.location).toBe(`/forms/${form.id}?notice=saved`);
  });

  it('deletes a form from its page', async () => {
    const form = await createForm(owner);
    const deleted = await post(owner, `/forms/${form.id}/delete`, { _csrf: owner.csrf }).expect(
      303,
    );
    expect(deleted.headers.location).toBe('/?notice=form_deleted');
    await owner.api('get', `/api/forms/${form.id}`).expect(404);
    await owner.agent.get(`/forms/${form.id}`).expect(404);
  });

  it('exports the list as CSV or NDJSON with its filter and search', async () => {
    const form = await createForm(owner, { ip_rate_limit: 0 });
    for (const message of ['first', 'second', 'needle']) {
      await request(test.url).post(form.path).send({ email: 'v@example.com', message }).expect(201);
    }
    const page = await owner.agent.get(`/forms/${form.id}?search=needle`).expect(200);
    expect(page.text).toContain(
      `href="/forms/${form.id}/export?search=needle&amp;format=csv&amp;filter=inbox"`,
    );
    const csv = await owner.agent
      .get(`/forms/${form.id}/export?format=csv&filter=inbox`)
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment/);
    expect(String(csv.body)).toContain('needle');
    const ndjson = await owner.agent
      .get(`/forms/${form.id}/export?format=ndjson&search=needle&filter=`)
      .buffer(true)
      .parse(asText)
      .expect(200);
    expect(ndjsonLines(String(ndjson.body))).toHaveLength(1);
    await owner.agent.get(`/forms/${form.id}/export?format=xml`).expect(400);
    const other = await signUp(test);
    await other.agent.get(`/forms/${form.id}/export?format=csv`).expect(404);
    await other.agent.get(`/forms/${form.id}/edit`).expect(404);
    await post(other, `/forms/${form.id}/edit`, editorPost(other.csrf)).expect(404);
    await post(other, `/forms/${form.id}/delete`, { _csrf: other.csrf }).expect(404);
    await request(test.url).get(`/forms/${form.id}/export?format=csv`).expect(303);
  });
});
