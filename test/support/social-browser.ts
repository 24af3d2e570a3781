import type { SocialProvider } from '@intake/auth';
import { PASSWORD, uniqueEmail } from './accounts';

/** Intake's PUBLIC_URL in the social sign-in tests: the callback URL registered with the fakes. */
export const PUBLIC_URL = 'http://intake.test';

export const callbackUrl = (provider: SocialProvider) => `${PUBLIC_URL}/auth/${provider}/callback`;

/**
 * A browser, driven by hand, for OAuth flows that cross Intake and the fake providers: one
 * cookie jar per origin, redirects followed one by one so each can be looked at. Intake's
 * public origin (PUBLIC_URL) is served by the test server; its requests carry the browser's
 * own IP in `X-Forwarded-For` (the tests run with TRUST_PROXY=loopback), so per-IP limits
 * apply per browser.
 */
export class SocialBrowser {
  private readonly jars = new Map<string, Map<string, string>>();
  csrf = '';

  constructor(
    /** The Intake server (a TestApp, or a production build's process). */
    private readonly intake: { url: string },
    readonly ip: string,
  ) {}

  /** One request, no redirect followed; cookies kept as a browser keeps them. */
  async request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Response> {
    const logical = new URL(url, PUBLIC_URL);
    const toIntake = logical.origin === PUBLIC_URL;
    const target = toIntake
      ? new URL(`${logical.pathname}${logical.search}`, this.intake.url)
      : logical;
    const cookies = [...this.jar(logical.origin)].map(([name, value]) => `${name}=${value}`);
    const response = await fetch(target, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      body: init.body,
      headers: {
        ...(cookies.length > 0 ? { cookie: cookies.join('; ') } : {}),
        ...(toIntake ? { 'x-forwarded-for': this.ip } : {}),
        ...init.headers,
      },
    });
    for (const header of response.headers.getSetCookie()) this.keep(logical.origin, header);
    return response;
  }

  /** A JSON call to Intake, with the CSRF token once signed in. */
  async json<Body = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Body }> {
    const response = await this.request(path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Body };
  }

  /** A password account, signed up (and signed in) in this browser. */
  async signUp(email = uniqueEmail()): Promise<{ id: string; email: string }> {
    const { status, body } = await this.json<{
      user: { id: string; email: string };
      csrf_token: string;
    }>('POST', '/auth/signup', { email, password: PASSWORD });
    if (status !== 201) throw new Error(`sign-up answered ${status}`);
    this.csrf = body.csrf_token;
    return body.user;
  }

  /** Picks up the CSRF token of the current session (after a sign-in by redirect). */
  async refreshCsrf(): Promise<void> {
    const { status, body } = await this.json<{ csrf_token: string }>('GET', '/auth/csrf');
    this.csrf = status === 200 ? body.csrf_token : '';
  }

  /**
   * Starts a flow at Intake and follows it through the provider up to the redirect back to
   * Intake's callback, which is returned (path and query) without being requested.
   */
  async authorize(provider: SocialProvider): Promise<{ start: Response; callback: string }> {
    const start = await this.request(`/auth/${provider}`);
    if (start.status !== 302) throw new Error(`GET /auth/${provider} answered ${start.status}`);
    let location = start.headers.get('location') ?? '';
    for (let hop = 0; hop < 10; hop += 1) {
      if (location.startsWith(`${callbackUrl(provider)}?`)) {
        return { start, callback: location.slice(PUBLIC_URL.length) };
      }
      const response = await this.request(location);
      const next = response.headers.get('location');
      if (!next) throw new Error(`${location} answered ${response.status} with no redirect`);
      location = new URL(next, location).toString();
    }
    throw new Error('Too many redirects');
  }

  /** The whole round trip: the callback's answer (a 303 to where the browser lands). */
  async signInWith(provider: SocialProvider): Promise<Response> {
    return this.request((await this.authorize(provider)).callback);
  }

  cookie(name: string): string | undefined {
    return this.jar(PUBLIC_URL).get(name);
  }

  setCookie(name: string, value: string): void {
    this.jar(PUBLIC_URL).set(name, value);
  }

  private jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  /** Set-Cookie as a browser applies it (paths ignored: every test path is under `/`). */
  private keep(origin: string, header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const split = pair.indexOf('=');
    const [name, value] = [pair.slice(0, split), pair.slice(split + 1)];
    const expired = attributes.some(
      (attribute) =>
        /^max-age=(0|-\d+)$/i.test(attribute) ||
        (/^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) < Date.now()),
    );
    if (expired || value === '') this.jar(origin).delete(name);
    else this.jar(origin).set(name, value);
  }
}
