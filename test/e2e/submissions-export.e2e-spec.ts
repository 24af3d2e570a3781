import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { apiOwner, createApiKey, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

interface RawResponse {
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** Expects `status` and reads the body as raw bytes, whatever its type (supertest parses only some). */
async function rawBody(call: request.Test, status: number): Promise<RawResponse> {
  const response = await call
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(status);
  return {
    headers: response.headers as Record<string, string | undefined>,
    body: response.body as Buffer,
  };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const FIXED = ['id', 'created_at', 'form_version', 'spam', 'processing_status'];
const METADATA = ['metadata_ip', 'metadata_user_agent', 'metadata_referer', 'metadata_origin'];

describe('submissions export', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;
  /** Submission ids in creation order (created_at set one second apart). */
  const ids: string[] = [];

  const exportOf = (query: string, status = 200, who: ApiOwner = owner) =>
    rawBody(who.api('get', `/api/forms/${form.id}/submissions/export?${query}`), status);
  const csvRows = (body: Buffer): Record<string, string>[] =>
    parse(body, { bom: true, columns: true }) as Record<string, string>[];

  /** Posts through the public endpoint and returns the stored submission's id. */
  async function submit(data: Record<string, unknown>): Promise<string> {
    await request(test.url)
      .post(form.path)
      .set('User-Agent', 'export-test/1.0')
      .set('Referer', 'https://example.com/contact')
      .send(data)
      .expect(201);
    return latestSubmissionId();
  }

  async function latestSubmissionId(): Promise<string> {
    const row = await test.prisma.submission.findFirstOrThrow({
      where: { formId: form.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return row.id;
  }

  beforeAll(async () => {
    test = await startTestApp();
    owner = await apiOwner(test);
    form = await createForm(owner, { ip_rate_limit: 0 });
    const payloads: Record<string, unknown>[] = [
      {
        email: 'ana@example.com',
        name: 'Zoë, "the" <b>boss</b>',
        message: 'line one\nline two, with a comma; 日本語 😀 <script>alert(1)</script>',
      },
      {
        email: 'eve@example.com',
        name: '=HYPERLINK("http://evil.example","click")',
        message: '+1+2',
      },
      { email: 'mal@example.com', name: '-2+3', message: '@SUM(A1:A9)' },
      { email: 'tab@example.com', name: 'plain', message: 'will become tab and carriage return' },
      { email: 'spam@example.com', name: 'Spammer', message: 'buy now' },
    ];
    const base = Date.now() - 60_000;
    for (const [index, payload] of payloads.entries()) {
      const id = await submit(payload);
      await test.prisma.submission.update({
        where: { id },
        data: { createdAt: new Date(base + index * 1000) },
      });
      ids.push(id);
    }
    // Control characters at the start of a cell, which a form post would not normally carry.
    await test.prisma.submission.update({
      where: { id: ids[3] },
      data: {
        data: { email: 'tab@example.com', name: '\tcmd', message: '\r=1+1' },
        processingStatus: 'failed',
      },
    });
    await owner
      .api('patch', `/api/forms/${form.id}/submissions/${ids[4]}`)
      .send({ spam: true })
      .expect(200);
  });
  afterAll(() => test.close());

  it('streams a UTF-8 CSV with BOM, the documented columns and one row per submission, oldest first', async () => {
    const response = await exportOf('format=csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${form.slug}-submissions.csv"`,
    );
    expect(response.body.subarray(0, 3).equals(BOM)).toBe(true);
    const [header] = parse(response.body, { bom: true, to_line: 1 }) as string[][];
    // The honeypot `website` is not a column.
    expect(header).toEqual([...FIXED, 'email', 'name', 'message', ...METADATA]);
    const rows = csvRows(response.body);
    expect(rows.map((row) => row.id)).toEqual(ids.slice(0, 4)); // default filter: inbox
    expect(rows[0]).toEqual(
      expect.objectContaining({
        form_version: '1',
        spam: 'false',
        processing_status: 'pending',
        metadata_ip: expect.stringMatching(/127\.0\.0\.1/),
        metadata_user_agent: 'export-test/1.0',
        metadata_referer: 'https://example.com/contact',
        metadata_origin: '',
      }),
    );
    expect(new Date(rows[0]?.created_at ?? '').toISOString()).toBe(rows[0]?.created_at);
  });

  it('round-trips commas, quotes, newlines, unicode and HTML through a CSV parser', async () => {
    const [row] = csvRows((await exportOf('format=csv')).body);
    expect(row?.name).toBe('Zoë, "the" <b>boss</b>');
    expect(row?.message).toBe(
      'line one\nline two, with a comma; 日本語 😀 <script>alert(1)</script>',
    );
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const rows = csvRows((await exportOf('format=csv')).body);
    expect(rows[1]).toEqual(
      expect.objectContaining({
        name: `'=HYPERLINK("http://evil.example","click")`,
        message: "'+1+2",
      }),
    );
    expect(rows[2]).toEqual(expect.objectContaining({ name: "'-2+3", message: "'@SUM(A1:A9)" }));
    expect(rows[3]).toEqual(expect.objectContaining({ name: "'\tcmd", message: "'\r=1+1" }));
  });

  it('honours the listing filters', async () => {
    const idsOf = async (query: string) =>
      csvRows((await exportOf(`format=csv&${query}`)).body).map((row) => row.id);
    expect(await idsOf('filter=spam')).toEqual([ids[4]]);
    expect(await idsOf('filter=all')).toEqual(ids);
    expect(await idsOf('processing_status=failed')).toEqual([ids[3]]);
    expect(await idsOf('search=boss')).toEqual([ids[0]]);
    expect(await idsOf('filter=all&search=nothing-matches-this')).toEqual([]);
  });

  it('writes NDJSON lines that are the API’s Submission objects', async () => {
    const response = await exportOf('format=ndjson&filter=all');
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${form.slug}-submissions.ndjson"`,
    );
    const text = response.body.toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line): { id: string } => JSON.parse(line) as { id: string });
    expect(lines.map((line) => line.id)).toEqual(ids);
    const single = await owner
      .api('get', `/api/forms/${form.id}/submissions/${ids[0]}`)
      .expect(200);
    expect(lines[0]).toEqual(single.body.submission);
  });

  it('exports fields of the latest version in CSV, and older fields only in NDJSON', async () => {
    const versioned = await createForm(owner, { ip_rate_limit: 0 });
    await request(test.url)
      .post(versioned.path)
      .send({ email: 'old@example.com', name: 'Old Name', message: 'v1' })
      .expect(201);
    const fields = [
      { name: 'email', type: 'email', rules: [{ op: 'required' }] },
      { name: 'message', type: 'string', rules: [] },
      { name: 'id', type: 'string', rules: [] },
    ];
    await owner
      .api('put', `/api/forms/${versioned.id}`)
      .send({ fields_schema: { fields } })
      .expect(200);
    const csv = await rawBody(
      owner.api('get', `/api/forms/${versioned.id}/submissions/export`),
      200,
    );
    const [header] = parse(csv.body, { bom: true, to_line: 1 }) as string[][];
    // A field named like a fixed column keeps both, prefixed.
    expect(header).toEqual([...FIXED, 'email', 'message', 'data_id', ...METADATA]);
    expect(csvRows(csv.body)[0]).toEqual(
      expect.objectContaining({ email: 'old@example.com', message: 'v1', data_id: '' }),
    );
    const ndjson = await rawBody(
      owner.api('get', `/api/forms/${versioned.id}/submissions/export?format=ndjson`),
      200,
    );
    expect(JSON.parse(ndjson.body.toString('utf8').trim())).toEqual(
      expect.objectContaining({
        form_version: 1,
        data: expect.objectContaining({ name: 'Old Name' }),
      }),
    );
  });

  it('records the export in the audit trail', async () => {
    await exportOf('format=ndjson');
    const events = await test.prisma.auditEvent.findMany({
      where: { userId: owner.id, action: 'submissions.exported', targetId: form.id },
    });
    expect(events.map((event) => event.metadata)).toEqual(
      expect.arrayContaining([{ format: 'csv' }, { format: 'ndjson' }]),
    );
  });

  it('answers 404 for another owner’s form, before any byte of export', async () => {
    const stranger = await apiOwner(test);
    const response = await exportOf('format=csv', 404, stranger);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(JSON.parse(response.body.toString('utf8')).error.code).toBe('not_found');
  });

  it('refuses a key without submissions:read', async () => {
    const { secret } = await createApiKey(owner, { name: 'forms only', scopes: ['forms:read'] });
    const response = await request(test.url)
      .get(`/api/forms/${form.id}/submissions/export`)
      .set('Authorization', `Bearer ${secret}`)
      .expect(403);
    expect(response.body.error.code).toBe('insufficient_scope');
  });

  it('refuses an unknown format with invalid_params', async () => {
    const response = await exportOf('format=xlsx', 400);
    expect(JSON.parse(response.body.toString('utf8')).error.code).toBe('invalid_params');
  });
});
