import { Module } from '@nestjs/common';
import { MailModule } from '@intake/mail';
import { AccountTokensRepository } from './account-tokens/account-tokens.repository';
import { AccountTokens } from './account-tokens/account-tokens.service';
import { DeferredMail } from './account-tokens/deferred-mail';
import { MailRequestLimits } from './account-tokens/mail-request-limits';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { EmailAddressRepository } from './email-address/email-address.repository';
import { EmailChange } from './email-address/email-change.service';
import { EmailVerification } from './email-address/email-verification.service';
import { AuthGuard } from './guards/auth.guard';
import { IdentitiesRepository } from './identities/identities.repository';
import { IdentitiesService } from './identities/identities.service';
import { LoginGate } from './login/login-gate';
import { SecondFactorGate } from './login/second-factor-gate';
import { MagicLinkBrowserCookie } from './magic-links/magic-link-browser.cookie';
import { MagicLinksService } from './magic-links/magic-links.service';
import { PasswordReset } from './password-reset/password-reset.service';
import { PasswordCheck } from './passwords/password-check';
import { PasswordHasher } from './passwords/password-hasher';
import { Csrf } from './sessions/csrf';
import { ReauthenticationService } from './sessions/reauthentication.service';
import { SessionControl } from './sessions/session-control.service';
import { SessionCookie } from './sessions/session-cookie';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { PendingSignInCookie } from './sign-in/pending-sign-in.cookie';
import { SignInService } from './sign-in/sign-in.service';
import { TwoFactorRepository } from './two-factor/two-factor.repository';
import { TwoFactorService } from './two-factor/two-factor.service';
import { AccountsService } from './users/accounts.service';
import { UsersRepository } from './users/users.repository';

@Module({
  // The e-mailed account links need a Mailer wherever AuthModule runs (the CLI too).
  imports: [MailModule],
  providers: [
    AccountTokens,
    AccountTokensRepository,
    AccountsService,
    ApiKeysRepository,
    ApiKeysService,
    AuthGuard,
    Csrf,
    DeferredMail,
    EmailAddressRepository,
    EmailChange,
    EmailVerification,
    IdentitiesRepository,
    IdentitiesService,
    LoginGate,
    MagicLinkBrowserCookie,
    MagicLinksService,
    MailRequestLimits,
    PasswordCheck,
    PasswordHasher,
    PasswordReset,
    PendingSignInCookie,
    ReauthenticationService,
    SecondFactorGate,
    SessionControl,
    SessionCookie,
    SessionsRepository,
    SessionsService,
    SignInService,
    TwoFactorRepository,
    TwoFactorService,
    UsersRepository,
  ],
  exports: [
    AccountsService,
    ApiKeysService,
    AuthGuard,
    Csrf,
    DeferredMail,
    EmailChange,
    EmailVerification,
    // IdentitiesRepository for SocialSignInModule (libs/auth/src/social), the service for settings.
    IdentitiesRepository,
    IdentitiesService,
    MagicLinkBrowserCookie,
    MagicLinksService,
    PasswordCheck,
    PasswordHasher,
    PasswordReset,
    ReauthenticationService,
    SessionControl,
    SessionCookie,
    SessionsService,
    SignInService,
    TwoFactorService,
    UsersRepository,
  ],
})
export class AuthModule {}
