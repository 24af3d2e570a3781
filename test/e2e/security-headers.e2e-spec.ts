import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { withApiKey, type ApiOwner } from '../support/accounts';
import { signUpCarryingCookie } from '../support/cookie-session';
import { createForm, type CreatedForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The security headers on every kind of response Intake gives, whoever produces it: Nest
 * controllers, the error filter, Express's static files, the body parser, oidc-provider,
 * and socket.io (which answers its own paths before Express). http-stack.e2e-spec.ts holds
 * the request id, the unknown route's error body and the production session cookie.
 */
interface Site {
  test: TestApp;
  owner: ApiOwner & { cookie: string };
  form: CreatedForm;
  host: string;
}

interface ResponseKind {
  name: string;
  status: number;
  /** HTML for a browser: the CSP is what protects it. */
  html: boolean;
  call: (site: Site) => request.Test;
}

const anonymous = (site: Site) => request(site.test.url);

const KINDS: ResponseKind[] = [
  {
    name: 'a JSON API answer',
    status: 200,
    html: false,
    call: ({ owner }) => owner.api('get', '/api/forms'),
  },
  {
    name: 'a JSON validation error',
    status: 422,
    html: false,
    call: ({ owner }) => owner.api('post', '/api/forms').send({ name: '' }),
  },
  {
    name: 'an unknown route',
    status: 404,
    html: false,
    call: (site) => anonymous(site).get('/no-such-route'),
  },
  {
    name: 'a signed-in dashboard page',
    status: 200,
    html: true,
    call: ({ owner }) => owner.agent.get('/'),
  },
  {
    name: 'the sign-in page',
    status: 200,
    html: true,
    call: (site) => anonymous(site).get('/sign-in'),
  },
  {
    name: 'a dashboard redirect (303)',
    status: 303,
    html: false,
    call: (site) => anonymous(site).get('/'),
  },
  {
    name: 'a public endpoint’s documentation page',
    status: 200,
    html: true,
    call: (site) => anonymous(site).get(site.form.path).set('Accept', 'text/html'),
  },
  {
    name: 'a plain HTML form post’s redirect (303)',
    status: 303,
    html: false,
    call: (site) =>
      anonymous(site)
        .post(site.form.path)
        .type('form')
        .send({ email: 'ada@example.com', message: 'Hello' }),
  },
  {
    name: 'the thank-you page',
    status: 200,
    html: true,
    call: (site) => anonymous(site).get(`${site.form.path}/thanks`),
  },
  {
    name: 'a static stylesheet',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/assets/app.css'),
  },
  {
    name: 'a static script',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/assets/dashboard.js'),
  },
  {
    name: 'the socket.io client script',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/socket.io/socket.io.min.js'),
  },
  {
    name: 'a refused socket.io handshake (no Origin)',
    status: 403,
    html: false,
    call: (site) => anonymous(site).get('/socket.io/?EIO=4&transport=polling'),
  },
  {
    name: 'the OpenID configuration',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/.well-known/openid-configuration'),
  },
  {
    name: 'the OAuth authorization server metadata',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/.well-known/oauth-authorization-server'),
  },
  {
    name: 'the protected resource metadata of /mcp',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/.well-known/oauth-protected-resource/mcp'),
  },
  {
    name: 'the JWKS',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/oauth/jwks'),
  },
  {
    name: 'a token endpoint error',
    status: 400,
    html: false,
    call: (site) =>
      anonymous(site).post('/oauth/token').type('form').send({ grant_type: 'password' }),
  },
  {
    name: 'an authorization endpoint error page',
    status: 400,
    html: true,
    call: (site) => anonymous(site).get('/oauth/authorize?client_id=nobody&response_type=code'),
  },
  {
    name: 'an OAuth interaction error page',
    status: 404,
    html: true,
    call: (site) => anonymous(site).get('/oauth/interaction/unknown'),
  },
  {
    name: '/mcp without a token (401)',
    status: 401,
    html: false,
    call: (site) =>
      anonymous(site)
        .post('/mcp')
        .set('Host', site.host)
        .set('Accept', 'application/json, text/event-stream')
        .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  },
  {
    name: 'the OpenAPI document',
    status: 200,
    html: false,
    call: (site) => anonymous(site).get('/api/openapi.json'),
  },
  {
    name: 'the API docs page',
    status: 200,
    html: true,
    call: (site) => anonymous(site).get('/api/docs'),
  },
];

/** `default-src 'none'; script-src 'self'` -> `{'default-src': ["'none'"], ...}`. */
function directivesOf(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

const HSTS = 'max-age=63072000; includeSubDomains; preload';

const MODES = [
  ['development', { PUBLIC_URL: 'http://intake.test' }, false],
  [
    'production',
    {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://forms.example.com',
      SECRET_KEY: randomBytes(32).toString('base64'),
    },
    true,
  ],
] as const;

describe.each(MODES)('security headers in %s', (_, env, production) => {
  let site: Site;

  beforeAll(async () => {
    const test = await startTestApp(env);
    const owner = await withApiKey(test, await signUpCarryingCookie(test));
    const form = await createForm(owner, { ip_rate_limit: 0 });
    site = { test, owner, form, host: new URL(env.PUBLIC_URL).host };
  });
  afterAll(() => site.test.close());

  it.each(KINDS.map((kind) => [kind.name, kind] as const))('on %s', async (_name, kind) => {
    const response = await kind.call(site);
    expect(response.status).toBe(kind.status);
    expect(String(response.headers['content-type']).startsWith('text/html')).toBe(kind.html);
    const headers = response.headers as Record<string, string | undefined>;

    const csp = directivesOf(headers['content-security-policy'] ?? '');
    expect(csp).toEqual(
      expect.objectContaining({
        'default-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
      }),
    );
    // No inline or evaluated code, no foreign or data: scripts and styles.
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy']).toEqual(expect.stringMatching(/(^|, )camera=\(\)(, |$)/));
    expect(headers['permissions-policy']).toContain('microphone=()');
    expect(headers['permissions-policy']).toContain('geolocation=()');
    expect(headers['strict-transport-security']).toBe(production ? HSTS : undefined);
    expect(headers['x-powered-by']).toBeUndefined();
  });
});
