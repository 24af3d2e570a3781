import { DeferredMail } from '@intake/auth';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink';
import { startTestApp, type TestApp } from './test-app';

/**
 * The mail the sink holds for `address`, oldest first, once every mail Intake started
 * sending has been handed to the sink: e-mailed links are sent after the answer, so a test
 * waits for that work instead of polling (and can then also assert that nothing was sent).
 */
export async function mailsTo(
  test: TestApp,
  sink: SmtpSink,
  address: string,
): Promise<ReceivedMail[]> {
  await test.app.get(DeferredMail).settled();
  return sink.received.filter((mail) => mail.rcptTo.includes(address));
}

/** The mails to `address` that carry a link to `path` (e.g. `/auth/magic-link/verify`). */
export async function linkMailsTo(
  test: TestApp,
  sink: SmtpSink,
  address: string,
  path: string,
): Promise<ReceivedMail[]> {
  const mails = await mailsTo(test, sink, address);
  return mails.filter(
    (mail) => /https?:\/\/\S+/.test(mail.parsed.text ?? '') && linkFrom(mail).pathname === path,
  );
}

/** The latest mail to `address` with a link to `path`; fails the test when there is none. */
export async function lastLinkMailTo(
  test: TestApp,
  sink: SmtpSink,
  address: string,
  path: string,
): Promise<ReceivedMail> {
  const mail = (await linkMailsTo(test, sink, address, path)).at(-1);
  if (!mail) throw new Error(`No mail to ${address} with a link to ${path}`);
  return mail;
}

/** The link of a mail (from its text part): the absolute URL under PUBLIC_URL. */
export function linkFrom(mail: ReceivedMail): URL {
  const found = /https?:\/\/\S+/.exec(mail.parsed.text ?? '');
  if (!found) throw new Error(`No link in the mail "${mail.parsed.subject ?? ''}"`);
  return new URL(found[0]);
}

/** The link as a path the test server answers (`/auth/...?token=...`). */
export function pathOf(link: URL): string {
  return `${link.pathname}${link.search}`;
}

export function tokenFrom(mail: ReceivedMail): string {
  const token = linkFrom(mail).searchParams.get('token');
  if (!token) throw new Error('The link carries no token');
  return token;
}

/** Every row where a mailed token could end up (its table, the audit trail), as text. */
export async function tokenAndAuditRows(test: TestApp): Promise<string> {
  const [tokens, events] = await Promise.all([
    test.prisma.accountToken.findMany(),
    test.prisma.auditEvent.findMany(),
  ]);
  return JSON.stringify([tokens, events]);
}

/** An app that mails through a real SMTP sink, trusting a loopback proxy's X-Forwarded-For. */
export interface MailTestApp {
  sink: SmtpSink;
  test: TestApp;
  /**
   * A fresh client address for each request (sent as X-Forwarded-For), so per-IP mail and
   * login limits meet only the test that is about them.
   */
  nextIp(): string;
  close(): Promise<void>;
}

/** `ipPrefix`: three octets of a documentation range, one per test file (e.g. `192.0.2`). */
export async function startMailTestApp(
  ipPrefix: string,
  env: Record<string, string> = {},
): Promise<MailTestApp> {
  const sink = await startSmtpSink();
  const test = await startTestApp({ SMTP_URL: sink.url, TRUST_PROXY: 'loopback', ...env });
  let lastIp = 0;
  return {
    sink,
    test,
    nextIp: () => `${ipPrefix}.${(lastIp += 1)}`,
    close: async () => {
      await test.close();
      await sink.close();
    },
  };
}
