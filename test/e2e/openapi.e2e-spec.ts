import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type Type } from '@nestjs/common';
import { MetadataScanner } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { z } from 'zod';
import { AUTH_POLICY, type AuthPolicy } from '@intake/auth';
import { importEsm } from '@intake/common';
import { AppModule } from '../../apps/api/src/app.module';
import { DASHBOARD_PAGE } from '../../apps/api/src/dashboard/dashboard-page.decorator';
import { isDashboardPath } from '../../apps/api/src/dashboard/dashboard-paths';
import { McpBearerGuard } from '../../apps/api/src/mcp/mcp-bearer.guard';
import { renderOpenApiHtml } from '../../apps/api/src/openapi/openapi-html';
import {
  buildOpenApiDocument,
  type OpenApiDocument,
} from '../../apps/api/src/openapi/openapi.document';
import { RESPONSE_SCHEMAS } from '../../apps/api/src/openapi/openapi.schemas';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { createForm } from '../support/forms';
import { startTestApp, type TestApp } from '../support/test-app';

type ValidatorModule = typeof import('@seriousme/openapi-schema-validator');

interface Route {
  method: string;
  path: string;
}

/** `/api/forms/:formId/submissions/{id}` -> `/api/forms/{}/submissions/{}`. */
const normalize = (path: string) => path.replace(/:[^/]+|\{[^}]+\}/g, '{}');
const key = (route: Route) => `${route.method.toUpperCase()} ${normalize(route.path)}`;

/**
 * What Express actually routes: every layer with a route, every method of it. Nest mounts
 * route-bound middleware (e.g. the request logger's) as `all()` routes on a wildcard;
 * those answer every method and serve no endpoint, so they are left out.
 */
function expressRoutes(test: TestApp): Route[] {
  const express = test.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack.flatMap((layer) => {
    const route = layer.route;
    if (!route || route.methods._all || Object.keys(route.methods).length > 7) return [];
    return Object.keys(route.methods).map((method) => ({ method, path: route.path }));
  });
}

/**
 * What the controllers declare: path, method and auth policy from Nest's metadata, and
 * whether it is a dashboard page (`@DashboardPage()`: HTML for people, not the HTTP API).
 */
/** `oauth`: the route is public to the AuthGuard and guarded by McpBearerGuard instead. */
function declaredRoutes(
  test: TestApp,
): (Route & { policy: AuthPolicy; page: boolean; oauth: boolean })[] {
  const controllers = (AppModule.register(test.config).controllers ?? []) as Type[];
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const page = Reflect.getMetadata(DASHBOARD_PAGE, controller) === true;
    // As Nest's router finds handlers: inherited ones too (the audit log's twin controllers).
    return new MetadataScanner().getAllMethodNames(controller.prototype).flatMap((name) => {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function') return [];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) return [];
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      const path = `/${[base, sub].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
      const policy = (Reflect.getMetadata(AUTH_POLICY, handler) ??
        Reflect.getMetadata(AUTH_POLICY, controller)) as AuthPolicy;
      const guards = (Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[];
      const oauth = guards.includes(McpBearerGuard);
      return [{ method: RequestMethod[method].toLowerCase(), path, policy, page, oauth }];
    });
  });
}

function documentedRoutes(document: OpenApiDocument): Route[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method, path })),
  );
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [name, child] of Object.entries(value)) {
      if (name === '$ref' && typeof child === 'string') found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  let test: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    test = await startTestApp();
    const response = await request(test.url).get('/api/openapi.json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.body as OpenApiDocument;
  });
  afterAll(() => test.close());

  it('is a valid OpenAPI 3.1 document whose $refs all resolve', async () => {
    const { Validator } = await importEsm<ValidatorModule>('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    for (const ref of refsIn(document)) {
      const [, section, name] = /^#\/components\/(schemas|headers)\/(.+)$/.exec(ref) ?? [];
      expect({
        ref,
        found: Boolean(section && name && document.components[section as 'schemas']?.[name!]),
      }).toEqual({
        ref,
        found: true,
      });
    }
    expect(document.servers).toEqual([{ url: test.config.publicUrl }]);
    // The validator does check: a broken copy fails.
    const broken = structuredClone(document) as unknown as Record<string, unknown>;
    (broken.paths as Record<string, Record<string, unknown>>)['/healthz']!.get = { responses: 1 };
    expect((await new Validator().validate(broken)).valid).toBe(false);
    // And the test app serves it, so a snapshot for tools:
    writeFileSync(join(tmpdir(), 'intake-openapi.json'), JSON.stringify(document, null, 2));
  });

  it('needs no credentials and is not rate limited', async () => {
    const response = await request(test.url).get('/api/openapi.json').expect(200);
    expect(response.headers['ratelimit-limit']).toBeUndefined();
  });

  /** The one exclusion: dashboard pages, which must stay out of the API's paths. */
  const pageRoutes = () =>
    new Set(
      declaredRoutes(test)
        .filter((route) => route.page)
        .map(key),
    );

  it('leaves out only the dashboard pages, which live outside the API’s paths', () => {
    const pages = declaredRoutes(test).filter((route) => route.page);
    expect(pages.length).toBeGreaterThan(5);
    for (const route of pages) {
      expect({ route: key(route), dashboardPath: isDashboardPath(route.path) }).toEqual({
        route: key(route),
        dashboardPath: true,
      });
      expect(route.path).not.toMatch(/^\/(api|auth|account|oauth|mcp|\.well-known)(\/|$)/);
    }
    const documented = new Set(documentedRoutes(document).map(key));
    expect(pages.filter((route) => documented.has(key(route)))).toEqual([]);
    expect(['/', '/api/forms', '/auth/login'].map(isDashboardPath)).toEqual([true, false, false]);
  });

  it('documents every route the app registers, and no other', () => {
    const routes = expressRoutes(test);
    const pages = pageRoutes();
    const registered = new Set(routes.map(key).filter((route) => !pages.has(route)));
    const documented = new Set(documentedRoutes(document).map(key));
    expect(registered.size).toBeGreaterThan(30);
    expect([...registered].filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => !registered.has(route))).toEqual([]);
  });

  it('states each route’s real auth policy and scopes', () => {
    const declared = declaredRoutes(test).filter((route) => !route.page);
    expect(declared.length).toBe(documentedRoutes(document).length);
    for (const route of declared) {
      const operation =
        document.paths[
          Object.keys(document.paths).find((path) => normalize(path) === normalize(route.path))!
        ]![route.method]!;
      const { policy } = route;
      const expected =
        policy.kind === 'api_key'
          ? [{ apiKey: [...policy.scopes] }]
          : policy.kind === 'session'
            ? [
                ['get', 'head', 'options'].includes(route.method)
                  ? { sessionCookie: [] }
                  : { sessionCookie: [], csrfToken: [] },
              ]
            : route.oauth
              ? [{ mcpOAuth: [] }]
              : // Public routes: none, except the form's POST, which private forms guard with a token.
                route.method === 'post' && route.path.includes('/f/')
                ? [{}, { submissionToken: [] }]
                : [];
      expect({ route: key(route), security: operation.security }).toEqual({
        route: key(route),
        security: expected,
      });
      expect(operation['x-scopes']).toEqual(policy.kind === 'api_key' ? policy.scopes : []);
      const sensitive = policy.kind === 'session' && policy.recentAuth;
      expect({
        route: key(route),
        sensitive: operation.description.includes('Sensitive:'),
      }).toEqual({ route: key(route), sensitive });
      if (policy.kind === 'api_key') {
        expect(operation.description).toContain(policy.scopes[0]);
        expect(Object.keys(operation.responses)).toEqual(
          expect.arrayContaining(['401', '403', '429']),
        );
      }
    }
  });

  it('describes errors with the one Error schema and the codes of their status', () => {
    const errorSchema = document.components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(errorSchema.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(['validation_error', 'rate_limited', 'form_not_found']),
    );
    const submit = document.paths['/api/{opaque}/f/{slug}']!.post!;
    expect(Object.keys(submit.responses).sort()).toEqual(
      [
        '200',
        '201',
        '303',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        '415',
        '422',
        '429',
        '5XX',
      ].sort(),
    );
    expect(JSON.stringify(submit.responses['401'])).toContain('invalid_token');
    expect(Object.keys(submit.requestBody!.content)).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]);
    expect(submit.parameters?.map((parameter) => parameter.name)).toContain('Idempotency-Key');
  });

  it('takes request schemas from the validation itself', () => {
    const createForm = document.components.schemas.CreateFormInput as {
      properties: Record<string, { pattern?: string; default?: unknown }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(createForm.required.sort()).toEqual(['name', 'slug']);
    expect(createForm.additionalProperties).toBe(false);
    expect(createForm.properties.slug!.pattern).toBe('^[a-z0-9]+(?:-[a-z0-9]+)*$');
    expect(createForm.properties.ip_rate_limit!.default).toBe(10);
    expect(JSON.stringify(createForm.properties.fields_schema)).toContain(
      '#/components/schemas/Field',
    );
    const exportParameters = document.paths[
      '/api/forms/{form_id}/submissions/export'
    ]!.get!.parameters!.map((parameter) => parameter.name);
    expect(exportParameters).toEqual(
      expect.arrayContaining(['form_id', 'format', 'filter', 'search', 'reply_status']),
    );
  });

  describe('response schemas', () => {
    let owner: ApiOwner;
    const holds = (schema: z.ZodType, value: unknown) => {
      const result = schema.safeParse(value);
      expect(result.success ? [] : result.error.issues).toEqual([]);
    };

    beforeAll(async () => {
      owner = await apiOwner(test);
    });

    it('match what the api really answers', async () => {
      const form = await createForm(owner, { visibility: 'private' });
      const created = await owner.api('get', `/api/forms/${form.id}`).expect(200);
      holds(RESPONSE_SCHEMAS.Form, created.body.form);
      const listed = await owner.api('get', '/api/forms').expect(200);
      listed.body.forms.forEach((summary: unknown) => holds(RESPONSE_SCHEMAS.FormSummary, summary));
      holds(RESPONSE_SCHEMAS.PageMeta, listed.body.meta);

      const described = await request(test.url).get(form.path).expect(200);
      holds(RESPONSE_SCHEMAS.FormDescription, described.body);
      const token = await owner.api('post', `/api/forms/${form.id}/submission_token`).expect(200);
      holds(RESPONSE_SCHEMAS.Form, token.body.form);
      const acknowledged = await request(test.url)
        .post(form.path)
        .set('Authorization', `Bearer ${token.body.form.submission_token as string}`)
        .send({ email: 'ana@example.com', message: 'hello', unknown: 'x' })
        .expect(201);
      holds(RESPONSE_SCHEMAS.SubmissionAcknowledgement, acknowledged.body);
      const submissions = await owner.api('get', `/api/forms/${form.id}/submissions`).expect(200);
      expect(submissions.body.data).toHaveLength(1);
      holds(RESPONSE_SCHEMAS.Submission, submissions.body.data[0]);
      expect(submissions.body.data[0].metadata.dropped_fields).toBe(1);

      const knowledgeBase = await owner
        .api('post', '/api/knowledge_bases')
        .send({ name: 'FAQ', content: 'Opening hours: 9-5' })
        .expect(201);
      holds(RESPONSE_SCHEMAS.KnowledgeBase, knowledgeBase.body.knowledge_base);

      const audit = await owner.api('get', '/api/audit-log').expect(200);
      audit.body.data.forEach((event: unknown) => holds(RESPONSE_SCHEMAS.AuditEvent, event));
      const keys = await owner.agent.get('/account/api-keys').expect(200);
      keys.body.api_keys.forEach((apiKey: unknown) => holds(RESPONSE_SCHEMAS.ApiKey, apiKey));

      const invalid = await owner.api('post', '/api/forms').send({ name: '' }).expect(422);
      holds(RESPONSE_SCHEMAS.Error, invalid.body);
    });
  });
});

describe('API docs page', () => {
  let test: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    test = await startTestApp();
    document = (await request(test.url).get('/api/openapi.json').expect(200))
      .body as OpenApiDocument;
  });
  afterAll(() => test.close());

  it('lists every operation, under the strict CSP, with no script or inline style', async () => {
    const response = await request(test.url).get('/api/docs').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const html = response.text;
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=|javascript:/i);
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(html).toContain(`<code>${method.toUpperCase()} ${path}</code>`);
        expect(html).toContain(`id="op-${operation.operationId}"`);
      }
    }
    expect(html).toContain('apiKey (forms:write)');
    // Angle brackets from the document's own text arrive escaped.
    expect(html).toContain('intake_fields=&lt;names&gt;');
    expect(html).not.toContain('<names>');
  });

  it('escapes every string of the document', () => {
    const hostile = '<img src=x onerror="alert(1)">&';
    const escaped = '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;';
    const built = buildOpenApiDocument({ publicUrl: hostile, version: hostile });
    const operation = built.paths['/api/forms']!.post!;
    operation.summary = hostile;
    operation.description = `${hostile}\n\n- \`${hostile}\``;
    operation.parameters = [
      { name: hostile, in: 'query', required: false, schema: { enum: [hostile] } },
    ];
    built.tags[0]!.description = hostile;
    built.components.schemas[hostile] = { description: hostile };
    const html = renderOpenApiHtml(built);
    expect(html).not.toContain('<img');
    expect(html).toContain(escaped);
  });
});
