import type { ComponentChildren } from 'preact';
import { PAGES } from '../dashboard-paths';
import { CsrfField } from './components';

/** Who is looking at a signed-in page: their address and the session's CSRF token. */
export interface Viewer {
  email: string;
  csrf: string;
}

/** The sections of the main navigation; `current` marks the page's own with aria-current. */
export type Section =
  'forms' | 'api-keys' | 'security' | 'knowledge-bases' | 'audit-log' | 'account';

const NAVIGATION: { section: Section; href: string; label: string }[] = [
  { section: 'forms', href: PAGES.home, label: 'Forms' },
  { section: 'knowledge-bases', href: PAGES.knowledgeBases, label: 'Knowledge bases' },
  { section: 'api-keys', href: PAGES.apiKeys, label: 'API keys' },
  { section: 'security', href: PAGES.security, label: 'Security' },
  { section: 'audit-log', href: PAGES.auditLog, label: 'Audit log' },
  { section: 'account', href: PAGES.account, label: 'Account' },
];

interface LayoutProps {
  title: string;
  /** Signed-in pages get the navigation and the sign-out button. */
  viewer?: Viewer;
  section?: Section;
  /** The live submissions list needs the socket.io client before the dashboard script. */
  live?: boolean;
  /** The form editor's fields and rules builder. */
  fieldsBuilder?: boolean;
  children: ComponentChildren;
}

/**
 * Every page's frame. Scripts and styles are same-origin files (CSP `script-src 'self'`,
 * `style-src 'self'`: nothing inline); every page works without them.
 */
export function Layout({
  title,
  viewer,
  section,
  live = false,
  fieldsBuilder = false,
  children,
}: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · Intake`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        {live && <script src="/socket.io/socket.io.min.js" defer />}
        <script src="/assets/dashboard.js" defer />
        {fieldsBuilder && <script src="/assets/form-builder.js" defer />}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href={viewer ? PAGES.home : PAGES.signIn}>
            Intake
          </a>
          {viewer && (
            <nav aria-label="Main">
              <ul>
                {NAVIGATION.map((item) => (
                  <li>
                    <a
                      href={item.href}
                      aria-current={item.section === section ? 'page' : undefined}
                    >
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {viewer && (
            <form class="sign-out" method="post" action={PAGES.signOut}>
              <CsrfField token={viewer.csrf} />
              <span class="viewer">{viewer.email}</span>
              <button type="submit" class="link-button">
                Sign out
              </button>
            </form>
          )}
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
