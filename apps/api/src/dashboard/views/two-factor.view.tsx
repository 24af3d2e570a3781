import type { TwoFactorEnrolment } from '@intake/auth';
import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import { CopyBlock, CsrfField, Field, PostButton, ProblemSummary } from './components';
import { Layout, type Viewer } from './layout';

interface TwoFactorSetupProps {
  viewer: Viewer;
  /** Absent when re-asking for the code: the app already holds the secret. */
  enrolment?: TwoFactorEnrolment;
  problem?: FormProblem | null;
}

/** Enrolment: scan the QR code (or type the secret), then prove it with a code. */
export function TwoFactorSetupView({ viewer, enrolment, problem }: TwoFactorSetupProps) {
  return (
    <Layout title="Set up two-factor authentication" viewer={viewer} section="security">
      <h1>Set up two-factor authentication</h1>
      {enrolment && (
        <ol class="steps">
          <li>
            <p>
              Scan this code with your authenticator app (1Password, Google Authenticator, Aegis…):
            </p>
            <img
              class="qr"
              src={enrolment.qr_code}
              alt="QR code of your two-factor secret; the secret is written below"
              width={200}
              height={200}
            />
          </li>
          <li>
            <p>Or enter the secret by hand:</p>
            <CopyBlock id="totp-secret" label="Secret" code={enrolment.secret} />
          </li>
        </ol>
      )}
      <ProblemSummary problem={problem} />
      <form method="post" action={PAGES.twoFactorConfirm} class="stack narrow-form">
        <CsrfField token={viewer.csrf} />
        <Field
          name="code"
          label="The 6-digit code the app shows"
          autocomplete="one-time-code"
          inputMode="numeric"
          required
          maxLength={32}
          problem={problem}
        />
        <button type="submit" class="button primary">
          Turn on
        </button>
      </form>
      {!enrolment && (
        <p>
          Lost the secret?{' '}
          <PostButton
            action={PAGES.twoFactorSetup}
            csrf={viewer.csrf}
            label="Start again with a new secret"
          />
        </p>
      )}
    </Layout>
  );
}

/** Backup codes, shown once (after enrolment, or when replaced). */
export function BackupCodesView({
  viewer,
  codes,
  enabled,
}: {
  viewer: Viewer;
  codes: string[];
  enabled: boolean;
}) {
  return (
    <Layout title="Backup codes" viewer={viewer} section="security">
      <h1>{enabled ? 'Two-factor authentication is on' : 'New backup codes'}</h1>
      <p class="notice" role="status">
        Keep these backup codes somewhere safe. Each signs in once if you lose your authenticator
        app. They are shown only now.
      </p>
      <CopyBlock id="backup-codes" label="Backup codes" code={codes.join('\n')} />
      <p>
        <a class="button primary" href={PAGES.security}>
          Done
        </a>
      </p>
    </Layout>
  );
}
