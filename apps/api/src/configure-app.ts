import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { json, urlencoded, type NextFunction, type Request, type Response } from 'express';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { ACCOUNT_LINK_PATHS } from '@intake/auth';
import { AppConfig } from '@intake/config';
import { assignRequestId, securityHeaders, toErrorResponse } from '@intake/common';
import { IntakeMetrics } from '@intake/metrics';
import { OAUTH_INTERACTION_PREFIX } from '@intake/oauth';
import { isDashboardPath } from './dashboard/dashboard-paths';
import { httpMetrics } from './metrics/http-metrics.middleware';
import { oauthProviderMiddleware } from './oauth/oauth-provider.middleware';
import { IntakeIoAdapter } from './realtime/intake-io.adapter';

/** `/api/{opaque}/f/{slug}` and its sub-paths (see PublicFormController). */
const PUBLIC_FORM_PATH = /^\/api\/[^/]+\/f\/[^/]+(?:\/[^/]*)?$/;

/** The dashboard's form posts: flat fields, but a form's settings take a few dozen. */
const DASHBOARD_FORM_PARAMETER_LIMIT = 200;

/** The dashboard's CSS and scripts (copied into dist/ beside the compiled code). */
const DASHBOARD_ASSETS = join(__dirname, 'dashboard', 'assets');

/** The pages of e-mailed links, whose plain HTML forms post back urlencoded (besides JSON). */
const LINK_FORM_PATHS = new Set<string>(Object.values(ACCOUNT_LINK_PATHS));

/**
 * Everything about the HTTP stack that is not a module: shared by `main.ts` and the e2e
 * tests, so tests exercise the real bootstrap.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  const logger = app.get(Logger);
  app.useLogger(logger);
  // First, so that even requests refused by the body parser carry their id.
  app.use(assignRequestId);
  // Next, so that the latency covers every later step, refusals included.
  app.use(httpMetrics(app.get(IntakeMetrics)));
  app.set('trust proxy', parseTrustProxy(config.env.TRUST_PROXY));
  app.disable('x-powered-by');
  // API responses are not conditional-GET material; hashing every body for an ETag is waste.
  app.set('etag', false);
  app.use(securityHeaders({ production: config.isProduction }));
  app.use(cookieParser());
  // Revalidated on every load (ETag): file names carry no version to cache them for longer.
  app.use(
    '/assets',
    express.static(DASHBOARD_ASSETS, { index: false, maxAge: 0, redirect: false }),
  );
  // Before the body parser: the OAuth provider reads its own request bodies.
  app.use(oauthProviderMiddleware(app, config));
  // Public form endpoints read their own bodies (JSON, form posts, multipart) with their own
  // cap; every other route takes JSON up to BODY_LIMIT_BYTES, and the form posts of the link
  // and OAuth sign-in/consent pages also flat urlencoded fields (no nesting, a handful of
  // them) under the same cap.
  const parseJson = json({ limit: config.env.BODY_LIMIT_BYTES, strict: true });
  const parseForm = urlencoded({
    limit: config.env.BODY_LIMIT_BYTES,
    extended: false,
    parameterLimit: 8,
  });
  const parseDashboardForm = urlencoded({
    limit: config.env.BODY_LIMIT_BYTES,
    extended: false,
    parameterLimit: DASHBOARD_FORM_PARAMETER_LIMIT,
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (PUBLIC_FORM_PATH.test(request.path)) return next();
    // Dashboard pages take form posts only (their controllers declare it; JSON is a 415).
    if (isDashboardPath(request.path)) return parseDashboardForm(request, response, next);
    const formPage =
      LINK_FORM_PATHS.has(request.path) || request.path.startsWith(OAUTH_INTERACTION_PREFIX);
    if (!formPage) return parseJson(request, response, next);
    parseJson(request, response, (error?: unknown) =>
      error ? next(error) : parseForm(request, response, next),
    );
  });
  // body-parser fails before routing, outside Nest's filters: answer in the same shape.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const { status, body, headers } = toErrorResponse(error);
    body.error.request_id = String(request.id);
    logger.warn({
      msg: body.error.message,
      req: { id: request.id, method: request.method, path: request.originalUrl.split('?', 1)[0] },
      status,
    });
    response.status(status).set(headers).json(body);
  });
  app.useWebSocketAdapter(new IntakeIoAdapter(app));
  app.enableShutdownHooks();
}

/** `TRUST_PROXY` as Express reads it: a hop count, `true`/`false`, or addresses/subnets. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
