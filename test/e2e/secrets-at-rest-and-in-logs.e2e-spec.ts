import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { CONTACT_SCHEMA } from '../support/forms';
import { AppProcess, buildDist } from '../support/app-process';
import { startReceiver, type Receiver } from '../support/receivers';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { totpCode } from '../support/two-factor';
import { databaseDump } from '../support/database-dump';

const PASSWORD = 'a long and secret passphrase 1';
const NEW_PASSWORD = 'another long secret passphrase 2';
const RESET_PASSWORD = 'a third long secret passphrase 3';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * The promise "no token, code, secret or backup code is stored or logged in plaintext",
 * checked on the production build: `node dist/apps/api/src/main.js` on the embedded
 * database with trace-level logs, driven through every flow that handles a secret. Every
 * secret the flows see is then searched for in everything the process wrote and in every
 * row of every table.
 */
describe('secrets at rest and in logs', () => {
  let dataDir: string;
  let sink: SmtpSink;
  let api: AppProcess;
  let url: string;
  /** Every secret value seen during the flows, by what it is. */
  const secrets = new Map<string, string>();
  /** The searches below mean something only once every flow has run. */
  let flowsCompleted = false;
  let hook: Receiver;

  beforeAll(async () => {
    buildDist();
    dataDir = mkdtempSync(join(tmpdir(), 'intake-secrets-'));
    sink = await startSmtpSink();
    hook = await startReceiver();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = new AppProcess('api', {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
      SMTP_URL: sink.url,
      ALLOW_PRIVATE_DESTINATIONS: 'true',
    });
    for (let attempt = 0; ; attempt += 1) {
      const ready = await fetch(`${url}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (!api.running || attempt > 600) {
        throw new Error(`the api did not start:\n${api.output.join('')}`);
      }
      await sleep(100);
    }
  }, 120_000);

  afterAll(async () => {
    api?.kill('SIGKILL');
    await api?.exited;
    await sink?.close();
    await hook?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The token of the newest mail to `to` whose link goes to `path` (mail is sent after the answer). */
  async function mailedToken(to: string, path: string): Promise<string> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const mail = sink.received
        .filter((received) => received.rcptTo.includes(to))
        .map((received) => /https?:\/\/\S+/.exec(received.parsed.text ?? '')?.[0])
        .filter((link): link is string => link !== undefined && new URL(link).pathname === path)
        .at(-1);
      if (mail) return new URL(mail).searchParams.get('token') ?? '';
      await sleep(50);
    }
    throw new Error(`no mail to ${to} with a link to ${path}`);
  }

  it('runs every flow that handles a secret', async () => {
    const browser = request.agent(url);
    const email = 'secret-keeper@example.com';
    secrets.set('password', PASSWORD);
    const signup = await browser
      .post('/auth/signup')
      .send({ email, password: PASSWORD })
      .expect(201);
    let csrf = signup.body.csrf_token as string;
    secrets.set('csrf token', csrf);
    secrets.set('session cookie', sessionCookieOf(signup.headers['set-cookie']));
    const verification = await mailedToken(email, '/auth/email/verify');
    secrets.set('e-mail verification token', verification);
    await request(url)
      .post('/auth/email/verify')
      .type('form')
      .send({ token: verification })
      .expect(200);

    const magicBrowser = request.agent(url);
    await magicBrowser.post('/auth/magic-link').send({ email }).expect(202);
    const magicLink = await mailedToken(email, '/auth/magic-link/verify');
    secrets.set('magic link token', magicLink);
    await magicBrowser.get(`/auth/magic-link/verify?token=${magicLink}`).expect(303);

    const key = await browser
      .post('/account/api-keys')
      .set('X-CSRF-Token', csrf)
      .send({ name: 'everything' })
      .expect(201);
    const apiKey = key.body.secret as string;
    secrets.set('api key', apiKey);
    secrets.set('api key body', apiKey.slice('ik_live_'.length));
    const api = (method: 'get' | 'post', path: string) =>
      request(url)[method](path).set('Authorization', `Bearer ${apiKey}`);

    const form = await api('post', '/api/forms')
      .send({
        name: 'Private',
        slug: 'private',
        visibility: 'private',
        fields_schema: CONTACT_SCHEMA,
      })
      .expect(201);
    const submissionToken = form.body.form.submission_token as string;
    secrets.set('submission token', submissionToken);
    await request(url)
      .post(new URL(form.body.form.endpoint as string).pathname)
      .set('Authorization', `Bearer ${submissionToken}`)
      .send({ email: 'visitor@example.com', message: 'hello' })
      .expect(201);
    const destination = await api('post', `/api/forms/${form.body.form.id}/destinations`)
      .send({ type: 'webhook', name: 'hook', url: hook.url })
      .expect(201);
    secrets.set('webhook secret', destination.body.destination.secret as string);

    const setup = await browser.post('/account/2fa/setup').set('X-CSRF-Token', csrf).expect(200);
    const totpSecret = setup.body.secret as string;
    secrets.set('totp secret', totpSecret);
    const confirm = await browser
      .post('/account/2fa/confirm')
      .set('X-CSRF-Token', csrf)
      .send({ code: totpCode(totpSecret) })
      .expect(200);
    csrf = confirm.body.csrf_token as string;
    (confirm.body.backup_codes as string[]).forEach((code, index) => {
      secrets.set(`backup code ${index}`, code);
      secrets.set(`backup code ${index} undashed`, code.replace('-', ''));
    });

    const phone = request.agent(url);
    await phone.post('/auth/login').send({ email, password: PASSWORD }).expect(401);
    const code = totpCode(totpSecret, 1);
    await phone.post('/auth/2fa').send({ code }).expect(200);
    await request(url)
      .post('/auth/login')
      .send({ email, password: PASSWORD, code: confirm.body.backup_codes[0] })
      .expect(200);

    const changed = await browser
      .post('/account/password')
      .set('X-CSRF-Token', csrf)
      .send({ current_password: PASSWORD, new_password: NEW_PASSWORD })
      .expect(200);
    secrets.set('new password', NEW_PASSWORD);
    secrets.set('rotated session cookie', sessionCookieOf(changed.headers['set-cookie']));
    csrf = changed.body.csrf_token as string;

    const newEmail = 'secret-keeper-moved@example.com';
    await browser
      .post('/account/email')
      .set('X-CSRF-Token', csrf)
      .send({ email: newEmail })
      .expect(202);
    const change = await mailedToken(newEmail, '/auth/email/confirm');
    secrets.set('e-mail change token', change);
    await request(url).post('/auth/email/confirm').type('form').send({ token: change }).expect(200);

    await request(url).post('/auth/password/forgot').send({ email: newEmail }).expect(202);
    const reset = await mailedToken(newEmail, '/auth/password/reset');
    secrets.set('password reset token', reset);
    await request(url)
      .post('/auth/password/reset')
      .send({ token: reset, password: RESET_PASSWORD })
      .expect(200);
    secrets.set('reset password', RESET_PASSWORD);
    flowsCompleted = true;
  });

  it('finds none of them in anything the process wrote', () => {
    expect(flowsCompleted).toBe(true);
    const output = api.output.join('');
    // The logs are there and detailed (trace level, one line per request)...
    expect(output).toContain('"req":{');
    expect(output).toContain('/account/2fa/confirm');
    // ...and hold no secret.
    const leaked = [...secrets].filter(([, value]) => output.includes(value)).map(([what]) => what);
    expect(leaked).toEqual([]);
  });

  it('finds none of them in any row of any table', async () => {
    expect(flowsCompleted).toBe(true);
    api.kill('SIGTERM');
    await api.exited;
    const db = new PGlite(join(dataDir, 'pglite'));
    try {
      const dump = await databaseDump(async <Row>(sql: string) => (await db.query<Row>(sql)).rows);
      // The dump is real: it holds the account, the form and the submission.
      expect(dump).toContain('secret-keeper-moved@example.com');
      expect(dump).toContain('visitor@example.com');
      const stored = [...secrets].filter(([, value]) => dump.includes(value)).map(([what]) => what);
      expect(stored).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : [setCookie ?? ''];
  const session = cookies.find((cookie) => cookie.startsWith('intake_session='));
  if (!session) throw new Error('no session cookie was set');
  return decodeURIComponent(session.split(';')[0]!.slice('intake_session='.length));
}
