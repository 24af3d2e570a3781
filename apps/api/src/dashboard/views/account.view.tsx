import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import { CsrfField, Field, ProblemSummary } from './components';
import { Layout, type Viewer } from './layout';

interface AccountProps {
  viewer: Viewer;
  /** Accounts without a password (magic link, Google, GitHub) confirm with their address. */
  hasPassword: boolean;
  problem?: FormProblem | null;
}

/** Taking everything out of Intake, or deleting the account. */
export function AccountView({ viewer, hasPassword, problem }: AccountProps) {
  return (
    <Layout title="Account" viewer={viewer} section="account">
      <h1>Account</h1>
      <section aria-labelledby="export-heading">
        <h2 id="export-heading">Export your data</h2>
        <p>
          One JSON file: your account, sessions, API keys, linked sign-ins and AI clients, knowledge
          bases, forms with their submissions, destinations with their delivery logs, and the audit
          log. It holds no secret (no password, key or token). You may be asked to confirm it is you
          first.
        </p>
        <a class="button secondary" href={PAGES.accountExport} download>
          Download the export
        </a>
      </section>
      <section aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>
          Deletes the account and everything it owns at once, for good: forms stop accepting
          submissions, every session and API key stops working. The audit trail keeps one entry
          saying an account was deleted, without your address.
        </p>
        <form
          method="post"
          action={PAGES.accountDelete}
          class="stack"
          data-confirm="Delete your account and all its data for good?"
        >
          <CsrfField token={viewer.csrf} />
          <ProblemSummary problem={problem} />
          {hasPassword ? (
            <Field
              name="password"
              label="Your password"
              type="password"
              autocomplete="current-password"
              required
              problem={problem}
            />
          ) : (
            <Field
              name="confirm"
              label="Type your e-mail address to confirm"
              type="email"
              autocomplete="off"
              required
              problem={problem}
            />
          )}
          <div class="actions">
            <button type="submit" class="button danger">
              Delete my account
            </button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
