import type { Response } from 'express';

/**
 * Sends an authorization page, never cached. Its forms post to Intake, which answers with
 * redirects that end at the client's redirect URI; browsers apply the page's CSP
 * `form-action` to every hop, so the app's policy is widened by that one origin here.
 */
export function sendOAuthPage(
  response: Response,
  status: number,
  html: string,
  redirectOrigin?: string,
): void {
  const policy = response.getHeader('content-security-policy');
  if (redirectOrigin && typeof policy === 'string') {
    response.setHeader(
      'Content-Security-Policy',
      policy.replace("form-action 'self'", `form-action 'self' ${redirectOrigin}`),
    );
  }
  response.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}
