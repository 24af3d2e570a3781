import { PASSWORD_MAX, PASSWORD_MIN, PROVIDER_NAMES, type SocialProvider } from '@intake/auth';
import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import { Field, Notice, ProblemSummary } from './components';
import { Layout } from './layout';

interface SignInProps {
  /** Google / GitHub, when the operator configured them. */
  providers: SocialProvider[];
  notice?: string | null;
  /** The password form's refusal. */
  problem?: FormProblem | null;
  /** The magic-link form's refusal. */
  linkProblem?: FormProblem | null;
  email?: string;
}

/** Sign-in: password, an e-mailed link, or a configured provider. */
export function SignInView({ providers, notice, problem, linkProblem, email }: SignInProps) {
  return (
    <Layout title="Sign in">
      <div class="narrow">
        <h1>Sign in</h1>
        <Notice>{notice}</Notice>
        <section aria-labelledby="password-heading">
          <h2 id="password-heading">With your password</h2>
          <ProblemSummary problem={problem} />
          <form method="post" action={PAGES.signIn} class="stack">
            <Field
              name="email"
              label="E-mail"
              type="email"
              autocomplete="username"
              required
              value={email}
              problem={problem}
            />
            <Field
              name="password"
              label="Password"
              type="password"
              autocomplete="current-password"
              required
              maxLength={PASSWORD_MAX}
              problem={problem}
            />
            <button type="submit" class="button primary">
              Sign in
            </button>
          </form>
        </section>
        <section aria-labelledby="link-heading">
          <h2 id="link-heading">With a link by e-mail</h2>
          <ProblemSummary problem={linkProblem} />
          <form method="post" action={PAGES.magicLink} class="stack">
            <Field
              name="email"
              label="E-mail"
              type="email"
              autocomplete="email"
              required
              problem={linkProblem}
              errorKey="email"
            />
            <button type="submit" class="button secondary">
              E-mail me a sign-in link
            </button>
          </form>
        </section>
        {providers.length > 0 && (
          <section aria-labelledby="providers-heading">
            <h2 id="providers-heading">With another account</h2>
            <ul class="providers">
              {providers.map((provider) => (
                <li>
                  <a class="button secondary" href={`/auth/${provider}`}>
                    Continue with {PROVIDER_NAMES[provider]}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
        <p>
          New to Intake? <a href={PAGES.signUp}>Create an account</a>
        </p>
      </div>
    </Layout>
  );
}

export function SignUpView({ problem, email }: { problem?: FormProblem | null; email?: string }) {
  return (
    <Layout title="Create an account">
      <div class="narrow">
        <h1>Create an account</h1>
        <ProblemSummary problem={problem} />
        <form method="post" action={PAGES.signUp} class="stack">
          <Field
            name="email"
            label="E-mail"
            type="email"
            autocomplete="email"
            required
            value={email}
            problem={problem}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            required
            hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters; a long passphrase is best.`}
            maxLength={PASSWORD_MAX}
            problem={problem}
          />
          <button type="submit" class="button primary">
            Create account
          </button>
        </form>
        <p>
          Already have an account? <a href={PAGES.signIn}>Sign in</a>
        </p>
      </div>
    </Layout>
  );
}

/** The second step of a sign-in with 2FA on (the pending sign-in cookie says whose). */
export function TwoFactorStepView({ problem }: { problem?: FormProblem | null }) {
  return (
    <Layout title="Two-factor code">
      <div class="narrow">
        <h1>Enter your code</h1>
        <p>
          Open your authenticator app and enter the 6-digit code for Intake, or one of your backup
          codes.
        </p>
        <ProblemSummary problem={problem} />
        <form method="post" action={PAGES.twoFactor} class="stack">
          <Field
            name="code"
            label="Code"
            autocomplete="one-time-code"
            inputMode="text"
            required
            maxLength={32}
            problem={problem}
          />
          <button type="submit" class="button primary">
            Continue
          </button>
        </form>
        <p>
          <a href={PAGES.signIn}>Start again</a>
        </p>
      </div>
    </Layout>
  );
}
