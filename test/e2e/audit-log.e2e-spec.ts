import request from 'supertest';
import { AUDIT_ACTIONS } from '@intake/audit';
import { DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, createApiKey, signUp, type ApiOwner } from '../support/accounts';
import { asText, ndjsonLines } from '../support/downloads';
import { createForm } from '../support/forms';
import { startReceiver, type Receiver } from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';

interface AuditEvent {
  id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  metadata: unknown;
  created_at: string;
}

interface AuditPage {
  data: AuditEvent[];
  meta: { current_page: number; total_pages: number; total_count: number; page_size: number };
}

const AT = (day: number) => new Date(Date.UTC(2020, 0, day));

describe('audit log API', () => {
  let test: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    test = await startTestApp({
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      // The hostile-input cases make many calls with one key.
      API_KEY_RATE_LIMIT_PER_MINUTE: '10000',
    });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await test.close();
  });

  const sessionList = async (owner: ApiOwner, query = ''): Promise<AuditPage> =>
    (await owner.agent.get(`/account/audit-log${query}`).expect(200)).body as AuditPage;
  const bearerList = async (owner: ApiOwner, query = ''): Promise<AuditPage> =>
    (await owner.api('get', `/api/audit-log${query}`).expect(200)).body as AuditPage;

  /** The NDJSON export through the session or the key, checked for its download headers. */
  async function exported(
    owner: ApiOwner,
    via: 'session' | 'bearer',
    query = '',
  ): Promise<AuditEvent[]> {
    const call =
      via === 'session'
        ? owner.agent.get(`/account/audit-log/export${query}`)
        : owner.api('get', `/api/audit-log/export${query}`);
    const response = await call.buffer(true).parse(asText).expect(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="intake-audit-log-\d{4}-\d{2}-\d{2}\.ndjson"$/,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    return ndjsonLines(response.body as string) as AuditEvent[];
  }

  /** Entries at chosen times, as old activity would have left them. */
  async function seed(userId: string, entries: { action: string; at: Date }[]): Promise<string[]> {
    const created = [];
    for (const entry of entries) {
      const row = await test.prisma.auditEvent.create({
        data: { userId, action: entry.action, createdAt: entry.at, requestId: 'seeded' },
      });
      created.push(row.id);
    }
    return created;
  }

  it('records every management action with actor, target, ip, user agent and request id', async () => {
    const owner = await apiOwner(test);
    const agent = 'audit-coverage/1.0';
    const api = (method: Parameters<ApiOwner['api']>[0], path: string) =>
      owner.api(method, path).set('User-Agent', agent);

    const form = await createForm(owner, { ip_rate_limit: 0 });
    await api('put', `/api/forms/${form.id}`).send({ name: 'Renamed' }).expect(200);
    const kb = await api('post', '/api/knowledge_bases')
      .send({ name: 'FAQ', content: 'Open 9-5' })
      .expect(201);
    await api('put', `/api/knowledge_bases/${kb.body.knowledge_base.id as string}`)
      .send({ content: 'Open 9-6' })
      .expect(200);
    await api('delete', `/api/knowledge_bases/${kb.body.knowledge_base.id as string}`).expect(200);
    const destination = await api('post', `/api/forms/${form.id}/destinations`)
      .send({ type: 'webhook', name: 'hook', url: receiver.url })
      .expect(201);
    const destinationPath = `/api/forms/${form.id}/destinations/${destination.body.destination.id as string}`;
    await api('post', `${destinationPath}/regenerate-secret`).expect(200);
    await api('post', `${destinationPath}/enable`).expect(200);
    await request(test.url).post(form.path).send({ email: 'a@example.com', message: 'hi' });
    await test.app.get(JobRunner).drain();
    await test.app.get(DeliveryRunner).drain();
    const deliveries = await api('get', `${destinationPath}/deliveries`).expect(200);
    await api(
      'post',
      `${destinationPath}/deliveries/${deliveries.body.deliveries[0].id as string}/redeliver`,
    ).expect(202);
    await api('get', `/api/forms/${form.id}/submissions/export?format=ndjson`)
      .buffer(true)
      .parse(asText)
      .expect(200);
    const submission = (await api('get', `/api/forms/${form.id}/submissions`).expect(200)).body
      .data[0];
    await api('patch', `/api/forms/${form.id}/submissions/${submission.id as string}`)
      .send({ spam: true })
      .expect(200);
    await api('delete', `/api/forms/${form.id}/submissions/${submission.id as string}`).expect(200);
    await api('delete', destinationPath).expect(200);
    const deleted = await api('delete', `/api/forms/${form.id}`).expect(200);

    const { data } = await bearerList(owner, '?page_size=100');
    const actions = new Set(data.map((event) => event.action));
    for (const action of [
      'user.signup',
      'api_key.created',
      'form.created',
      'form.updated',
      'form.deleted',
      'knowledge_base.created',
      'knowledge_base.updated',
      'knowledge_base.deleted',
      'destination.created',
      'destination.secret_regenerated',
      'destination.enabled',
      'destination.deleted',
      'delivery.redelivered',
      'submissions.exported',
      'submission.spam_marked',
      'submission.deleted',
    ]) {
      expect({ action, recorded: actions.has(action) }).toEqual({ action, recorded: true });
    }
    const formDeleted = data.find((event) => event.action === 'form.deleted')!;
    expect(formDeleted).toEqual(
      expect.objectContaining({
        target_type: 'form',
        target_id: form.id,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        user_agent: agent,
        request_id: deleted.headers['x-request-id'],
      }),
    );
    // Session changes too.
    const other = request.agent(test.url);
    await other
      .post('/auth/login')
      .send({ email: owner.email, password: 'correct horse battery staple' })
      .expect(200);
    await owner.agent
      .post('/account/sessions/revoke-others')
      .set('X-CSRF-Token', owner.csrf)
      .expect(200);
    const sessionActions = (await sessionList(owner, '?action=session.')).data.map((e) => e.action);
    expect(sessionActions).toEqual(['session.revoked_others']);
  });

  it('lists newest first, the same through the session and the key, and pages', async () => {
    const owner = await apiOwner(test);
    await seed(
      owner.id,
      [1, 2, 3, 4, 5].map((day) => ({ action: 'form.updated', at: AT(day) })),
    );

    const viaSession = await sessionList(owner);
    const viaKey = await bearerList(owner);
    expect(viaKey).toEqual(viaSession);
    const times = viaSession.data.map((event) => event.created_at);
    expect(times).toEqual([...times].sort().reverse());
    expect(viaSession.meta).toEqual({
      current_page: 1,
      total_pages: 1,
      total_count: 7, // sign-up, key creation, five seeded
      page_size: 20,
    });

    const second = await bearerList(owner, '?page=2&page_size=3');
    expect(second.meta).toEqual({ current_page: 2, total_pages: 3, total_count: 7, page_size: 3 });
    expect(second.data.map((event) => event.id)).toEqual(
      viaSession.data.slice(3, 6).map((event) => event.id),
    );
    const pastTheEnd = await bearerList(owner, '?page=1000000&page_size=100');
    expect(pastTheEnd.data).toEqual([]);
  });

  it('filters by exact action, by prefix and by time range (from inclusive, to exclusive)', async () => {
    const owner = await apiOwner(test);
    await seed(owner.id, [
      { action: 'user.login.failed', at: AT(1) },
      { action: 'user.login.succeeded', at: AT(2) },
      { action: 'user.logout', at: AT(3) },
      { action: 'form.created', at: AT(4) },
    ]);
    const actionsOf = (page: AuditPage) => page.data.map((event) => event.action);

    expect(actionsOf(await bearerList(owner, '?action=user.login.failed'))).toEqual([
      'user.login.failed',
    ]);
    expect(actionsOf(await bearerList(owner, '?action=user.login.'))).toEqual([
      'user.login.succeeded',
      'user.login.failed',
    ]);
    expect(actionsOf(await sessionList(owner, '?action=user.'))).toEqual([
      'user.signup',
      'user.logout',
      'user.login.succeeded',
      'user.login.failed',
    ]);
    const range = `from=${AT(2).toISOString()}&to=${encodeURIComponent('2020-01-04T01:00:00+01:00')}`;
    expect(actionsOf(await bearerList(owner, `?${range}`))).toEqual([
      'user.logout',
      'user.login.succeeded',
    ]);
    expect(actionsOf(await bearerList(owner, `?${range}&action=user.login.`))).toEqual([
      'user.login.succeeded',
    ]);
  });

  it('exports NDJSON, oldest first, with the same filters, and records the export', async () => {
    const owner = await apiOwner(test);
    await seed(owner.id, [
      { action: 'user.login.failed', at: AT(1) },
      { action: 'form.created', at: AT(2) },
      { action: 'form.deleted', at: AT(3) },
    ]);
    const listed = (await bearerList(owner, '?page_size=100')).data;

    const lines = await exported(owner, 'bearer');
    // The export is recorded before its first byte, so it is the last line of its own file.
    expect(lines.slice(0, -1)).toEqual([...listed].reverse());
    expect(lines.at(-1)?.action).toBe('audit_log.exported');

    const forms = await exported(owner, 'session', `?action=form.&to=${AT(3).toISOString()}`);
    expect(forms.map((event) => event.action)).toEqual(['form.created']);

    const records = (await bearerList(owner, '?action=audit_log.exported')).data;
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual(
      expect.objectContaining({
        target_type: 'user',
        target_id: owner.id,
        metadata: { action: 'form.', to: AT(3).toISOString() },
      }),
    );
  });

  it('streams an export longer than one batch without loss, duplicates or reordering', async () => {
    const owner = await apiOwner(test);
    // 1,200 entries, 700 of them sharing one timestamp: the keyset must break ties by id.
    await test.prisma.$executeRawUnsafe(
      `INSERT INTO audit_events (id, user_id, action, created_at)
       SELECT gen_random_uuid(), $1::uuid, 'form.updated',
              CASE WHEN n <= 700 THEN $2::timestamptz ELSE $2::timestamptz + n * interval '1 second' END
       FROM generate_series(1, 1200) AS n`,
      owner.id,
      AT(1),
    );
    const lines = await exported(owner, 'bearer', '?action=form.updated');
    expect(lines).toHaveLength(1200);
    expect(new Set(lines.map((event) => event.id)).size).toBe(1200);
    const keys = lines.map((event) => `${event.created_at}|${event.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  describe('scopes and tenancy', () => {
    it('refuses a key without audit:read (403 insufficient_scope) on the listing and the export', async () => {
      const owner = await signUp(test);
      const key = await createApiKey(owner, { name: 'forms only', scopes: ['forms:read'] });
      for (const path of ['/api/audit-log', '/api/audit-log/export']) {
        const response = await request(test.url)
          .get(path)
          .set('Authorization', `Bearer ${key.secret}`)
          .expect(403);
        expect(response.body.error.code).toBe('insufficient_scope');
        expect(response.headers['www-authenticate']).toContain('scope="audit:read"');
      }
    });

    it('serves a key holding only audit:read, and a default key (which holds every scope)', async () => {
      const owner = await signUp(test);
      const narrow = await createApiKey(owner, { name: 'siem', scopes: ['audit:read'] });
      await request(test.url)
        .get('/api/audit-log/export')
        .set('Authorization', `Bearer ${narrow.secret}`)
        .expect(200);
      const fallback = await createApiKey(owner, { name: 'default' });
      await request(test.url)
        .get('/api/audit-log')
        .set('Authorization', `Bearer ${fallback.secret}`)
        .expect(200);
    });

    it('needs credentials, and never mixes them', async () => {
      const owner = await apiOwner(test);
      for (const path of [
        '/account/audit-log',
        '/account/audit-log/export',
        '/api/audit-log',
        '/api/audit-log/export',
      ]) {
        expect((await request(test.url).get(path).expect(401)).body.error.code).toBe(
          'unauthorized',
        );
      }
      // The cookie is ignored on the bearer routes, the key on the session routes.
      await owner.agent.get('/api/audit-log/export').expect(401);
      await request(test.url)
        .get('/account/audit-log/export')
        .set('Authorization', `Bearer ${owner.key}`)
        .expect(401);
    });

    it('never shows another owner’s entries, through either listing or either export', async () => {
      const owner = await apiOwner(test);
      const intruder = await apiOwner(test);
      const ownerEntries = await seed(owner.id, [{ action: 'form.deleted', at: AT(9) }]);
      const everything = '?page_size=100';
      const seen = [
        ...(await sessionList(intruder, everything)).data,
        ...(await bearerList(intruder, everything)).data,
        ...(await bearerList(intruder, `${everything}&action=form.deleted`)).data,
        ...(await exported(intruder, 'session')),
        ...(await exported(intruder, 'bearer')),
      ];
      expect(seen.length).toBeGreaterThan(0);
      const ownerIds = new Set(
        (await test.prisma.auditEvent.findMany({ where: { userId: owner.id } })).map((e) => e.id),
      );
      expect(ownerIds.has(ownerEntries[0]!)).toBe(true);
      expect(seen.filter((event) => ownerIds.has(event.id))).toEqual([]);
      expect(JSON.stringify(seen)).not.toContain(owner.id);
    });
  });

  describe('hostile query parameters', () => {
    let owner: ApiOwner;
    beforeAll(async () => {
      owner = await apiOwner(test);
    });

    it.each([
      ['a page beyond the cap', '?page=99999999999'],
      ['a negative page', '?page=-1'],
      ['a fractional page', '?page=1.5'],
      ['a page that is not a number', '?page=abc'],
      ['a zero page size', '?page_size=0'],
      ['an oversized page size', '?page_size=101'],
      ['a repeated page', '?page=1&page=2'],
      [
        'SQL in action',
        `?action=${encodeURIComponent("user.' OR 1=1; DROP TABLE audit_events;--")}`,
      ],
      ['markup in action', `?action=${encodeURIComponent('<script>alert(1)</script>')}`],
      ['a LIKE pattern in action', '?action=%25'],
      ['a prefix without its dot', '?action=user'],
      ['an unknown action', '?action=user.became_admin'],
      ['a huge action', `?action=${'u'.repeat(8_000)}`],
      ['unicode in action', `?action=${encodeURIComponent('usér.🦊')}`],
      ['a repeated action', '?action=user.&action=form.'],
      ['a date without a time', '?from=2026-01-01'],
      ['a time without a zone', '?from=2026-01-01T00:00:00'],
      ['a word for a date', '?to=yesterday'],
      ['an impossible date', '?from=2026-02-30T00:00:00Z'],
      ['a range that ends before it starts', '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
      ['an empty range', '?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
    ])('%s is 400 invalid_params, on every route, echoing nothing', async (_, query) => {
      const [list, bearer, sessionExport, bearerExport] = [
        await owner.agent.get(`/account/audit-log${query}`),
        await owner.api('get', `/api/audit-log${query}`),
        await owner.agent.get(`/account/audit-log/export${query}`).buffer(true).parse(asText),
        await owner.api('get', `/api/audit-log/export${query}`).buffer(true).parse(asText),
      ];
      for (const response of [list!, bearer!]) {
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('invalid_params');
        expect(JSON.stringify(response.body)).not.toMatch(/DROP TABLE|<script>|🦊|uuuuuuuu/);
      }
      // The exports take the filters only: paging parameters are not theirs, and ignored.
      const status = /page/.test(query) ? 200 : 400;
      expect([sessionExport!.status, bearerExport!.status]).toEqual([status, status]);
    });

    it('accepts every known action and every dot-prefix of one', async () => {
      for (const action of AUDIT_ACTIONS) {
        await owner.api('get', `/api/audit-log?action=${action}`).expect(200);
        await owner.api('get', `/api/audit-log?action=${action.split('.')[0]!}.`).expect(200);
      }
    });

    it('ignores unknown parameters, prototype keys included', async () => {
      const response = await owner
        .api('get', '/api/audit-log?__proto__[polluted]=1&constructor[prototype][x]=1&extra=1')
        .expect(200);
      expect(response.body.meta.current_page).toBe(1);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
