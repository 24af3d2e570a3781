import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IntakeMetrics } from '@intake/metrics';
import { isProviderPath } from '@intake/oauth';
import { METRICS_PATH } from './metrics.controller';

/** Answered without a route template: unknown paths, static assets, refusals before routing. */
export const UNROUTED = '(unrouted)';
/** Answered by oidc-provider itself (see oauthProviderMiddleware), not by a Nest route. */
export const OAUTH_PROVIDER = '(oauth-provider)';

/**
 * The route label of a finished request: the template Express matched (`/api/forms/:id`),
 * never the raw path, whose segments can be secrets (the public endpoints' opaque segment)
 * and are unbounded. Nest registers each endpoint for its one method, and route-bound
 * middleware (the request logger's) as a wildcard route for every method: a request that
 * reached only the latter has no template.
 */
function routeOf(request: Request): string {
  const route = request.route as { path?: unknown; methods?: object } | undefined;
  if (typeof route?.path === 'string' && Object.keys(route.methods ?? {}).length === 1)
    return route.path;
  return isProviderPath(request.originalUrl.split('?', 1)[0] ?? '') ? OAUTH_PROVIDER : UNROUTED;
}

/**
 * Times every request from its first middleware to its last byte and records it by method,
 * route template and status class (`/metrics` itself left out). A pass-through when metrics
 * are off; otherwise the work per request is two clock reads and one histogram observation.
 */
export function httpMetrics(metrics: IntakeMetrics): RequestHandler {
  if (!metrics.enabled) return (_request, _response, next) => next();
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = routeOf(request);
      if (route === METRICS_PATH) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest(request.method, route, response.statusCode, seconds);
    });
    next();
  };
}
