import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { apiOwner, PASSWORD, signUp, uniqueEmail, type ApiOwner } from '../support/accounts';
import { createForm, type CreatedForm } from '../support/forms';
import { lastLinkMailTo, linkFrom, pathOf } from '../support/mail-links';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';
import { enableTwoFactor, totpCode } from '../support/two-factor';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_TEXT = '<script>alert("x")</script><b onclick="steal()">bold</b> & "quotes"';

/** The CSRF token a signed-in page carries in its forms. */
function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

function expectStrictPage(response: request.Response): void {
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.headers['cache-control']).toBe('no-store');
  const policy = String(response.headers['content-security-policy']);
  expect(policy).toContain("default-src 'none'");
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("style-src 'self'");
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain('unsafe-eval');
  // No inline script or style at all: the policy would block them, the page must not need them.
  expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(response.text).not.toMatch(/<style|\sstyle=/);
}

describe('dashboard pages', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;

  beforeAll(async () => {
    sink = await startSmtpSink();
    test = await startTestApp({ SMTP_URL: sink.url });
    owner = await apiOwner(test);
    // No per-IP limit: every test posts its submissions from this one address.
    form = await createForm(owner, { name: HOSTILE_NAME, ip_rate_limit: 0 });
  });
  afterAll(async () => {
    await test.close();
    await sink.close();
  });

  const submit = (target: CreatedForm, data: Record<string, unknown>) =>
    request(test.url)
      .post(target.path)
      .send({ email: 'visitor@example.com', message: 'hello', ...data })
      .expect(201)
      .then((response) => response.body.id as string);

  /** A page as the owner's browser sees it. */
  const page = (path: string, agent: TestAgent = owner.agent) => agent.get(path);

  describe('security of every page', () => {
    it('serves public and signed-in pages with the strict CSP, uncached, with no inline code', async () => {
      const id = await submit(form, {});
      for (const path of ['/sign-in', '/sign-up', '/sign-in/2fa']) {
        expectStrictPage(await request(test.url).get(path).expect(200));
      }
      for (const path of ['/', `/forms/${form.id}`, `/forms/${form.id}?filter=all&search=hello`]) {
        expectStrictPage(await page(path).expect(200));
      }
      const row = await page(`/forms/${form.id}/submissions/${id}/row`).expect(200);
      expect(row.headers['cache-control']).toBe('no-store');
      expect(row.text).toMatch(/^<li class="submission"/);
    });

    it('serves its assets same-origin: one stylesheet, the script, and the socket.io client', async () => {
      const css = await request(test.url).get('/assets/app.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
      const script = await request(test.url).get('/assets/dashboard.js').expect(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
      expect(script.headers['x-content-type-options']).toBe('nosniff');
      const client = await request(test.url).get('/socket.io/socket.io.min.js').expect(200);
      expect(client.headers['content-type']).toMatch(/javascript/);
      await request(test.url).get('/assets/../package.json').expect(404);
      await request(test.url).get('/assets/').expect(404);
    });

    it('sends a browser without a session to sign-in instead of a JSON 401', async () => {
      const id = await submit(form, {});
      const anonymous = request(test.url);
      for (const path of ['/', `/forms/${form.id}`, `/forms/${form.id}/submissions/${id}/row`]) {
        const response = await anonymous.get(path).expect(303);
        expect(response.headers.location).toBe('/sign-in');
      }
      const post = await anonymous
        .post(`/forms/${form.id}/submissions/${id}/spam`)
        .type('form')
        .send({ _csrf: owner.csrf, spam: 'true' })
        .expect(303);
      expect(post.headers.location).toBe('/sign-in');
      // The API keeps its JSON answer.
      await anonymous.get('/account/sessions').expect(401);
    });

    it('refuses a post without the CSRF token, or with another session’s, and changes nothing', async () => {
      const id = await submit(form, {});
      const path = `/forms/${form.id}/submissions/${id}/spam`;
      const missing = await owner.agent.post(path).type('form').send({ spam: 'true' }).expect(403);
      expect(missing.headers['content-type']).toMatch(/^text\/html/);
      expect(missing.text).toContain('CSRF');
      const other = await signUp(test);
      await owner.agent
        .post(path)
        .type('form')
        .send({ _csrf: other.csrf, spam: 'true' })
        .expect(403);
      await owner.agent.post(`/forms/${form.id}/submissions/${id}/delete`).type('form').expect(403);
      await owner.agent.post('/sign-out').type('form').send({}).expect(403);
      const stored = await test.prisma.submission.findUniqueOrThrow({ where: { id } });
      expect(stored.spam).toBe(false);
      await page('/').expect(200);
    });

    it('takes form posts only: JSON to a page route is a 415', async () => {
      const id = await submit(form, {});
      await owner.agent
        .post(`/forms/${form.id}/submissions/${id}/spam`)
        .set('X-CSRF-Token', owner.csrf)
        .send({ spam: true })
        .expect(415);
    });

    it('escapes a hostile form name and hostile submitted text everywhere it shows them', async () => {
      const id = await submit(form, { name: HOSTILE_TEXT, message: HOSTILE_NAME });
      const pages = [
        (await page('/').expect(200)).text,
        (await page(`/forms/${form.id}?filter=all`).expect(200)).text,
        (await page(`/forms/${form.id}/submissions/${id}/row`).expect(200)).text,
      ];
      for (const html of pages) {
        expect(html).not.toContain('<img src=x');
        expect(html).not.toContain('<script>alert');
        expect(html).not.toContain('<b onclick');
        expect(html).toContain('&lt;img src=x onerror=alert(1)>');
      }
      expect(pages[1]).toContain('<title>&lt;img src=x onerror=alert(1)> · Intake</title>');
      expect(pages[2]).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script>');
    });
  });

  describe('sign-up, sign-in and sign-out', () => {
    const browser = () => request.agent(test.url);

    it('signs up through the form and lands on the forms list', async () => {
      const agent = browser();
      const email = uniqueEmail('page-signup');
      const response = await agent
        .post('/sign-up')
        .type('form')
        .send({ email, password: PASSWORD })
        .expect(303);
      expect(response.headers.location).toBe('/');
      const home = await agent.get('/').expect(200);
      expect(home.text).toContain(email);
      expect(home.text).toContain('No forms yet');
    });

    it('re-renders the sign-up form with field errors, never echoing the password', async () => {
      const response = await browser()
        .post('/sign-up')
        .type('form')
        .send({ email: 'not-an-address', password: 'short-secret-x'.slice(0, 5) })
        .expect(422);
      expect(response.text).toContain('role="alert"');
      expect(response.text).toMatch(/id="field-email-error"/);
      expect(response.text).toMatch(/id="field-password-error"/);
      expect(response.text).not.toContain('short');
      expect(response.text).toContain('value="not-an-address"');
      const taken = await browser()
        .post('/sign-up')
        .type('form')
        .send({ email: owner.email, password: PASSWORD })
        .expect(409);
      expect(taken.text).toContain('already exists');
    });

    it('refuses sign-in posts from a foreign origin (login CSRF)', async () => {
      for (const path of ['/sign-in', '/sign-up', '/sign-in/magic-link', '/sign-in/2fa']) {
        await browser()
          .post(path)
          .set('Origin', 'https://evil.example')
          .type('form')
          .send({ email: owner.email, password: PASSWORD })
          .expect(403);
      }
    });

    it('signs in with a password; a wrong one or an unknown address is the same refusal', async () => {
      const user = await signUp(test);
      const wrong = await browser()
        .post('/sign-in')
        .type('form')
        .send({ email: user.email, password: 'not the password' })
        .expect(401);
      const unknown = await browser()
        .post('/sign-in')
        .type('form')
        .send({ email: uniqueEmail('nobody'), password: 'not the password' })
        .expect(401);
      expect(wrong.text).toContain('Invalid email or password');
      expect(unknown.text.replace(/value="[^"]*"/g, '')).toBe(
        wrong.text.replace(/value="[^"]*"/g, ''),
      );
      const agent = browser();
      const ok = await agent
        .post('/sign-in')
        .type('form')
        .send({ email: user.email, password: PASSWORD })
        .expect(303);
      expect(ok.headers.location).toBe('/');
      await agent.get('/').expect(200);
    });

    it('asks for the code when 2FA is on, and signs in only with a right one', async () => {
      const user = await enableTwoFactor(await signUp(test));
      const agent = browser();
      const first = await agent
        .post('/sign-in')
        .type('form')
        .send({ email: user.email, password: PASSWORD })
        .expect(303);
      expect(first.headers.location).toBe('/sign-in/2fa');
      // No session yet: the dashboard still sends this browser to sign in.
      expect((await agent.get('/').expect(303)).headers.location).toBe('/sign-in');
      const wrong = await agent.post('/sign-in/2fa').type('form').send({ code: '000000' });
      expect([401, 422]).toContain(wrong.status);
      expect(wrong.text).toContain('role="alert"');
      const right = await agent
        .post('/sign-in/2fa')
        .type('form')
        .send({ code: totpCode(user.secret, 1) })
        .expect(303);
      expect(right.headers.location).toBe('/');
      await agent.get('/').expect(200);
      // A browser with no pending sign-in cannot use the step.
      await browser().post('/sign-in/2fa').type('form').send({ code: '123456' }).expect(401);
    });

    it('e-mails a sign-in link from the page; opened in that browser it signs in', async () => {
      const user = await signUp(test);
      const agent = browser();
      const asked = await agent
        .post('/sign-in/magic-link')
        .type('form')
        .send({ email: user.email })
        .expect(303);
      expect(asked.headers.location).toBe('/sign-in?notice=link_sent');
      const notice = await agent.get(asked.headers.location!).expect(200);
      expect(notice.text).toContain('a link is on its way');
      const mail = await lastLinkMailTo(test, sink, user.email, '/auth/magic-link/verify');
      const opened = await agent.get(pathOf(linkFrom(mail))).expect(303);
      expect(opened.headers.location).toBe('/');
      await agent.get('/').expect(200);
      const invalid = await browser()
        .post('/sign-in/magic-link')
        .type('form')
        .send({ email: 'x'.repeat(300) })
        .expect(422);
      expect(invalid.text).toContain('id="field-email-error"');
    });

    it('shows the configured social buttons only, and explains a provider’s refusal', async () => {
      const plain = await browser().get('/sign-in?error=provider_denied').expect(200);
      expect(plain.text).not.toContain('/auth/google');
      expect(plain.text).toContain('Sign-in was cancelled at the provider.');
      const garbage = await browser().get('/sign-in?error=<script>&notice=__proto__').expect(200);
      expect(garbage.text).not.toContain('<script>');
      const social = await startTestApp({
        GOOGLE_CLIENT_ID: 'google-id',
        GOOGLE_CLIENT_SECRET: 'google-secret',
        GITHUB_CLIENT_ID: 'github-id',
        GITHUB_CLIENT_SECRET: 'github-secret',
      });
      try {
        const page = await request(social.url).get('/sign-in').expect(200);
        expect(page.text).toContain('href="/auth/google"');
        expect(page.text).toContain('href="/auth/github"');
      } finally {
        await social.close();
      }
    });

    it('signs out: the session ends and the pages send the browser to sign in', async () => {
      const user = await signUp(test);
      const home = await user.agent.get('/').expect(200);
      const out = await user.agent
        .post('/sign-out')
        .type('form')
        .send({ _csrf: csrfOf(home.text) })
        .expect(303);
      expect(out.headers.location).toBe('/sign-in?notice=signed_out');
      expect((await user.agent.get('/').expect(303)).headers.location).toBe('/sign-in');
      await user.agent.get('/auth/csrf').expect(401);
    });
  });

  describe('forms and submissions', () => {
    it('lists the owner’s forms with their submission counts, and no one else’s', async () => {
      const mine = await apiOwner(test);
      const counted = await createForm(mine, { name: 'Counted', ip_rate_limit: 0 });
      await createForm(mine, { name: 'Empty one' });
      await submit(counted, {});
      await submit(counted, {});
      const other = await apiOwner(test);
      await createForm(other, { name: 'Not yours' });
      const html = (await page('/', mine.agent).expect(200)).text;
      expect(html).toContain('Counted');
      expect(html).toContain('Empty one');
      expect(html).not.toContain('Not yours');
      expect(html).toMatch(/Counted<\/a><\/th>.*?data-label="Submissions" class="numeric">2</s);
    });

    it('shows the endpoint and working snippets of the form', async () => {
      const html = (await page(`/forms/${form.id}`).expect(200)).text;
      expect(html).toContain(form.endpoint);
      expect(html).toContain('id="snippet-fetch"');
      expect(html).toContain('id="snippet-html"');
      expect(html).toContain('id="snippet-curl"');
      expect(html).toContain(`data-live-form="${form.id}"`);
      // The honeypot is in the HTML snippet (hidden), never in the JSON samples.
      expect(html).toContain('&lt;p hidden>');
    });

    it('filters inbox / spam / all, searches and pages', async () => {
      const mine = await apiOwner(test);
      const target = await createForm(mine, { ip_rate_limit: 0 });
      for (let i = 0; i < 23; i++) await submit(target, { message: `note number ${i}` });
      await submit(target, { message: 'needle in the haystack' });
      const first = (await page(`/forms/${target.id}`, mine.agent).expect(200)).text;
      expect(first.match(/class="submission"/g)).toHaveLength(20);
      expect(first).toContain('Page 1 of 2');
      expect(first).toContain('data-live-insert="true"');
      const second = (await page(`/forms/${target.id}?page=2`, mine.agent).expect(200)).text;
      expect(second.match(/class="submission"/g)).toHaveLength(4);
      expect(second).toContain('data-live-insert="false"');
      const found = (await page(`/forms/${target.id}?search=needle`, mine.agent).expect(200)).text;
      expect(found.match(/class="submission"/g)).toHaveLength(1);
      expect(found).toContain('needle in the haystack');
      const empty = (await page(`/forms/${target.id}?search=&filter=`, mine.agent).expect(200))
        .text;
      expect(empty.match(/class="submission"/g)).toHaveLength(20);
      const spam = (await page(`/forms/${target.id}?filter=spam`, mine.agent).expect(200)).text;
      expect(spam).toContain('No submissions here yet.');
      // The API's status filters, kept by the tabs, the pages and the export.
      const pending = (
        await page(`/forms/${target.id}?processing_status=pending`, mine.agent).expect(200)
      ).text;
      expect(pending.match(/class="submission"/g)).toHaveLength(20);
      expect(pending).toContain('data-live-insert="false"');
      expect(pending).toContain('<option value="pending" selected>');
      expect(pending).toContain(`href="/forms/${target.id}?processing_status=pending&amp;page=2"`);
      expect(pending).toContain(
        `href="/forms/${target.id}?filter=spam&amp;processing_status=pending"`,
      );
      expect(pending).toContain('processing_status=pending&amp;format=csv');
      const replied = (
        await page(
          `/forms/${target.id}?reply_status=delivered&processing_status=`,
          mine.agent,
        ).expect(200)
      ).text;
      expect(replied).toContain('No submission matches.');
      await page(`/forms/${target.id}?reply_status=%3Cscript%3E`, mine.agent).expect(400);
      await page(`/forms/${target.id}?filter=nonsense`, mine.agent).expect(400);
      await page(`/forms/${target.id}?search=${'x'.repeat(201)}`, mine.agent).expect(400);
      await page(`/forms/${target.id}?page=0`, mine.agent).expect(400);
    });

    it('moves a submission to spam and back, and deletes it, with a notice after each', async () => {
      const id = await submit(form, { message: 'to be judged' });
      const home = await page(`/forms/${form.id}`).expect(200);
      const csrf = csrfOf(home.text);
      const marked = await owner.agent
        .post(`/forms/${form.id}/submissions/${id}/spam`)
        .type('form')
        .send({ _csrf: csrf, spam: 'true', filter: 'inbox' })
        .expect(303);
      expect(marked.headers.location).toBe(`/forms/${form.id}?notice=marked_spam`);
      expect((await test.prisma.submission.findUniqueOrThrow({ where: { id } })).spam).toBe(true);
      expect((await page(marked.headers.location!).expect(200)).text).toContain('Moved to spam.');
      // The live list's row answer: gone from the inbox, present in spam.
      await page(`/forms/${form.id}/submissions/${id}/row?filter=inbox`).expect(204);
      const spamRow = await page(`/forms/${form.id}/submissions/${id}/row?filter=spam`).expect(200);
      expect(spamRow.text).toContain('Not spam');
      const back = await owner.agent
        .post(`/forms/${form.id}/submissions/${id}/spam`)
        .type('form')
        .send({ _csrf: csrf, spam: 'false', filter: 'spam' })
        .expect(303);
      expect(back.headers.location).toBe(`/forms/${form.id}?filter=spam&notice=marked_not_spam`);
      const deleted = await owner.agent
        .post(`/forms/${form.id}/submissions/${id}/delete`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      expect(deleted.headers.location).toBe(`/forms/${form.id}?notice=deleted`);
      expect(await test.prisma.submission.findUnique({ where: { id } })).toBeNull();
      await page(`/forms/${form.id}/submissions/${id}/row`).expect(404);
    });

    it('refuses malformed and hostile action posts as errors, changing nothing', async () => {
      const id = await submit(form, {});
      const path = `/forms/${form.id}/submissions/${id}/spam`;
      const send = (body: string) =>
        owner.agent
          .post(path)
          .type('form')
          .send(`_csrf=${encodeURIComponent(owner.csrf)}&${body}`);
      expect((await send('spam=maybe')).status).toBe(422);
      expect((await send('spam=true&constructor=x')).status).toBe(422);
      expect((await send('spam=true&spam=false')).status).toBe(422);
      expect((await send(`spam=true&filter=${'\u{1F600}'.repeat(50)}`)).status).toBe(422);
      const huge = await send(`spam=true&x=${'a'.repeat(test.config.env.BODY_LIMIT_BYTES)}`);
      expect(huge.status).toBe(413);
      expect((await test.prisma.submission.findUniqueOrThrow({ where: { id } })).spam).toBe(false);
      // The body parser drops `__proto__` keys: nothing is polluted, the rest is read as sent.
      expect((await send('spam=false&__proto__=x')).status).toBe(303);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      // Flat fields only: a bracketed name is just an unknown field.
      expect((await send('spam=false&__proto__[polluted]=yes')).status).toBe(422);
      await owner.agent
        .post(`/forms/${form.id}/submissions/not-a-uuid/spam`)
        .type('form')
        .send({ _csrf: owner.csrf, spam: 'true' })
        .expect(404);
    });

    it('shows, changes and deletes nothing of another owner’s (404, as in the API)', async () => {
      const id = await submit(form, {});
      const other = await signUp(test);
      const csrf = csrfOf((await other.agent.get('/').expect(200)).text);
      const notFound = await other.agent.get(`/forms/${form.id}`).expect(404);
      expectStrictPage(notFound);
      expect(notFound.text).toContain('Form not found');
      await other.agent.get(`/forms/${form.id}/submissions/${id}/row`).expect(404);
      await other.agent
        .post(`/forms/${form.id}/submissions/${id}/spam`)
        .type('form')
        .send({ _csrf: csrf, spam: 'true' })
        .expect(404);
      await other.agent
        .post(`/forms/${form.id}/submissions/${id}/delete`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(404);
      const stored = await test.prisma.submission.findUniqueOrThrow({ where: { id } });
      expect(stored.spam).toBe(false);
    });
  });
});
