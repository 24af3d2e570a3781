import type * as OAuth from 'oauth4webapi';
import { importEsm } from '@intake/common';
import { PASSWORD } from './accounts';
import { PUBLIC_URL, SocialBrowser } from './social-browser';
import { startTestApp, type TestApp } from './test-app';

export { PUBLIC_URL };
export const MCP_RESOURCE = `${PUBLIC_URL}/mcp`;

/** oauth4webapi is ESM-only (see importEsm). */
export function loadOAuth4WebApi(): Promise<typeof OAuth> {
  return importEsm<typeof OAuth>('oauth4webapi');
}

/**
 * An Intake whose public origin is `http://intake.test` (so the issuer is stable and
 * known before the port is), behind a trusted loopback proxy so each test browser has its
 * own IP, with a roomy anonymous budget unless a test wants to hit it.
 */
export function startOAuthTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    PUBLIC_URL,
    TRUST_PROXY: 'loopback',
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: '10000',
    SESSION_RATE_LIMIT_PER_MINUTE: '10000',
    ...env,
  });
}

/** `fetch` for a client library: requests to PUBLIC_URL go to the test server. */
export function intakeFetch(app: { url: string }, ip = '198.51.100.1') {
  return (url: string, init: RequestInit = {}): Promise<Response> => {
    const logical = new URL(url);
    if (logical.origin !== PUBLIC_URL) return fetch(url, init);
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', ip);
    return fetch(new URL(`${logical.pathname}${logical.search}`, app.url), {
      ...init,
      headers,
      redirect: 'manual',
    });
  };
}

/** oauth4webapi options for the test issuer (plain HTTP, served through `intakeFetch`). */
export function clientOptions(o: typeof OAuth, app: { url: string }) {
  return { [o.allowInsecureRequests]: true, [o.customFetch]: intakeFetch(app) };
}

export interface AuthorizationOutcome {
  /** Where Intake finally sent the browser: the client's redirect URI with the response. */
  callback?: URL;
  /** The last Intake page when the flow stopped on one (error, or a form the test answers). */
  page?: { status: number; html: string; headers: Headers };
  consentHtml?: string;
}

export interface ConsentChoice {
  /** Scopes to leave ticked; all offered ones by default. */
  grant?: string[];
  deny?: boolean;
  /** Stop at the consent page instead of answering it (returned as `page`). */
  stop?: boolean;
}

/**
 * A browser that signs in on Intake's own OAuth pages and answers the consent page, driven
 * over HTTP: it follows Intake's redirects and stops at the first one leaving PUBLIC_URL.
 */
export class OAuthBrowser {
  readonly browser: SocialBrowser;

  constructor(
    app: { url: string },
    readonly ip = '203.0.113.10',
  ) {
    this.browser = new SocialBrowser(app, ip);
  }

  signUp(email?: string) {
    return this.browser.signUp(email);
  }

  /**
   * Runs an authorization request: on the sign-in page, signs in as `credentials` (if
   * given); on the consent page, answers per `choice`.
   */
  async authorize(
    url: string | URL,
    choice: ConsentChoice = {},
    credentials?: { email: string; password?: string; code?: string },
  ): Promise<AuthorizationOutcome> {
    let next = String(url);
    let consentHtml: string | undefined;
    for (let hop = 0; hop < 20; hop += 1) {
      if (!next.startsWith(`${PUBLIC_URL}/`)) return { callback: new URL(next), consentHtml };
      const response = await this.browser.request(next);
      const location = response.headers.get('location');
      if (location) {
        next = new URL(location, next).toString();
        continue;
      }
      const html = await response.text();
      const page = { status: response.status, html, headers: response.headers };
      const form = formOf(html);
      if (response.status !== 200 || !form) return { page, consentHtml };
      if (form.action.endsWith('/login')) {
        if (!credentials) return { page, consentHtml };
        const posted = await this.post(form.action, {
          _csrf: form.fields._csrf ?? '',
          email: credentials.email,
          password: credentials.password ?? PASSWORD,
          code: credentials.code ?? '',
        });
        const after = posted.headers.get('location');
        if (!after) {
          return {
            page: { status: posted.status, html: await posted.text(), headers: posted.headers },
          };
        }
        next = new URL(after, next).toString();
        continue;
      }
      if (choice.stop) return { page };
      consentHtml = html;
      const offered = [...html.matchAll(/name="scope" value="([^"]+)"/g)].map((m) => m[1]!);
      const action = choice.deny ? form.action.replace(/\/consent$/, '/deny') : form.action;
      const scopes = choice.deny
        ? []
        : offered.filter((s) => !choice.grant || choice.grant.includes(s));
      const posted = await this.post(action, { _csrf: form.fields._csrf ?? '' }, scopes);
      const after = posted.headers.get('location');
      if (!after) {
        return {
          page: { status: posted.status, html: await posted.text(), headers: posted.headers },
          consentHtml,
        };
      }
      next = new URL(after, next).toString();
    }
    throw new Error('Too many redirects');
  }

  /** A form post from an Intake page (urlencoded, same origin). */
  post(path: string, fields: Record<string, string>, scopes: string[] = []): Promise<Response> {
    const body = new URLSearchParams(fields);
    for (const scope of scopes) body.append('scope', scope);
    return this.browser.request(new URL(path, PUBLIC_URL).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}

/** The first form of a page: its action and hidden fields. */
export function formOf(html: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const [, name, value] of form[2]!.matchAll(
    /type="hidden" name="([^"]+)" value="([^"]*)"/g,
  )) {
    fields[name!] = value!;
  }
  return { action: form[1]!.replace(/&amp;/g, '&'), fields };
}
