import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import { CsrfField, Field, ProblemSummary } from './components';
import { Layout, type Viewer } from './layout';

interface ConfirmIdentityProps {
  viewer: Viewer;
  next: string;
  hasPassword: boolean;
  twoFactor: boolean;
  problem?: FormProblem | null;
}

/** Sensitive actions need a recent proof: the password or a 2FA code, then back. */
export function ConfirmIdentityView({
  viewer,
  next,
  hasPassword,
  twoFactor,
  problem,
}: ConfirmIdentityProps) {
  return (
    <Layout title="Confirm it is you" viewer={viewer}>
      <div class="narrow">
        <h1>Confirm it is you</h1>
        <p>This action needs a recent proof of identity. It stays valid for a few minutes.</p>
        <ProblemSummary problem={problem} />
        {hasPassword && (
          <form method="post" action={PAGES.confirmIdentity} class="stack">
            <CsrfField token={viewer.csrf} />
            <input type="hidden" name="next" value={next} />
            <Field
              name="password"
              label="Password"
              type="password"
              autocomplete="current-password"
              required
              problem={problem}
            />
            <button type="submit" class="button primary">
              Confirm with password
            </button>
          </form>
        )}
        {twoFactor && (
          <form method="post" action={PAGES.confirmIdentity} class="stack">
            <CsrfField token={viewer.csrf} />
            <input type="hidden" name="next" value={next} />
            <Field
              name="code"
              label="Authenticator or backup code"
              autocomplete="one-time-code"
              required
              maxLength={32}
              problem={problem}
            />
            <button type="submit" class="button secondary">
              Confirm with a code
            </button>
          </form>
        )}
        {!hasPassword && !twoFactor && (
          <p>
            Your account signs in without a password: sign out and sign in again (e-mailed link,
            Google or GitHub), then retry.
          </p>
        )}
        <p>
          <a href={next}>Back</a>
        </p>
      </div>
    </Layout>
  );
}
