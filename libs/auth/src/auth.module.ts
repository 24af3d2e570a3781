import { Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthGuard } from './guards/auth.guard';
import { LoginGate } from './login/login-gate';
import { SecondFactorGate } from './login/second-factor-gate';
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
  providers: [
    AccountsService,
    ApiKeysRepository,
    ApiKeysService,
    AuthGuard,
    Csrf,
    LoginGate,
    PasswordCheck,
    PasswordHasher,
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
    PasswordCheck,
    PasswordHasher,
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
