import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** No powerful feature is used by Intake's pages; deny them all to embedded content too. */
const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
  'interest-cohort=()',
].join(', ');

/** Plain Node middleware, so that servers beside Express (socket.io's) can use it too. */
export type SecurityHeaders = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Security headers on every response: a strict CSP (no inline script or style; only
 * same-origin resources), no framing, nosniff, a strict referrer policy, CORP, a locked
 * Permissions-Policy, and HSTS for two years with preload in production.
 */
export function securityHeaders(options: { production: boolean }): SecurityHeaders {
  const helmetHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: options.production
      ? { maxAge: 63_072_000, includeSubDomains: true, preload: true }
      : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  return (request, response, next) => {
    response.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    helmetHeaders(request, response, next);
  };
}
