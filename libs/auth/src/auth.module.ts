import { Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthGuard } from './guards/auth.guard';
import { LoginGate } from './login/login-gate';
import { PasswordHasher } from './passwords/password-hasher';
import { Csrf } from './sessions/csrf';
import { SessionControl } from './sessions/session-control.service';
import { SessionCookie } from './sessions/session-cookie';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
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
    PasswordHasher,
    SessionControl,
    SessionCookie,
    SessionsRepository,
    SessionsService,
    UsersRepository,
  ],
  exports: [
    AccountsService,
    ApiKeysService,
    AuthGuard,
    Csrf,
    PasswordHasher,
    SessionControl,
    SessionCookie,
    SessionsService,
    UsersRepository,
  ],
})
export class AuthModule {}
