import {
  PASSWORD_MAX,
  PASSWORD_MIN,
  PROVIDER_NAMES,
  type IdentityOutput,
  type SessionOutput,
  type SocialProvider,
} from '@intake/auth';
import type { OAuthConnectionOutput } from '@intake/oauth';
import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import { CsrfField, Field, Notice, PostButton, ProblemSummary } from './components';
import { formatTime } from './format';
import { Layout, type Viewer } from './layout';

/** Which form on the page a refusal belongs to. */
export type SecurityForm = 'password' | 'disable-2fa' | 'backup-codes';

export interface SecurityState {
  twoFactor: boolean;
  hasPassword: boolean;
  sessions: SessionOutput[];
  identities: IdentityOutput[];
  /** MCP clients the owner approved on the consent page. */
  aiClients: OAuthConnectionOutput[];
  /** Configured providers, linked or not. */
  providers: SocialProvider[];
}

interface SecurityProps extends SecurityState {
  viewer: Viewer;
  notice?: string | null;
  problem?: { form: SecurityForm; problem: FormProblem } | null;
}

/** Two-factor authentication, sessions, connected identities and AI clients, the password. */
export function SecurityView(props: SecurityProps) {
  const { viewer } = props;
  const problemOf = (form: SecurityForm) =>
    props.problem?.form === form ? props.problem.problem : null;
  const others = props.sessions.filter((session) => !session.current).length;
  const unlinked = props.providers.filter(
    (provider) => !props.identities.some((identity) => identity.provider === provider),
  );
  return (
    <Layout title="Security" viewer={viewer} section="security">
      <h1>Security</h1>
      <Notice>{props.notice}</Notice>

      <section aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor authentication</h2>
        {props.twoFactor ? (
          <>
            <p>
              <strong>On.</strong> Signing in asks for a code from your authenticator app (or a
              backup code).
            </p>
            <details>
              <summary>New backup codes</summary>
              <ProblemSummary problem={problemOf('backup-codes')} />
              <form method="post" action={PAGES.backupCodes} class="stack narrow-form">
                <CsrfField token={viewer.csrf} />
                <Field
                  name="code"
                  label="Current code"
                  autocomplete="one-time-code"
                  required
                  maxLength={32}
                  problem={problemOf('backup-codes')}
                />
                <button type="submit" class="button secondary">
                  Replace my backup codes
                </button>
              </form>
            </details>
            <details>
              <summary>Turn two-factor authentication off</summary>
              <ProblemSummary problem={problemOf('disable-2fa')} />
              <form method="post" action={PAGES.twoFactorDisable} class="stack narrow-form">
                <CsrfField token={viewer.csrf} />
                {props.hasPassword && (
                  <Field
                    name="password"
                    label="Password"
                    type="password"
                    autocomplete="current-password"
                    required
                    problem={problemOf('disable-2fa')}
                  />
                )}
                <Field
                  name="code"
                  label="Current code"
                  autocomplete="one-time-code"
                  required
                  maxLength={32}
                  problem={problemOf('disable-2fa')}
                />
                <button type="submit" class="button danger">
                  Turn off
                </button>
              </form>
            </details>
          </>
        ) : (
          <>
            <p>
              <strong>Off.</strong> Add an authenticator app so a stolen password is not enough to
              sign in.
            </p>
            <PostButton
              action={PAGES.twoFactorSetup}
              csrf={viewer.csrf}
              label="Set up two-factor authentication"
              variant="primary"
            />
          </>
        )}
      </section>

      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <ul class="cards">
          {props.sessions.map((session) => (
            <li class="card">
              <p class="card-title" id={`session-${session.id}`}>
                {session.user_agent ?? 'Unknown device'}
                {session.current && <span class="badge">This browser</span>}
              </p>
              <dl class="facts">
                <dt>IP address</dt>
                <dd>{session.ip ?? 'unknown'}</dd>
                <dt>Signed in</dt>
                <dd>{formatTime(session.created_at)}</dd>
                <dt>Last seen</dt>
                <dd>{formatTime(session.last_seen_at)}</dd>
              </dl>
              {!session.current && (
                <PostButton
                  action={PAGES.sessionRevoke(session.id)}
                  csrf={viewer.csrf}
                  label="Sign out"
                  describedBy={`session-${session.id}`}
                />
              )}
            </li>
          ))}
        </ul>
        {others > 0 && (
          <PostButton
            action={PAGES.sessionsRevokeOthers}
            csrf={viewer.csrf}
            label="Sign out everywhere else"
            variant="danger"
            confirm="Sign out every other browser and device?"
          />
        )}
      </section>

      <section aria-labelledby="identities-heading">
        <h2 id="identities-heading">Connected accounts</h2>
        {props.identities.length === 0 && (
          <p class="empty">No Google or GitHub account is connected.</p>
        )}
        <ul class="cards">
          {props.identities.map((identity) => (
            <li class="card">
              <p class="card-title" id={`identity-${identity.provider}`}>
                {PROVIDER_NAMES[identity.provider]}: {identity.email}
              </p>
              <dl class="facts">
                <dt>Connected</dt>
                <dd>{formatTime(identity.created_at)}</dd>
                <dt>Last used</dt>
                <dd>{identity.last_used_at ? formatTime(identity.last_used_at) : 'never'}</dd>
              </dl>
              <PostButton
                action={PAGES.identityUnlink(identity.provider)}
                csrf={viewer.csrf}
                label="Disconnect"
                variant="danger"
                describedBy={`identity-${identity.provider}`}
              />
            </li>
          ))}
        </ul>
        {unlinked.map((provider) => (
          <p>
            <a class="button secondary" href={`/auth/${provider}`}>
              Connect {PROVIDER_NAMES[provider]}
            </a>
          </p>
        ))}
      </section>

      <section aria-labelledby="ai-clients-heading">
        <h2 id="ai-clients-heading">Connected AI clients</h2>
        {props.aiClients.length === 0 && (
          <p class="empty">No AI client (MCP) is connected. See the README to connect one.</p>
        )}
        <ul class="cards">
          {props.aiClients.map((aiClient) => (
            <li class="card">
              <p class="card-title" id={`ai-client-${aiClient.id}`}>
                {aiClient.name}
              </p>
              <dl class="facts">
                <dt>Sends you back to</dt>
                <dd>{aiClient.redirect_host}</dd>
                <dt>May</dt>
                <dd>{aiClient.scopes.join(', ')}</dd>
                <dt>Connected</dt>
                <dd>{formatTime(aiClient.created_at)}</dd>
                <dt>Last used</dt>
                <dd>{aiClient.last_used_at ? formatTime(aiClient.last_used_at) : 'never'}</dd>
              </dl>
              <PostButton
                action={PAGES.aiClientDisconnect(aiClient.id)}
                csrf={viewer.csrf}
                label="Disconnect"
                variant="danger"
                confirm="Disconnect this client? Its access ends at once."
                describedBy={`ai-client-${aiClient.id}`}
              />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">{props.hasPassword ? 'Change password' : 'Set a password'}</h2>
        <p>Every other session is signed out when the password changes.</p>
        <ProblemSummary problem={problemOf('password')} />
        <form method="post" action={PAGES.password} class="stack narrow-form">
          <CsrfField token={viewer.csrf} />
          {props.hasPassword && (
            <Field
              name="current_password"
              label="Current password"
              type="password"
              autocomplete="current-password"
              required
              problem={problemOf('password')}
            />
          )}
          <Field
            name="new_password"
            label="New password"
            type="password"
            autocomplete="new-password"
            required
            maxLength={PASSWORD_MAX}
            hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`}
            problem={problemOf('password')}
          />
          <button type="submit" class="button primary">
            {props.hasPassword ? 'Change password' : 'Set password'}
          </button>
        </form>
      </section>
    </Layout>
  );
}
