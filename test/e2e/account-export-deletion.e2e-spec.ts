import { createHmac } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { deriveKey } from '@intake/config';
import { DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, PASSWORD, uniqueEmail, type ApiOwner } from '../support/accounts';
import { asText } from '../support/downloads';
import { createForm, type CreatedForm } from '../support/forms';
import { lastLinkMailTo, linkFrom, pathOf } from '../support/mail-links';
import { startReceiver, type Receiver } from '../support/receivers';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { enableTwoFactor, totpCode } from '../support/two-factor';
import { databaseDump } from '../support/database-dump';

/** What an owner has, and every secret they were shown along the way. */
interface Populated {
  owner: ApiOwner;
  form: CreatedForm;
  submissionToken: string;
  webhookSecret: string;
  totpSecret: string;
  backupCodes: string[];
  /** The sealed cookie of a second browser (signed in with the password and a TOTP code). */
  otherBrowser: TestAgent;
  otherCookie: string;
  submissionIds: string[];
}

interface Archive {
  intake_account_export: number;
  exported_at: string;
  profile: Record<string, unknown>;
  sessions: { id: string }[];
  api_keys: { id: string; prefix: string; last4: string; scopes: string[] }[];
  identities: { provider: string; email: string }[];
  oauth_clients: { name: string; scopes: string[] }[];
  knowledge_bases: { name: string; content: string }[];
  forms: {
    id: string;
    version: number;
    versions: { version: number; endpoint: string; fields_schema: unknown }[];
    destinations: { id: string; type: string; deliveries: { attempts: unknown[] }[] }[];
    submissions: { id: string; spam: boolean; data: Record<string, unknown> }[];
  }[];
  audit_events: { action: string }[];
}

const SESSION_COOKIE = 'intake_session';
let fixtures = 0;

function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : [setCookie ?? ''];
  const session = cookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  if (!session) throw new Error('no session cookie was set');
  return decodeURIComponent(session.split(';')[0]!.slice(SESSION_COOKIE.length + 1));
}

describe('account export and deletion', () => {
  let test: TestApp;
  let sink: SmtpSink;
  let receiver: Receiver;

  beforeAll(async () => {
    sink = await startSmtpSink();
    receiver = await startReceiver();
    test = await startTestApp({
      SMTP_URL: sink.url,
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      // Wrong passwords below count per account; the per-IP budget is shared by the whole file.
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      // Each fixture asks for a reset link from an address of its own (per-IP mail limit).
      TRUST_PROXY: 'loopback',
    });
  });
  afterAll(async () => {
    await test.close();
    await receiver.close();
    await sink.close();
  });

  /** An owner with a bit of everything: forms, versions, submissions, a webhook with deliveries... */
  async function populate(): Promise<Populated> {
    const signedUp = await apiOwner(test);
    const form = await createForm(signedUp, { visibility: 'private', ip_rate_limit: 0 });
    const twoFactor = await enableTwoFactor(signedUp);
    const owner = { ...signedUp, csrf: twoFactor.csrf };
    const submissionToken = form.submission_token!;
    await owner
      .api('put', `/api/forms/${form.id}`)
      .send({
        fields_schema: {
          fields: [
            { name: 'email', type: 'email', rules: [{ op: 'required' }] },
            { name: 'message', type: 'string', rules: [{ op: 'required' }] },
            { name: 'phone', type: 'string', rules: [] },
          ],
        },
      })
      .expect(200);
    await owner
      .api('post', '/api/knowledge_bases')
      .send({ name: 'FAQ', content: 'We open at nine.' })
      .expect(201);
    const destination = await owner
      .api('post', `/api/forms/${form.id}/destinations`)
      .send({ type: 'webhook', name: 'CRM', url: receiver.url })
      .expect(201);
    const submit = (body: Record<string, unknown>, key: string) =>
      request(test.url)
        .post(form.path)
        .set('Authorization', `Bearer ${submissionToken}`)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
    const submissionIds = [
      (await submit({ email: 'ada@example.com', message: 'Hello <b>there</b>' }, `a-${form.id}`))
        .body.id as string,
      (await submit({ email: 'bob@example.com', message: 'Ünïcödé 🦊' }, `b-${form.id}`)).body
        .id as string,
    ];
    await test.app.get(JobRunner).drain();
    await test.app.get(DeliveryRunner).drain();
    // One more, still waiting for processing: its job row is there too.
    submissionIds.push(
      (await submit({ email: 'cy@example.com', message: 'Later' }, `c-${form.id}`)).body
        .id as string,
    );
    // A linked GitHub account (social sign-in is tested on its own; here it is only data).
    await test.prisma.identity.create({
      data: { userId: owner.id, provider: 'github', subject: `gh-${owner.id}`, email: owner.email },
    });
    // A connected MCP client (the OAuth flow is tested on its own; here it is only data).
    await test.prisma.oAuthConnection.create({
      data: {
        userId: owner.id,
        clientId: `client-${owner.id}`,
        clientName: 'Claude <b>Desktop</b>',
        redirectHost: '127.0.0.1',
        scopes: ['forms:read'],
      },
    });
    // An outstanding e-mailed token (its hash lands in account_tokens).
    await request(test.url)
      .post('/auth/password/forgot')
      .set('X-Forwarded-For', `198.51.100.${(fixtures += 1)}`)
      .send({ email: owner.email })
      .expect(202);

    const otherBrowser = request.agent(test.url);
    const login = await otherBrowser
      .post('/auth/login')
      .send({ email: owner.email, password: PASSWORD, code: totpCode(twoFactor.secret, 1) })
      .expect(200);
    return {
      owner,
      form,
      submissionToken,
      webhookSecret: destination.body.destination.secret as string,
      totpSecret: twoFactor.secret,
      backupCodes: twoFactor.backupCodes,
      otherBrowser,
      otherCookie: sessionCookieOf(login.headers['set-cookie']),
      submissionIds,
    };
  }

  async function download(agent: TestAgent): Promise<{ text: string; archive: Archive }> {
    const response = await agent.get('/account/export').buffer(true).parse(asText).expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="intake-account-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.body as string;
    return { text, archive: JSON.parse(text) as Archive };
  }

  const dumpDatabase = () => databaseDump((sql) => test.prisma.$queryRawUnsafe(sql));

  const makeSessionsOld = (userId: string) =>
    test.prisma.session.updateMany({
      where: { userId },
      data: { authenticatedAt: new Date(Date.now() - 24 * 60 * 60 * 1000) },
    });

  describe('export', () => {
    it('holds every kind of data the account has', async () => {
      const data = await populate();
      const { owner, form } = data;
      const { archive } = await download(owner.agent);

      expect(archive.intake_account_export).toBe(1);
      expect(archive.profile).toEqual({
        id: owner.id,
        email: owner.email,
        email_verified: false,
        locale: 'en',
        has_password: true,
        two_factor_enabled: true,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(archive.sessions).toHaveLength(2);
      expect(archive.api_keys).toEqual([
        expect.objectContaining({ prefix: owner.key.slice(0, 12), last4: owner.key.slice(-4) }),
      ]);
      expect(archive.identities).toEqual([
        expect.objectContaining({ provider: 'github', email: owner.email }),
      ]);
      expect(archive.oauth_clients).toEqual([
        expect.objectContaining({ name: 'Claude <b>Desktop</b>', scopes: ['forms:read'] }),
      ]);
      expect(archive.knowledge_bases).toEqual([
        expect.objectContaining({ name: 'FAQ', content: 'We open at nine.' }),
      ]);
      expect(archive.forms).toHaveLength(1);
      const [exportedForm] = archive.forms;
      expect(exportedForm).toEqual(
        expect.objectContaining({ id: form.id, version: 2, visibility: 'private' }),
      );
      expect(exportedForm!.versions.map((version) => version.version)).toEqual([1, 2]);
      expect(exportedForm!.versions[0]!.endpoint).toBe(form.endpoint);
      expect(JSON.stringify(exportedForm!.versions[1]!.fields_schema)).toContain('phone');
      expect(exportedForm!.destinations).toEqual([
        expect.objectContaining({ type: 'webhook', name: 'CRM' }),
      ]);
      expect(exportedForm!.destinations[0]!.deliveries).toHaveLength(2);
      expect(exportedForm!.destinations[0]!.deliveries[0]!.attempts).toHaveLength(1);
      expect(exportedForm!.submissions.map((submission) => submission.id)).toEqual(
        data.submissionIds,
      );
      expect(exportedForm!.submissions[1]!.data).toEqual({
        email: 'bob@example.com',
        message: 'Ünïcödé 🦊',
      });
      const actions = archive.audit_events.map((event) => event.action);
      expect(actions).toEqual(
        expect.arrayContaining(['user.signup', 'form.created', 'user.totp.enabled']),
      );
      // The export is recorded before its first byte, so the archive holds its own record.
      expect(actions.at(-1)).toBe('user.exported');
    });

    it('holds no secret: no password, key, token, webhook secret, session cookie, TOTP seed or hash', async () => {
      const data = await populate();
      const { text } = await download(data.owner.agent);
      const user = await test.prisma.user.findUniqueOrThrow({ where: { id: data.owner.id } });
      const apiKey = await test.prisma.apiKey.findFirstOrThrow({ where: { userId: user.id } });
      const sessions = await test.prisma.session.findMany({ where: { userId: user.id } });
      const destination = await test.prisma.destination.findFirstOrThrow({
        where: { userId: user.id },
      });
      const form = await test.prisma.form.findUniqueOrThrow({ where: { id: data.form.id } });
      const secrets: [string, string][] = [
        ['password', PASSWORD],
        ['API key secret', data.owner.key],
        ['API key secret body', data.owner.key.slice(8)],
        ['submission token', data.submissionToken],
        ['webhook secret', data.webhookSecret],
        ['webhook secret body', data.webhookSecret.slice(6)],
        ['session cookie', data.otherCookie],
        ['TOTP seed', data.totpSecret],
        ...data.backupCodes.map((code): [string, string] => ['backup code', code]),
        ['password hash', user.passwordHash!],
        ['sealed TOTP seed', user.totpSecret!],
        ['sealed backup codes', user.backupCodes!],
        ['sealed webhook secret', destination.secretSealed!],
        ['API key hash', Buffer.from(apiKey.secretHash).toString('hex')],
        ['API key hash (base64)', Buffer.from(apiKey.secretHash).toString('base64')],
        ['submission token hash', Buffer.from(form.submissionTokenHash!).toString('hex')],
        ...sessions.map((session): [string, string] => [
          'session hash',
          Buffer.from(session.tokenHash).toString('hex'),
        ]),
      ];
      expect(secrets.filter(([, secret]) => text.includes(secret)).map(([what]) => what)).toEqual(
        [],
      );
      expect(text).not.toMatch(
        /password_hash|passwordHash|totp_secret|backup_codes|token_hash|secret_hash|secret_sealed|submission_token|"secret"|\$argon2/,
      );
    });

    it('holds nothing of another account', async () => {
      const owner = await populate();
      const other = await populate();
      const { text } = await download(owner.owner.agent);
      for (const foreign of [
        other.owner.id,
        other.owner.email,
        other.form.id,
        ...other.submissionIds,
      ]) {
        expect({ foreign, found: text.includes(foreign) }).toEqual({ foreign, found: false });
      }
    });

    it('streams accounts with more submissions than one batch, all of them, in order', async () => {
      const owner = await apiOwner(test);
      const form = await createForm(owner);
      const version = await test.prisma.formVersion.findFirstOrThrow({
        where: { formId: form.id },
      });
      await test.prisma.$executeRawUnsafe(
        `INSERT INTO submissions (id, form_id, user_id, form_version_id, form_version, data, metadata, created_at)
         SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, 1,
                jsonb_build_object('email', 'n' || n || '@example.com'), '{}'::jsonb,
                now() - (1300 - n) * interval '1 second'
         FROM generate_series(1, 1300) AS n`,
        form.id,
        owner.id,
        version.id,
      );
      const { archive } = await download(owner.agent);
      const emails = archive.forms[0]!.submissions.map((submission) => submission.data.email);
      expect(emails).toHaveLength(1300);
      expect(emails[0]).toBe('n1@example.com');
      expect(emails.at(-1)).toBe('n1300@example.com');
    });

    it('is audited, needs a recent proof of identity, and is for the session only', async () => {
      const owner = await apiOwner(test);
      await download(owner.agent);
      const recorded = await test.prisma.auditEvent.findMany({
        where: { userId: owner.id, action: 'user.exported' },
      });
      expect(recorded).toEqual([
        expect.objectContaining({
          targetType: 'user',
          targetId: owner.id,
          requestId: expect.any(String),
        }),
      ]);

      await makeSessionsOld(owner.id);
      const stale = await owner.agent.get('/account/export').expect(403);
      expect(stale.body.error.code).toBe('reauthentication_required');
      await owner.agent
        .post('/auth/reauthenticate')
        .set('X-CSRF-Token', owner.csrf)
        .send({ password: PASSWORD })
        .expect(200);
      await download(owner.agent);

      await request(test.url).get('/account/export').expect(401);
      await request(test.url)
        .get('/account/export')
        .set('Authorization', `Bearer ${owner.key}`)
        .expect(401);
    });
  });

  describe('deletion', () => {
    /** Rows per table that still name the owner (directly, or through their forms, submissions...). */
    async function leftovers(
      userId: string,
      email: string,
      formIds: string[],
      submissionIds: string[],
    ): Promise<Record<string, number>> {
      const deliveryIds = (
        await test.prisma.delivery.findMany({ where: { submissionId: { in: submissionIds } } })
      ).map((delivery) => delivery.id);
      const p = test.prisma;
      return {
        users: await p.user.count({ where: { OR: [{ id: userId }, { email }] } }),
        sessions: await p.session.count({ where: { userId } }),
        api_keys: await p.apiKey.count({ where: { userId } }),
        account_tokens: await p.accountToken.count({ where: { OR: [{ userId }, { email }] } }),
        identities: await p.identity.count({ where: { OR: [{ userId }, { email }] } }),
        forms: await p.form.count({ where: { OR: [{ userId }, { id: { in: formIds } }] } }),
        form_versions: await p.formVersion.count({
          where: { OR: [{ userId }, { formId: { in: formIds } }] },
        }),
        submissions: await p.submission.count({
          where: { OR: [{ userId }, { id: { in: submissionIds } }] },
        }),
        submission_jobs: await p.submissionJob.count({
          where: { submissionId: { in: submissionIds } },
        }),
        idempotency_keys: await p.idempotencyKey.count({ where: { formId: { in: formIds } } }),
        knowledge_bases: await p.knowledgeBase.count({ where: { userId } }),
        destinations: await p.destination.count({ where: { userId } }),
        deliveries: await p.delivery.count({ where: { userId } }),
        delivery_attempts: await p.deliveryAttempt.count({
          where: { OR: [{ userId }, { deliveryId: { in: deliveryIds } }] },
        }),
        audit_events: await p.auditEvent.count({ where: { userId } }),
      };
    }

    const nothingLeft = (counts: Record<string, number>) =>
      Object.fromEntries(Object.keys(counts).map((table) => [table, 0]));

    const deleteAccount = (agent: TestAgent, csrf: string, body: unknown) =>
      agent
        .delete('/account')
        .set('X-CSRF-Token', csrf)
        .send(body as object);

    it('refuses a wrong password (and counts it), deleting nothing', async () => {
      const { owner } = await populate();
      const before = await dumpDatabase();
      for (let attempt = 0; attempt < 3; attempt++) {
        const wrong = await deleteAccount(owner.agent, owner.csrf, { password: 'not it' });
        expect(wrong.status).toBe(422);
        expect(wrong.body.error.details).toEqual({ password: ['is incorrect'] });
      }
      const gated = await deleteAccount(owner.agent, owner.csrf, { password: PASSWORD });
      expect(gated.status).toBe(429);
      expect(gated.headers['retry-after']).toBeDefined();
      expect(await test.prisma.user.count({ where: { id: owner.id } })).toBe(1);
      // Nothing but the failed attempts' traces changed: every row that was there still is.
      const after = await dumpDatabase();
      expect(before.split('\n').filter((row) => !after.includes(row))).toEqual([]);
    });

    it.each([
      ['no body', undefined, 422],
      ['an empty object', {}, 422],
      ['both confirmations', { password: PASSWORD, confirm: 'x@example.com' }, 422],
      ['a password of the wrong type', { password: 12345678 }, 422],
      ['an oversized password', { password: 'p'.repeat(10_000) }, 422],
      ['an unknown field', { password: PASSWORD, force: true }, 422],
      ['a prototype key', JSON.parse(`{"password":"x","__proto__":{"admin":true}}`) as object, 422],
      ['a JSON array', [PASSWORD], 422],
      ['markup and unicode in the confirmation', { confirm: '<script>🦊</script>' }, 422],
    ])('refuses %s, deleting nothing', async (_, body, status) => {
      const owner = await apiOwner(test);
      const response = await deleteAccount(owner.agent, owner.csrf, body);
      expect(response.status).toBe(status);
      expect(JSON.stringify(response.body)).not.toMatch(/<script>|pppppppp|12345678/);
      expect(await test.prisma.user.count({ where: { id: owner.id } })).toBe(1);
      await owner.agent.get('/account/sessions').expect(200);
    });

    it('refuses without a recent proof of identity, without CSRF, and with an API key', async () => {
      const owner = await apiOwner(test);
      const noCsrf = await owner.agent.delete('/account').send({ password: PASSWORD });
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.body.error.code).toBe('forbidden');
      await request(test.url)
        .delete('/account')
        .set('Authorization', `Bearer ${owner.key}`)
        .send({ password: PASSWORD })
        .expect(401);
      await makeSessionsOld(owner.id);
      const stale = await deleteAccount(owner.agent, owner.csrf, { password: PASSWORD });
      expect(stale.status).toBe(403);
      expect(stale.body.error.code).toBe('reauthentication_required');
      expect(await test.prisma.user.count({ where: { id: owner.id } })).toBe(1);
    });

    it('removes every row of the account, ends its sessions and keys, and leaves others untouched', async () => {
      // The bystander first: its fixture drains every pending job, the owner's would be gone.
      const bystander = await populate();
      const data = await populate();
      const { owner, form } = data;
      const formIds = [form.id];
      const counts = await leftovers(owner.id, owner.email, formIds, data.submissionIds);
      // The fixture really holds a row in each of these tables.
      expect(Object.entries(counts).filter(([, count]) => count === 0)).toEqual([]);
      const bystanderBefore = await leftovers(
        bystander.owner.id,
        bystander.owner.email,
        [bystander.form.id],
        bystander.submissionIds,
      );

      const response = await deleteAccount(owner.agent, owner.csrf, { password: PASSWORD });
      expect(response.status).toBe(204);
      expect(String(response.headers['set-cookie'])).toMatch(
        new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`),
      );

      const left = await leftovers(owner.id, owner.email, formIds, data.submissionIds);
      expect(left).toEqual(nothingLeft(left));
      const dump = await dumpDatabase();
      expect(dump).not.toContain(owner.id);
      expect(dump).not.toContain(owner.email);
      expect(
        await leftovers(
          bystander.owner.id,
          bystander.owner.email,
          [bystander.form.id],
          bystander.submissionIds,
        ),
      ).toEqual(bystanderBefore);

      // Every way in is gone: this browser, the other one, the API key; the endpoint too.
      await owner.agent.get('/account/sessions').expect(401);
      await data.otherBrowser.get('/account/sessions').expect(401);
      expect((await owner.api('get', '/api/forms').expect(401)).body.error.code).toBe(
        'invalid_token',
      );
      const posted = await request(test.url)
        .post(form.path)
        .set('Authorization', `Bearer ${data.submissionToken}`)
        .send({ email: 'late@example.com', message: 'hello?' });
      expect(posted.status).toBe(404);
      await bystander.owner.api('get', '/api/forms').expect(200);
    });

    it('keeps one pseudonymous user.deleted entry, with no e-mail, IP or user agent', async () => {
      const owner = await apiOwner(test);
      const response = await deleteAccount(owner.agent, owner.csrf, { password: PASSWORD })
        .set('User-Agent', 'deleting-browser/1.0')
        .expect(204);
      const pseudonym = createHmac('sha256', deriveKey(test.config.secretKey, 'audit-pseudonym'))
        .update(owner.id)
        .digest('hex');
      const entries = await test.prisma.auditEvent.findMany({ where: { action: 'user.deleted' } });
      const entry = entries.find(
        (candidate) => (candidate.metadata as { pseudonym?: string }).pseudonym === pseudonym,
      );
      expect(entry).toEqual(
        expect.objectContaining({
          userId: null,
          targetType: null,
          targetId: null,
          ip: null,
          userAgent: null,
          requestId: response.headers['x-request-id'],
          metadata: { pseudonym, entries_erased: 2 },
        }),
      );
      const text = JSON.stringify(entry);
      expect(text).not.toContain(owner.email);
      expect(text).not.toContain(owner.email.split('@')[0]);
      expect(text).not.toContain(owner.id);
    });

    it('deletes once when asked twice at the same time', async () => {
      const owner = await apiOwner(test);
      const statuses = (
        await Promise.all([
          deleteAccount(owner.agent, owner.csrf, { password: PASSWORD }),
          deleteAccount(owner.agent, owner.csrf, { password: PASSWORD }),
        ])
      ).map((response) => response.status);
      expect(statuses).toContain(204);
      expect(statuses.filter((status) => status === 204)).toHaveLength(1);
      const pseudonym = createHmac('sha256', deriveKey(test.config.secretKey, 'audit-pseudonym'))
        .update(owner.id)
        .digest('hex');
      const entries = await test.prisma.auditEvent.findMany({ where: { action: 'user.deleted' } });
      expect(
        entries.filter(
          (entry) => (entry.metadata as { pseudonym?: string }).pseudonym === pseudonym,
        ),
      ).toHaveLength(1);
    });

    describe('an account without a password', () => {
      async function magicLinkAccount(): Promise<{
        agent: TestAgent;
        csrf: string;
        email: string;
      }> {
        const email = uniqueEmail('passwordless');
        const agent = request.agent(test.url);
        await agent.post('/auth/magic-link').send({ email }).expect(202);
        const mail = await lastLinkMailTo(test, sink, email, '/auth/magic-link/verify');
        await agent.get(pathOf(linkFrom(mail))).expect(303);
        const csrf = (await agent.get('/auth/csrf').expect(200)).body.csrf_token as string;
        return { agent, csrf, email };
      }

      it('confirms with its e-mail address, typed out (case and spaces aside)', async () => {
        const { agent, csrf, email } = await magicLinkAccount();
        const withPassword = await deleteAccount(agent, csrf, { password: 'anything' });
        expect(withPassword.status).toBe(422);
        expect(withPassword.body.error.details).toEqual({ confirm: [expect.any(String)] });
        const wrong = await deleteAccount(agent, csrf, { confirm: 'someone@example.com' });
        expect(wrong.status).toBe(422);
        expect(wrong.body.error.details).toEqual({
          confirm: ['does not match the account’s e-mail address'],
        });
        expect(await test.prisma.user.count({ where: { email } })).toBe(1);

        await deleteAccount(agent, csrf, { confirm: `  ${email.toUpperCase()} ` }).expect(204);
        expect(await test.prisma.user.count({ where: { email } })).toBe(0);
        expect(await test.prisma.accountToken.count({ where: { email } })).toBe(0);
        await agent.get('/account/sessions').expect(401);
      });
    });
  });
});
