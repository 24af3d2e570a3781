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
import { CONTACT_SCHEMA } from '../support/forms';
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

  it('creates a form in the editor', async () => {
    await owner.getByRole('link', { name: 'Forms' }).click();
    await owner.getByRole('link', { name: 'New form' }).click();
    await owner.getByLabel('Name').fill('Contact us');
    await owner.getByLabel('Slug').fill('contact');
    await owner.getByLabel('Fields (JSON)').fill(JSON.stringify(CONTACT_SCHEMA, null, 2));
    await owner.getByLabel('Check submissions for spam').check();
    await screenshots(owner, 'form-editor');
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
