import escapeHtml from 'escape-html';
import { OAUTH_SCOPE_DESCRIPTIONS, type OAuthScope } from '../oauth-scopes';
import { OAUTH_INTERACTION_PREFIX } from '../provider/oauth-routes';

/**
 * The authorization pages: plain server-rendered HTML under the app's strict CSP (no
 * script, no inline style), every interpolated value escaped, every field labelled. Forms
 * post back to Intake (`form-action 'self'`) with a CSRF token. They share the dashboard's
 * stylesheet (`body.standalone` styles their plain markup).
 */
const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Intake</title>
<link rel="stylesheet" href="/assets/app.css"></head>
<body class="standalone"><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;

const paragraph = (text: string, id?: string) =>
  `<p${id ? ` id="${id}"` : ''}>${escapeHtml(text)}</p>`;
const alert = (message: string | undefined) =>
  message ? `<p role="alert" id="error">${escapeHtml(message)}</p>\n` : '';
const action = (uid: string, step: string) =>
  escapeHtml(`${OAUTH_INTERACTION_PREFIX}${encodeURIComponent(uid)}/${step}`);
const csrfField = (token: string) =>
  `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`;

export interface ConsentView {
  uid: string;
  csrfToken: string;
  clientName: string;
  clientId: string;
  clientUri: string | null;
  /** Where the approval is sent: the host of this request's redirect URI. */
  redirectHost: string;
  /** Every redirect URI is on this computer (loopback): an app running locally. */
  localhostOnly: boolean;
  /** The client identified itself by a metadata document URL instead of registering. */
  metadataDocument: boolean;
  scopes: readonly OAuthScope[];
  accountEmail: string;
  error?: string;
}

export const oauthPages = {
  signIn: (uid: string, csrfToken: string, error?: string, email = '') =>
    layout(
      'Sign in to connect an app',
      `${alert(error)}${paragraph('An app wants to connect to your Intake account. Sign in first; you will then see what it asks for.')}
<form method="post" action="${action(uid, 'login')}">
${csrfField(csrfToken)}
<p><label for="email">E-mail</label><br>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${escapeHtml(email)}"></p>
<p><label for="password">Password</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"></p>
<p><label for="code">Authenticator or backup code (only if two-factor authentication is on)</label><br>
<input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="32"></p>
<button type="submit">Sign in</button>
</form>`,
    ),

  secondFactor: (uid: string, csrfToken: string, error?: string) =>
    layout(
      'Two-factor authentication',
      `${alert(error)}<form method="post" action="${action(uid, '2fa')}">
${csrfField(csrfToken)}
<p><label for="code">Authenticator or backup code</label><br>
<input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" required maxlength="32"></p>
<button type="submit">Continue</button>
</form>`,
    ),

  consent: (view: ConsentView) =>
    layout(
      `Connect ${view.clientName}?`,
      `${alert(view.error)}${paragraph(`${view.clientName} wants to act for ${view.accountEmail} on Intake.`)}
<dl>
<dt>After you decide, you are sent to</dt><dd id="redirect-host">${escapeHtml(view.redirectHost)}</dd>
<dt>App identifier</dt><dd id="client-id">${escapeHtml(view.clientId)}</dd>
${view.clientUri ? `<dt>Website (as the app states it)</dt><dd id="client-uri">${escapeHtml(view.clientUri)}</dd>\n` : ''}</dl>
${view.localhostOnly ? paragraph('This app only runs on this computer (localhost): approve it only if you started it yourself.', 'localhost-warning') : ''}
${view.metadataDocument ? '' : paragraph('The name above is what the app says about itself; Intake has not verified it.', 'unverified-name')}
<form method="post" action="${action(view.uid, 'consent')}">
${csrfField(view.csrfToken)}
<fieldset><legend>It asks to (untick what you do not want to allow)</legend>
${view.scopes
  .map(
    (scope) =>
      `<p><input type="checkbox" id="scope-${escapeHtml(scope)}" name="scope" value="${escapeHtml(scope)}" checked>
<label for="scope-${escapeHtml(scope)}">${escapeHtml(OAUTH_SCOPE_DESCRIPTIONS[scope])} (${escapeHtml(scope)})</label></p>`,
  )
  .join('\n')}
</fieldset>
<button type="submit">Allow</button>
</form>
<form method="post" action="${action(view.uid, 'deny')}">
${csrfField(view.csrfToken)}
<button type="submit">Deny</button>
</form>
${paragraph('You can disconnect it at any time in your account settings.')}`,
    ),

  /** An interaction that cannot go on (expired, or opened in another browser). */
  interactionError: (message: string, details: readonly string[] = []) =>
    layout(
      'This authorization cannot continue',
      `${paragraph(message, 'error')}
${details.length > 0 ? `<ul>${details.map((detail) => `<li>${escapeHtml(detail)}</li>`).join('')}</ul>\n` : ''}${paragraph('Go back and try again, or start again from the app you were connecting.')}`,
    ),

  /** The provider's own errors that cannot go back to the client (bad client or redirect). */
  providerError: (error: string, description: string | undefined) =>
    layout(
      'This authorization request was refused',
      `${paragraph(description ?? error, 'error-description')}
<p>Error code: <code id="error-code">${escapeHtml(error)}</code></p>`,
    ),
};
