import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { BROWSER_PATHS } from '@intake/auth';
import { AppProcess, buildDist } from '../support/app-process';
import { uniqueEmail } from '../support/accounts';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-google';
import { callbackUrl, PUBLIC_URL, SocialBrowser } from '../support/social-browser';

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
 * "No provider token, code or secret is stored or logged", on the production build with
 * trace-level logs: successful and failing Google and GitHub flows, then every secret they
 * involved is searched for in everything the process wrote.
 */
describe('social sign-in in the logs', () => {
  const GOOGLE_SECRET = `google-secret-${randomBytes(16).toString('hex')}`;
  const GITHUB_SECRET = `github-secret-${randomBytes(16).toString('hex')}`;
  let google: FakeGoogle;
  let github: FakeGitHub;
  let api: AppProcess;
  let dataDir: string;
  let intake: { url: string };

  beforeAll(async () => {
    buildDist();
    dataDir = mkdtempSync(join(tmpdir(), 'intake-social-logs-'));
    google = await startFakeGoogle({
      clientId: 'intake-google',
      clientSecret: GOOGLE_SECRET,
      redirectUri: callbackUrl('google'),
    });
    github = await startFakeGitHub({ clientId: 'intake-github', clientSecret: GITHUB_SECRET });
    const port = await freePort();
    intake = { url: `http://127.0.0.1:${port}` };
    api = new AppProcess('api', {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
      TRUST_PROXY: 'loopback',
      ...google.env,
      ...github.env,
    });
    for (let attempt = 0; ; attempt += 1) {
      const ready = await fetch(`${intake.url}/readyz`).then(
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
    await google?.close();
    await github?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('never writes a token, code, state, verifier or client secret', async () => {
    const secrets: string[] = [GOOGLE_SECRET, GITHUB_SECRET];
    const remember = (callback: string) => {
      const query = new URL(callback, PUBLIC_URL).searchParams;
      secrets.push(query.get('code')!, query.get('state')!);
    };

    // GitHub: a new account, then a code planted in another browser's flow (PKCE refusal).
    github.user = { id: 77, login: 'logs' };
    github.emails = [{ email: uniqueEmail('logs'), primary: true, verified: true }];
    const first = new SocialBrowser(intake, '192.0.2.1');
    const signIn = await first.authorize('github');
    remember(signIn.callback);
    secrets.push(first.cookie('intake_oauth_github')!);
    expect((await first.request(signIn.callback)).headers.get('location')).toBe(
      BROWSER_PATHS.dashboard,
    );
    const victim = new SocialBrowser(intake, '192.0.2.2');
    const { callback: victims } = await victim.authorize('github');
    const { callback: attackers } = await new SocialBrowser(intake, '192.0.2.3').authorize(
      'github',
    );
    remember(victims);
    remember(attackers);
    const planted = new URL(victims, PUBLIC_URL);
    planted.searchParams.set('code', new URL(attackers, PUBLIC_URL).searchParams.get('code')!);
    expect(
      (await victim.request(`${planted.pathname}${planted.search}`)).headers.get('location'),
    ).toBe(`${BROWSER_PATHS.signIn}?error=provider_error`);
    // A broken profile answer.
    github.emails = 'not json';
    const brokenBrowser = new SocialBrowser(intake, '192.0.2.4');
    const broken = await brokenBrowser.authorize('github');
    remember(broken.callback);
    expect((await brokenBrowser.request(broken.callback)).headers.get('location')).toBe(
      `${BROWSER_PATHS.signIn}?error=provider_error`,
    );
    // Google: a new account.
    await google.nextLogin({ sub: 'logs-1', email: uniqueEmail('logs'), email_verified: true });
    const googleBrowser = new SocialBrowser(intake, '192.0.2.5');
    const googles = await googleBrowser.authorize('google');
    remember(googles.callback);
    secrets.push(googleBrowser.cookie('intake_oauth_google')!);
    expect((await googleBrowser.request(googles.callback)).headers.get('location')).toBe(
      BROWSER_PATHS.dashboard,
    );

    secrets.push(...github.issuedTokens, ...(await google.issued()));
    secrets.push(...github.exchanges.map((exchange) => exchange.codeVerifier!));
    expect(secrets.filter((secret) => !secret)).toEqual([]);
    expect(secrets.length).toBeGreaterThan(15);

    // Give the process a moment to flush its last lines.
    await sleep(200);
    const output = api.output.join('');
    expect(output).toMatch(/"path":"\/auth\/github\/callback"/);
    expect(output).toContain('The provider exchange failed');
    expect(output).toContain('The provider sent an unexpected answer on /user/emails');
    for (const secret of secrets)
      expect({ secret, logged: output.includes(secret) }).toEqual({ secret, logged: false });
  });
});
