import type { INestApplicationContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppConfig } from '@intake/config';
import {
  isProviderPath,
  issuerUrl,
  OAuthProviderHost,
  OAuthRateLimits,
  providerEndpointOf,
} from '@intake/oauth';

/**
 * Hands the authorization server's requests (`/oauth/*` except our interaction pages, and
 * the two metadata documents) to oidc-provider, unparsed: the provider reads its own
 * bodies, so this runs before the app's body parser. Everything else goes on to Nest.
 *
 * The provider builds every URL it publishes from the request, so the forwarded host and
 * protocol are set here from PUBLIC_URL: a client's Host header never becomes the issuer
 * or an endpoint (and the issuer is byte-identical in both metadata documents and in
 * every `iss`).
 */
export function oauthProviderMiddleware(
  app: INestApplicationContext,
  config: AppConfig,
): RequestHandler {
  const publicUrl = new URL(issuerUrl(config));
  let handle: ((request: IncomingMessage, response: ServerResponse) => unknown) | undefined;
  return (request: Request, response: Response, next: NextFunction) => {
    if (!isProviderPath(request.path)) return next();
    app
      .get(OAuthRateLimits)
      .admit(providerEndpointOf(request.path), request.ip)
      .then((limit) => {
        if (!limit.allowed) {
          // RFC 6749 has no rate-limit error; `temporarily_unavailable` is its nearest kin.
          response
            .status(429)
            .set({ 'Retry-After': String(limit.resetSeconds), 'Cache-Control': 'no-store' })
            .json({
              error: 'temporarily_unavailable',
              error_description: `Too many requests; retry in ${limit.resetSeconds} s`,
            });
          return;
        }
        request.headers['x-forwarded-host'] = publicUrl.host;
        request.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
        handle ??= app.get(OAuthProviderHost).provider.callback();
        handle(request, response);
      }, next);
  };
}
