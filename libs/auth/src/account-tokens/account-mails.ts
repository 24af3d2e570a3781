import escapeHtml from 'escape-html';
import type { MailMessage } from '@intake/mail';

/** A paragraph, or a link shown as a button-like line (the URL also in the text part). */
type Part = string | { label: string; href: string };

const FOOTER = 'Sent by Intake about your account.';

/** One text and one HTML part from the same parts; everything in the HTML is escaped. */
function compose(to: string, subject: string, parts: Part[]): MailMessage {
  const text = [...parts, FOOTER]
    .map((part) => (typeof part === 'string' ? part : `${part.label}:\n${part.href}`))
    .join('\n\n');
  const html = [...parts, FOOTER]
    .map((part) =>
      typeof part === 'string'
        ? `<p>${escapeHtml(part)}</p>`
        : `<p><a href="${escapeHtml(part.href)}">${escapeHtml(part.label)}</a></p>`,
    )
    .join('\n');
  return { to, subject, text, html };
}

const IGNORE =
  'If you did not ask for this, ignore this e-mail: nothing changes until the link is used.';

/** Every e-mail of the account flows (magic link, reset, verification, change). */
export const accountMails = {
  signInLink: (to: string, link: string): MailMessage =>
    compose(to, 'Your Intake sign-in link', [
      'Use this link to sign in to Intake. It works once, within 15 minutes, and signs in at once only in the browser where you asked for it.',
      { label: 'Sign in to Intake', href: link },
      IGNORE,
    ]),

  signUpLink: (to: string, link: string): MailMessage =>
    compose(to, 'Create your Intake account', [
      'There is no Intake account for this address yet. Use this link to create one and sign in. It works once, within 15 minutes.',
      { label: 'Create my account', href: link },
      'If you did not ask for this, ignore this e-mail: no account is created unless the link is used.',
    ]),

  passwordReset: (to: string, link: string): MailMessage =>
    compose(to, 'Reset your Intake password', [
      'Use this link to choose a new password. It works once, within 30 minutes. Setting a new password signs out every session of your account.',
      { label: 'Choose a new password', href: link },
      IGNORE,
    ]),

  passwordResetDone: (to: string): MailMessage =>
    compose(to, 'Your Intake password was changed', [
      'The password of your Intake account was just reset with a link sent to this address, and every session was signed out.',
      'If this was not you, reset your password again at once and check your account’s audit log.',
    ]),

  verification: (to: string, link: string): MailMessage =>
    compose(to, 'Confirm your e-mail address for Intake', [
      'Confirm that this address is yours. The link works once, within 24 hours.',
      { label: 'Confirm my address', href: link },
      'If you did not create an Intake account, ignore this e-mail.',
    ]),

  emailChange: (to: string, link: string): MailMessage =>
    compose(to, 'Confirm your new e-mail address for Intake', [
      'Someone signed in to an Intake account asked to use this address for it. Confirm to make the change. The link works once, within an hour.',
      { label: 'Use this address', href: link },
      'If this was not you, ignore this e-mail: the account stays as it is.',
    ]),

  emailChangeTaken: (to: string): MailMessage =>
    compose(to, 'Someone tried to move an Intake account to this address', [
      'Someone signed in to an Intake account asked to use this address for it, but this address already has an account of its own. Nothing was changed.',
      'If it was you: sign in with this address instead, or use another address for the other account.',
    ]),

  emailChangeNotice: (to: string, newAddress: string): MailMessage =>
    compose(to, 'Your Intake e-mail address is about to change', [
      `Someone signed in to your Intake account asked to change its address to ${newAddress}. The change happens only once that address confirms it, within an hour.`,
      'If this was not you, sign in and change your password now: that cancels the change and signs out every other session.',
    ]),
};
