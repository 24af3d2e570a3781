import request from 'supertest';
import { API_SCOPES, isApiScope, type ApiScope } from '@intake/auth';
import type {
  OpenApiDocument,
  OpenApiOperation,
} from '../../apps/api/src/openapi/openapi.document';
import type { HttpMethod } from '../../apps/api/src/openapi/openapi.route-types';
import { createApiKey, withApiKey, type ApiOwner } from '../support/accounts';
import { signUpCarryingCookie } from '../support/cookie-session';
import { startMcpTestApp } from '../support/mcp-client';
import { ownerOfEverything, type OwnedResources } from '../support/owned-resources';
import type { TestApp } from '../support/test-app';

/**
 * Every operation of the app's own OpenAPI document, called as a stranger, as another
 * tenant, with a key short of its scope and with the wrong kind of credential. What each
 * must answer comes from the document's `security` and scopes (API.md): 401 without
 * credentials or with the other kind, 403 `insufficient_scope`, 403 without the CSRF
 * token, 404 (never 403 or 2xx) for another tenant's resource. An operation the matrix
 * cannot classify (a new kind of security, a public route without a reason below, a path
 * parameter it cannot fill) fails the first test, so no route skips the matrix. Dashboard
 * pages are not in the document (the dashboard-*.e2e-spec.ts files cover their tenancy).
 */

/** Operations the document lists without `security`, each with why it needs none. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'liveness probe for orchestrators',
  'GET /readyz': 'readiness probe for orchestrators',
  'GET /metrics': 'for Prometheus, with the operator’s METRICS_TOKEN (off without one)',
  'POST /auth/signup': 'creates the account: nobody is signed in yet (foreign Origins refused)',
  'POST /auth/login': 'signs in: nobody is signed in yet (foreign Origins refused)',
  'POST /auth/2fa': 'second sign-in step: the pending sign-in cookie and the code are the proof',
  'POST /auth/magic-link': 'asks for a sign-in link; the same 202 for every address',
  'GET /auth/magic-link/verify': 'the e-mailed link: its single-use token is the credential',
  'POST /auth/magic-link/verify': 'the e-mailed link: its single-use token is the credential',
  'POST /auth/password/forgot': 'asks for a reset link; the same 202 for every address',
  'GET /auth/password/reset': 'the e-mailed link: its single-use token is the credential',
  'POST /auth/password/reset': 'the e-mailed link: its single-use token is the credential',
  'GET /auth/email/verify': 'the e-mailed link: its single-use token is the credential',
  'POST /auth/email/verify': 'the e-mailed link: its single-use token is the credential',
  'GET /auth/email/confirm': 'the e-mailed link: its single-use token is the credential',
  'POST /auth/email/confirm': 'the e-mailed link: its single-use token is the credential',
  'GET /auth/google': 'starts social sign-in',
  'GET /auth/github': 'starts social sign-in',
  'GET /auth/google/callback':
    'the provider’s redirect: sealed state cookie and code are the proof',
  'GET /auth/github/callback':
    'the provider’s redirect: sealed state cookie and code are the proof',
  'GET /api/{opaque}/f/{slug}': 'the public form endpoint describes itself (API.md)',
  'OPTIONS /api/{opaque}/f/{slug}': 'CORS preflight of the public form endpoint',
  'GET /api/{opaque}/f/{slug}/thanks': 'the thank-you page after a plain HTML form post',
  'GET /api/openapi.json': 'this document',
  'GET /api/docs': 'this document as a page',
  'GET /mcp': 'answers 405 to everyone (stateless MCP server: no stream)',
  'DELETE /mcp': 'answers 405 to everyone (stateless MCP server: no session)',
  'GET /.well-known/oauth-protected-resource/mcp': 'OAuth resource metadata (RFC 9728)',
  'GET /.well-known/oauth-protected-resource': 'OAuth resource metadata (RFC 9728)',
  'GET /oauth/interaction/{uid}': 'OAuth sign-in page, bound to one browser by its cookie',
  'POST /oauth/interaction/{uid}/login': 'signs in on the OAuth pages (token-bound form)',
  'POST /oauth/interaction/{uid}/2fa': 'second sign-in step on the OAuth pages',
};

type Access =
  | { kind: 'public'; reason: string }
  /** `[{}, {submissionToken}]`: anyone for public forms, a submission token for private ones. */
  | { kind: 'submission_token' }
  | { kind: 'api_key'; scopes: ApiScope[] }
  | { kind: 'session'; csrf: boolean }
  /** `/mcp`: its own OAuth access tokens only (their scopes: mcp-resource-server.e2e-spec.ts). */
  | { kind: 'oauth' };

interface Operation {
  /** `METHOD /path/{template}`. */
  name: string;
  method: HttpMethod;
  template: string;
  access: Access;
  /** Whether a path parameter names one of the owner's records (a tenancy check applies). */
  owned: boolean;
  operation: OpenApiOperation;
}

/**
 * How each path parameter is filled with the owner's resources, by the segment before it.
 * `owned: false` for names that are the same for everyone.
 */
const PARAMETERS: Record<string, { owned: boolean; value: (r: OwnedResources) => string }> = {
  'forms/{id}': { owned: true, value: (r) => r.form.id },
  'forms/{form_id}': { owned: true, value: (r) => r.form.id },
  'submissions/{id}': { owned: true, value: (r) => r.submission },
  'knowledge_bases/{id}': { owned: true, value: (r) => r.knowledgeBase },
  'destinations/{id}': { owned: true, value: (r) => r.destination },
  'deliveries/{delivery_id}': { owned: true, value: (r) => r.delivery },
  'api-keys/{id}': { owned: true, value: (r) => r.apiKey },
  'sessions/{id}': { owned: true, value: (r) => r.session },
  'oauth-clients/{id}': { owned: true, value: (r) => r.oauthClient },
  'interaction/{uid}': { owned: true, value: (r) => r.interaction },
  'identities/{provider}': { owned: false, value: () => 'github' },
  // The public endpoint: the private form's, so that its token check applies.
  'api/{opaque}': { owned: false, value: (r) => r.privateForm.path.split('/')[2]! },
  'f/{slug}': { owned: false, value: (r) => r.privateForm.slug },
};

/**
 * Valid bodies by operationId, so that another tenant's call gets past validation to the
 * lookup (`csrf`: the caller's token, which the OAuth pages' forms carry as a field).
 */
const TENANT_BODIES: Record<string, (csrf: string) => Record<string, unknown>> = {
  updateForm: () => ({ name: 'Renamed' }),
  updateKnowledgeBase: () => ({ name: 'Renamed' }),
  updateSubmission: () => ({ spam: true }),
  sendSubmissionReply: () => ({ subject: 'Re: hello', content: 'Thanks!' }),
  createDestination: () => ({ type: 'webhook', name: 'Mine', url: 'https://93.184.215.14/hook' }),
  approveOAuthClient: (csrf) => ({ _csrf: csrf, scope: 'forms:read' }),
  denyOAuthClient: (csrf) => ({ _csrf: csrf }),
};

const isEqualJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The access an operation's `security` declares, or why the matrix cannot tell. */
function accessOf(name: string, operation: OpenApiOperation): Access | string {
  const { security } = operation;
  if (security.length === 0) {
    const reason = PUBLIC[name];
    return reason ? { kind: 'public', reason } : 'public in the document but not listed in PUBLIC';
  }
  if (isEqualJson(security, [{}, { submissionToken: [] }])) return { kind: 'submission_token' };
  const [requirement, ...others] = security;
  const schemes = Object.keys(requirement ?? {})
    .sort()
    .join('+');
  if (others.length === 0 && schemes === 'apiKey') {
    const scopes = requirement!.apiKey!;
    if (scopes.length === 0 || !scopes.every(isApiScope)) return `unknown scopes ${scopes}`;
    if (!isEqualJson(scopes, operation['x-scopes'])) return 'x-scopes differs from security';
    return { kind: 'api_key', scopes };
  }
  if (others.length === 0 && schemes === 'mcpOAuth') return { kind: 'oauth' };
  if (others.length === 0 && (schemes === 'sessionCookie' || schemes === 'csrfToken+sessionCookie'))
    return { kind: 'session', csrf: schemes !== 'sessionCookie' };
  return `security ${JSON.stringify(security)} is not one the matrix knows`;
}

const PARAMETER = /([^/]+)\/\{([^}]+)\}/g;

/** Where each path parameter of a template comes from; throws for one it cannot fill. */
function parameterSources(template: string) {
  return [...template.matchAll(PARAMETER)].map(([, segment, name]) => {
    const source = PARAMETERS[`${segment}/{${name}}`];
    if (!source) throw new Error(`no value for {${name}} after ${segment}/`);
    return source;
  });
}

/** The template with every parameter filled with the owner's resources. */
const pathOf = (template: string, resources: OwnedResources) =>
  template.replace(
    PARAMETER,
    (_, segment: string, name: string) =>
      `${segment}/${PARAMETERS[`${segment}/{${name}}`]!.value(resources)}`,
  );

/** Every operation of the document the matrix can check, and why it cannot check the rest. */
function classify(document: OpenApiDocument): { operations: Operation[]; problems: string[] } {
  const problems: string[] = [];
  const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).flatMap(([method, operation]): Operation[] => {
      const name = `${method.toUpperCase()} ${template}`;
      try {
        const owned = parameterSources(template).some((source) => source.owned);
        const access = accessOf(name, operation);
        if (typeof access === 'string') throw new Error(access);
        return [{ name, method: method as HttpMethod, template, access, owned, operation }];
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
        return [];
      }
    }),
  );
  return { operations, problems };
}

type Credential =
  | { kind: 'none' }
  | { kind: 'bearer'; secret: string }
  | { kind: 'cookie'; cookie: string; csrf?: string };

interface Row {
  operation: string;
  status: number;
  code?: string;
  /** `WWW-Authenticate`, where it is checked. */
  challenge?: string;
}

describe('authorization matrix', () => {
  let test: TestApp;
  let operations: Operation[];
  let problems: string[];
  let a: OwnedResources;
  let b: ApiOwner & { cookie: string };
  const keysWithout = new Map<ApiScope, string>();

  beforeAll(async () => {
    test = await startMcpTestApp({ API_KEY_RATE_LIMIT_PER_MINUTE: '100000' });
    const document = await request(test.url).get('/api/openapi.json').expect(200);
    ({ operations, problems } = classify(document.body as OpenApiDocument));
    a = await ownerOfEverything(test);
    b = await withApiKey(test, await signUpCarryingCookie(test));
    for (const scope of API_SCOPES) {
      const scopes = API_SCOPES.filter((other) => other !== scope);
      keysWithout.set(scope, (await createApiKey(a.owner, { name: `no ${scope}`, scopes })).secret);
    }
  });
  afterAll(() => test.close());

  const ofKind = <Kind extends Access['kind']>(kind: Kind) =>
    operations.filter(
      (operation): operation is Operation & { access: Extract<Access, { kind: Kind }> } =>
        operation.access.kind === kind,
    );

  function call(
    operation: Operation,
    credential: Credential,
    body?: Record<string, unknown>,
  ): request.Test {
    const pending = request(test.url)[operation.method](pathOf(operation.template, a));
    // /mcp checks Host against PUBLIC_URL (DNS rebinding) before any credential.
    if (operation.access.kind === 'oauth') pending.set('Host', new URL(test.config.publicUrl).host);
    if (credential.kind === 'bearer') pending.set('Authorization', `Bearer ${credential.secret}`);
    if (credential.kind === 'cookie') {
      pending.set('Cookie', credential.cookie);
      if (credential.csrf) pending.set('X-CSRF-Token', credential.csrf);
    }
    if (body) {
      const type = Object.keys(operation.operation.requestBody?.content ?? {})[0];
      pending.type(type ?? 'application/json').send(body);
    }
    return pending.buffer(true);
  }

  /** What the response says, in the fields `expected` has. */
  const rowOf = (
    operation: Operation,
    response: request.Response,
    expected: Omit<Row, 'operation'>,
  ): Row => {
    const code: unknown = (response.body as { error?: { code?: unknown } } | undefined)?.error
      ?.code;
    return {
      operation: operation.name,
      status: response.status,
      ...(expected.code !== undefined ? { code: typeof code === 'string' ? code : '-' } : {}),
      ...(expected.challenge !== undefined
        ? { challenge: String(response.headers['www-authenticate']) }
        : {}),
    };
  };

  /** Calls each operation and compares all answers at once: the diff lists every miss. */
  async function expectAnswers(
    cases: { operation: Operation; send: () => request.Test; expected: Omit<Row, 'operation'> }[],
  ): Promise<void> {
    const observed: Row[] = [];
    for (const { operation, send, expected } of cases) {
      observed.push(rowOf(operation, await send(), expected));
    }
    expect(observed).toEqual(
      cases.map(({ operation, expected }) => ({ operation: operation.name, ...expected })),
    );
  }

  type User = ApiOwner & { cookie: string };
  const cookieOf = (user: User): Credential => ({
    kind: 'cookie',
    cookie: user.cookie,
    csrf: user.csrf,
  });
  const bearerOf = (user: User): Credential => ({ kind: 'bearer', secret: user.key });
  /** The kind of credential the operation takes, of this user. */
  const credentialOf = (operation: Operation, user: User) =>
    operation.access.kind === 'api_key' ? bearerOf(user) : cookieOf(user);
  /** A valid body from `TENANT_BODIES`; null when the operation needs one the table lacks. */
  const bodyFor = (operation: Operation, csrf: string) => {
    const body = TENANT_BODIES[operation.operation.operationId];
    if (body) return body(csrf);
    return operation.operation.requestBody?.required ? null : undefined;
  };

  it('knows how to check every operation of the document', () => {
    expect(problems).toEqual([]);
    const names = new Set(operations.map((operation) => operation.name));
    expect(Object.keys(PUBLIC).filter((name) => !names.has(name))).toEqual([]);
    expect(ofKind('api_key').length).toBeGreaterThan(20);
    expect(ofKind('session').length).toBeGreaterThan(20);
    expect(ofKind('submission_token')).toHaveLength(1);
    expect(ofKind('oauth').map((operation) => operation.name)).toEqual(['POST /mcp']);
    // Another tenant's call must reach the lookup: every such operation has a valid body.
    const unsendable = operations.filter(
      (operation) =>
        operation.owned && operation.access.kind !== 'public' && bodyFor(operation, '') === null,
    );
    expect(unsendable.map((operation) => operation.operation.operationId)).toEqual([]);
  });

  it('refuses every protected operation without credentials: 401', async () => {
    await expectAnswers(
      operations
        .filter((operation) => operation.access.kind !== 'public')
        .map((operation) => ({
          operation,
          send: () => call(operation, { kind: 'none' }),
          expected: { status: 401, code: 'unauthorized' },
        })),
    );
  });

  it('refuses the other kind of credential: a cookie for a key, a key for a cookie, 401', async () => {
    await expectAnswers([
      ...ofKind('api_key').map((operation) => ({
        operation,
        send: () => call(operation, cookieOf(a.owner)),
        expected: { status: 401, code: 'unauthorized' },
      })),
      ...ofKind('session').map((operation) => ({
        operation,
        send: () => call(operation, bearerOf(a.owner)),
        expected: { status: 401, code: 'unauthorized' },
      })),
      // /mcp takes its OAuth access tokens, neither the owner's API key nor their cookie.
      ...ofKind('oauth').flatMap((operation) => [
        {
          operation,
          send: () => call(operation, bearerOf(a.owner)),
          expected: { status: 401, code: 'invalid_token' },
        },
        {
          operation,
          send: () => call(operation, cookieOf(a.owner)),
          expected: { status: 401, code: 'unauthorized' },
        },
      ]),
      // A private form's endpoint takes its submission token, not the owner's key or cookie.
      ...ofKind('submission_token').flatMap((operation) => [
        {
          operation,
          send: () => call(operation, bearerOf(a.owner)),
          expected: { status: 401, code: 'invalid_token' },
        },
        {
          operation,
          send: () => call(operation, cookieOf(a.owner)),
          expected: { status: 401, code: 'unauthorized' },
        },
      ]),
    ]);
  });

  it('refuses an API key without the operation’s scope: 403 insufficient_scope', async () => {
    await expectAnswers(
      ofKind('api_key').map((operation) => {
        const [missing] = operation.access.scopes;
        return {
          operation,
          send: () => call(operation, { kind: 'bearer', secret: keysWithout.get(missing!)! }),
          expected: {
            status: 403,
            code: 'insufficient_scope',
            challenge: `Bearer error="insufficient_scope", scope="${missing}"`,
          },
        };
      }),
    );
  });

  it('refuses a state-changing cookie request without the CSRF token: 403', async () => {
    await expectAnswers(
      ofKind('session')
        .filter((operation) => operation.access.csrf)
        .map((operation) => ({
          operation,
          send: () => call(operation, { kind: 'cookie', cookie: a.owner.cookie }),
          expected: { status: 403, code: 'forbidden' },
        })),
    );
  });

  it('hides every resource of user A from user B: 404, never 403 or 2xx', async () => {
    const tenancy = operations.filter(
      (operation) => operation.owned && operation.access.kind !== 'public',
    );
    // The ids are real: A reaches what B cannot (safe methods only; the rest would change it).
    await expectAnswers(
      tenancy
        .filter((operation) => operation.method === 'get')
        .map((operation) => ({
          operation,
          send: () => call(operation, credentialOf(operation, a.owner)),
          expected: { status: 200 },
        })),
    );
    await expectAnswers(
      tenancy.map((operation) => ({
        operation,
        send: () =>
          call(operation, credentialOf(operation, b), bodyFor(operation, b.csrf) ?? undefined),
        expected: { status: 404 },
      })),
    );
  });

  it('shows nothing of user A in what user B reads', async () => {
    const mine = [
      a.owner.id,
      a.owner.email,
      a.form.id,
      a.privateForm.id,
      a.submission,
      a.knowledgeBase,
      a.destination,
      a.delivery,
      a.apiKey,
      a.session,
      a.oauthClient,
    ];
    const leaks: { operation: string; leaked: string[] }[] = [];
    for (const operation of operations) {
      if (operation.method !== 'get' || operation.owned || operation.access.kind === 'public')
        continue;
      const response = await call(operation, credentialOf(operation, b));
      expect({ operation: operation.name, status: response.status }).toEqual({
        operation: operation.name,
        status: 200,
      });
      const leaked = mine.filter((value) => response.text.includes(value));
      if (leaked.length > 0) leaks.push({ operation: operation.name, leaked });
    }
    expect(leaks).toEqual([]);
  });

  it('serves every public operation to a stranger without a 5xx', async () => {
    const failures: Row[] = [];
    for (const operation of ofKind('public')) {
      const response = await call(operation, { kind: 'none' });
      if (response.status >= 500) failures.push(rowOf(operation, response, { status: 0 }));
    }
    expect(failures).toEqual([]);
  });
});
