import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD, uniqueEmail } from '../support/accounts';
import {
  launchChromium,
  screenshots,
  startBrowserApp,
  startStaticSite,
  type BrowserApp,
  type StaticSite,
} from '../support/browser';
import { totpCode } from '../support/two-factor';

jest.setTimeout(180_000);

/**
 * An owner's journey through the dashboard in a real browser (Debian's chromium): each
 * step builds on the one before, as a new user would go.
 */
describe('the dashboard in a browser', () => {
  let app: BrowserApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const sites: StaticSite[] = [];
  const email = uniqueEmail('browser');
  let secret: string;
  /** The owner's first browser, and a second one that watches the form live. */
  let owner: Page;
  let watcher: Page;

  beforeAll(async () => {
    app = await startBrowserApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    for (const site of sites) await site.close();
    await app?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      baseURL: app.url,
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    // Scripts that throw (or a CSP violation that breaks them) fail the test.
    page.on('pageerror', (error) => {
      throw error;
    });
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  it('signs up from the sign-up page and lands on an empty forms list', async () => {
    owner = await newPage();
    await owner.goto('/sign-in');
    await screenshots(owner, 'sign-in');
    await owner.getByRole('link', { name: 'Create an account' }).click();
    await owner.getByLabel('E-mail').fill(email);
    await owner.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await owner.getByRole('button', { name: 'Create account' }).click();
    await owner.waitForURL(`${app.url}/`);
    await owner.getByText('No forms yet.').waitFor();
  });

  it('turns on 2FA with the secret shown beside the QR code, and gets backup codes', async () => {
    await owner.getByRole('link', { name: 'Security' }).click();
    await owner.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await owner.getByRole('img', { name: /QR code/ }).waitFor();
    await screenshots(owner, 'two-factor-setup');
    secret = (await owner.locator('#totp-secret').textContent())!.trim();
    await owner.getByLabel('The 6-digit code the app shows').fill(totpCode(secret));
    await owner.getByRole('button', { name: 'Turn on' }).click();
    await owner.getByText('Two-factor authentication is on').waitFor();
    const codes = (await owner.locator('#backup-codes').textContent())!.trim().split('\n');
    expect(codes).toHaveLength(10);
    await owner.getByRole('link', { name: 'Done' }).click();
    await owner.getByText('On.').waitFor();
  });

  it('creates a form in the editor, fields and rules through the builder', async () => {
    await owner.getByRole('link', { name: 'Forms' }).click();
    await owner.getByRole('link', { name: 'New form' }).click();
    await owner.locator('#field-name').fill('Contact us');
    await owner.locator('#field-slug').fill('contact');
    // The builder starts from the new form's fields (email, message) and adds two more.
    const builder = owner.locator('.builder');
    await builder.getByRole('button', { name: 'Add a field' }).click();
    expect(
      await owner
        .locator('#builder-2-name')
        .evaluate((input) => input.ownerDocument.activeElement === input),
    ).toBe(true);
    await owner.locator('#builder-2-name').fill('name');
    await owner
      .locator('.builder-field')
      .nth(2)
      .getByRole('button', { name: 'Add a rule' })
      .click();
    await owner.locator('#builder-2-rule-0-op').selectOption('max_length');
    await owner.locator('#builder-2-rule-0-value').fill('100');
    await owner.locator('#builder-2-rule-0-when-field').selectOption('email');
    await owner.locator('#builder-2-rule-0-when-is').selectOption('filled');
    await builder.getByRole('button', { name: 'Add a field' }).click();
    await owner.locator('#builder-3-name').fill('website');
    await owner
      .locator('.builder-field')
      .nth(3)
      .getByRole('button', { name: 'Add a rule' })
      .click();
    await owner.locator('#builder-3-rule-0-op').selectOption('honeypot');
    await screenshots(owner, 'form-editor');

    // What the form posts is the JSON the builder wrote, shown on request.
    await owner.getByRole('button', { name: 'Edit as JSON' }).click();
    expect(JSON.parse(await owner.getByLabel('Fields (JSON)').inputValue())).toEqual({
      fields: [
        { name: 'email', type: 'email', rules: [{ op: 'required' }] },
        {
          name: 'message',
          type: 'string',
          rules: [{ op: 'required' }, { op: 'max_length', value: 5000 }],
        },
        {
          name: 'name',
          type: 'string',
          rules: [{ op: 'max_length', value: 100, when: { field: 'email', is: 'filled' } }],
        },
        { name: 'website', type: 'string', rules: [{ op: 'honeypot' }] },
      ],
    });
    await owner.getByRole('button', { name: 'Back to the builder' }).click();
    await owner.getByLabel('Check submissions for spam').check();
    await owner.getByRole('button', { name: 'Create form' }).click();
    await owner.getByText('Form created.').waitFor();
    await owner.getByRole('heading', { name: 'Contact us' }).waitFor();
  });

  it('shows posts from another site live in a second browser, signed in with a 2FA code', async () => {
    watcher = await newPage();
    await watcher.goto('/sign-in');
    await watcher.getByLabel('E-mail').first().fill(email);
    await watcher.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await watcher.getByRole('button', { name: 'Sign in', exact: true }).click();
    await watcher.waitForURL(`${app.url}/sign-in/2fa`);
    // The enrolment spent the current 30-second step; codes are single-use.
    await watcher.getByLabel('Code').fill(totpCode(secret, 1));
    await watcher.getByRole('button', { name: 'Continue' }).click();
    await watcher.waitForURL(`${app.url}/`);
    await watcher.getByRole('link', { name: 'Contact us' }).click();
    await watcher.getByText('Live: new submissions appear here.').waitFor();
    // Marks this document: a reload would lose it.
    await watcher.evaluate(() => ((globalThis as { loadedOnce?: boolean }).loadedOnce = true));

    await owner.getByText('Copy-paste snippets').click();
    const fetchSnippet = await owner.locator('#snippet-fetch').textContent();
    const htmlSnippet = await owner.locator('#snippet-html').textContent();
    expect(fetchSnippet).toContain(app.url);

    // Another origin posts with both snippets as copied (the form's allowed origins left empty).
    const site = await startStaticSite(
      `<!doctype html><title>Visitor site</title><body>${htmlSnippet}` +
        `<script type="module">${fetchSnippet}\ndocument.title = 'sent ' + response.status;</script>`,
    );
    sites.push(site);
    const visitor = await newPage();
    await visitor.goto(site.url);
    await visitor.waitForFunction("document.title.startsWith('sent ')");
    expect(await visitor.title()).toBe('sent 201');
    await watcher.locator('.submission', { hasText: 'Your message' }).waitFor();

    await visitor.locator('input[name=email]').fill('grace@example.com');
    await visitor.locator('input[name=message]').fill('Sent from a <b>plain</b> form');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.waitForURL((url) => url.origin === app.url);
    await watcher.locator('.submission', { hasText: 'Sent from a <b>plain</b> form' }).waitFor();
    expect(await watcher.locator('.submission').count()).toBe(2);
    // The header's count followed both arrivals.
    await watcher.locator('[data-live-count]', { hasText: /^2$/ }).waitFor();
    expect(await watcher.evaluate(() => (globalThis as { loadedOnce?: boolean }).loadedOnce)).toBe(
      true,
    );
    await screenshots(watcher, 'form');
  });

  it('moves a submission to spam, and finds it in the spam list', async () => {
    const row = watcher.locator('.submission', { hasText: 'grace@example.com' });
    await row.getByRole('button', { name: 'Mark as spam' }).click();
    await watcher.getByText('Moved to spam.').waitFor();
    expect(await watcher.locator('.submission', { hasText: 'grace@example.com' }).count()).toBe(0);
    await watcher.getByRole('link', { name: 'Spam' }).click();
    await watcher.locator('.submission', { hasText: 'grace@example.com' }).waitFor();
    await watcher.getByRole('link', { name: 'Inbox' }).click();
    await watcher.getByText('Live: new submissions appear here.').waitFor();
  });

  it('opens a submission on its own page', async () => {
    await watcher
      .locator('.submission', { hasText: 'ada@example.com' })
      .locator('.submission-meta a')
      .click();
    await watcher.getByRole('heading', { name: /^Submission of/ }).waitFor();
    await watcher.getByText('Smart replies were off for this submission.').waitFor();
    await screenshots(watcher, 'submission');
    await watcher.getByRole('link', { name: 'Contact us' }).click();
    await watcher.getByText('Live: new submissions appear here.').waitFor();
  });

  it('exports the inbox as CSV', async () => {
    await owner.reload();
    const [download] = await Promise.all([
      owner.waitForEvent('download'),
      owner.getByRole('link', { name: 'CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('ada@example.com');
    expect(csv).not.toContain('grace@example.com');
  });

  it('creates an API key, shown once, that works on the API', async () => {
    await owner.getByRole('link', { name: 'API keys' }).click();
    await owner.getByLabel('Name').fill('laptop');
    await owner.getByRole('button', { name: 'Create key' }).click();
    const key = (await owner.locator('#secret').textContent())!.trim();
    expect(key).toMatch(/^ik_live_/);
    const forms = await owner.request.get('/api/forms', {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(forms.status()).toBe(200);
    await owner.getByRole('link', { name: 'Back to API keys' }).click();
    await owner.getByRole('heading', { name: 'laptop' }).waitFor();
    expect(await owner.content()).not.toContain(key);
    await screenshots(owner, 'api-keys');
  });

  it('approves an MCP client on the consent page, and can disconnect it', async () => {
    // The client's own page, on another loopback port: where the browser lands with the code.
    const clientSite = await startStaticSite('<!doctype html><title>Desk agent</title>');
    sites.push(clientSite);
    const redirectUri = new URL('/callback', clientSite.url).toString();
    const registered = await owner.request.post('/oauth/register', {
      data: { client_name: 'Desk agent <b>', redirect_uris: [redirectUri] },
    });
    expect(registered.status()).toBe(201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL('/oauth/authorize', app.url);
    for (const [name, value] of Object.entries({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'forms:read submissions:read',
      resource: `${app.url}/mcp`,
      state: 'browser-test',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(name, value);
    }
    await owner.goto(authorize.toString());
    await owner.getByText('Desk agent <b>').first().waitFor();
    await screenshots(owner, 'oauth-consent');
    await owner.getByRole('button', { name: 'Allow' }).click();
    await owner.waitForURL((url) => url.pathname === '/callback');
    const callback = new URL(owner.url());
    expect(callback.searchParams.get('state')).toBe('browser-test');
    const token = await owner.request.post('/oauth/token', {
      form: {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: redirectUri,
        client_id: clientId,
        code_verifier: verifier,
        resource: `${app.url}/mcp`,
      },
    });
    expect(token.status()).toBe(200);

    await owner.goto('/settings/security');
    const card = owner.locator('.card', { hasText: 'Desk agent <b>' });
    await card.getByText('forms:read, submissions:read').waitFor();
    await card.getByRole('button', { name: 'Disconnect' }).click();
    await owner.getByText('AI client disconnected').waitFor();
    expect(await owner.locator('.card', { hasText: 'Desk agent' }).count()).toBe(0);
  });

  it('shows the audit log and the account page', async () => {
    await owner.getByRole('link', { name: 'Audit log' }).click();
    await owner.getByRole('cell', { name: 'user.totp.enabled' }).waitFor();
    await screenshots(owner, 'audit-log');
    await owner.getByRole('link', { name: 'Account' }).click();
    await owner.getByRole('button', { name: 'Delete my account' }).waitFor();
    await screenshots(owner, 'account');
  });

  it('signs out everywhere else: the other browser’s live list says so at once', async () => {
    await owner.getByRole('link', { name: 'Security' }).click();
    await screenshots(owner, 'security');
    await owner.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await owner.getByText('Every other session is signed out.').waitFor();
    await watcher.getByText('Disconnected — sign in again').waitFor();
    await watcher.reload();
    await watcher.waitForURL(`${app.url}/sign-in`);
    await owner.getByRole('link', { name: 'Forms' }).click();
    await screenshots(owner, 'forms');
  });
});
