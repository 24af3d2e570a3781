import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import escapeHtml from 'escape-html';
import type { Request, Response } from 'express';
import { ACCOUNT_LINK_PATHS, BROWSER_PATHS, PASSWORD_MAX, PASSWORD_MIN } from '@intake/auth';
import { ErrorFilter, toErrorResponse } from '@intake/common';

/**
 * The small pages behind e-mailed links (magic link, password reset, e-mail verification
 * and change): plain HTML under the app's strict CSP, no script and no inline style, every
 * interpolated value escaped. Forms post to Intake itself (CSP `form-action 'self'`).
 */
const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Intake</title>
<link rel="stylesheet" href="/assets/app.css"></head>
<body class="standalone"><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
const link = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></p>`;

/**
 * A link's page posts its token back to the link's own route: opening a link (or a mail
 * scanner fetching it) changes nothing; the click on the button does.
 */
const postBack = (action: string, token: string, button: string, fields = '') =>
  `<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${fields}<button type="submit">${escapeHtml(button)}</button>
</form>`;

export const authPages = {
  /** A magic link opened outside the browser that asked for it: sign in only on a click. */
  confirmSignIn: (email: string, token: string) =>
    layout(
      'Sign in to Intake',
      `${paragraph(`Sign in as ${email}?`)}
${paragraph('This link was asked for in another browser or device. Continue only if you asked for it.')}
${postBack(ACCOUNT_LINK_PATHS.magic_link, token, 'Sign in')}`,
    ),

  resetPasswordForm: (token: string) =>
    layout(
      'Choose a new password',
      `${postBack(
        ACCOUNT_LINK_PATHS.password_reset,
        token,
        'Set password',
        `<p><label for="password">New password (${PASSWORD_MIN} to ${PASSWORD_MAX} characters)</label><br>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}"></p>
`,
      )}
${paragraph('Every session of your account is signed out when the password changes.')}`,
    ),

  confirmEmail: (email: string, token: string) =>
    layout(
      'Confirm your address',
      `${paragraph(`Confirm that ${email} is your address for Intake?`)}
${postBack(ACCOUNT_LINK_PATHS.email_verification, token, 'Confirm')}`,
    ),

  confirmEmailChange: (email: string, token: string) =>
    layout(
      'Change your address',
      `${paragraph(`Use ${email} for your Intake account from now on?`)}
${paragraph('Every session of the account is signed out, except this browser’s if it is signed in to it.')}
${postBack(ACCOUNT_LINK_PATHS.email_change, token, 'Use this address')}`,
    ),

  passwordReset: () =>
    layout(
      'Password changed',
      `${paragraph('Your new password is set and every session was signed out.')}
${link(BROWSER_PATHS.signIn, 'Sign in')}`,
    ),

  emailVerified: (email: string) =>
    layout(
      'Address confirmed',
      `${paragraph(`${email} is confirmed as your address.`)}
${link(BROWSER_PATHS.dashboard, 'Continue to Intake')}`,
    ),

  emailChanged: (email: string, signedIn: boolean) =>
    layout(
      'Address changed',
      `${paragraph(`Your account now uses ${email}. Every other session was signed out.`)}
${signedIn ? link(BROWSER_PATHS.dashboard, 'Continue to Intake') : link(BROWSER_PATHS.signIn, 'Sign in with your new address')}`,
    ),

  error: (title: string, message: string, details: string[]) =>
    layout(
      title,
      `${paragraph(message)}
${details.length > 0 ? `<ul>${details.map((detail) => `<li>${escapeHtml(detail)}</li>`).join('')}</ul>` : ''}
${link(BROWSER_PATHS.signIn, 'Back to sign-in')}`,
    ),
};

/** Sends a page; none is cached, since some carry a token. */
export function sendPage(response: Response, status: number, html: string): void {
  response.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}

const TITLES: Record<number, string> = {
  400: 'This link is incomplete',
  401: 'This link cannot be used',
  403: 'Not allowed',
  409: 'Nothing changed',
  422: 'Please check what you entered',
  429: 'Too many attempts',
};

/**
 * On the link pages, errors are pages too: a GET (someone followed a link) or a form post
 * gets HTML, with the status and headers (Retry-After) of the API.md error; a JSON request
 * to the same route keeps the JSON error of the global filter.
 */
@Catch()
export class AuthPageErrors extends ErrorFilter {
  private readonly log = new Logger('AuthPageErrors');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const wantsPage =
      request.method === 'GET' || Boolean(request.is('application/x-www-form-urlencoded'));
    if (!wantsPage || response.headersSent) return super.catch(exception, host);
    const { status, body, headers, unexpected } = toErrorResponse(exception);
    if (unexpected) this.log.error(exception instanceof Error ? exception : String(exception));
    const details = Object.entries(body.error.details ?? {}).flatMap(([field, messages]) =>
      messages.map((message) => `${field}: ${message}`),
    );
    const title = TITLES[status] ?? 'Something went wrong';
    const reference = unexpected ? ` Reference: ${String(request.id)}.` : '';
    response.set(headers);
    sendPage(
      response,
      status,
      authPages.error(title, `${body.error.message}${reference}`, details),
    );
  }
}
