import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '@intake/config';
import { SecretBox } from '@intake/common';

const SEAL_PURPOSE = 'session-cookie';

/**
 * The session cookie: the session token sealed with AES-256-GCM (encrypted and
 * authenticated), HttpOnly, SameSite=Lax, and `__Host-` + Secure whenever Intake is served
 * over HTTPS (browsers refuse both on plain-HTTP origins, so local development drops them).
 */
@Injectable()
export class SessionCookie {
  readonly name: string;
  private readonly options: CookieOptions;

  constructor(
    private readonly box: SecretBox,
    config: AppConfig,
  ) {
    this.name = config.secureCookies ? '__Host-intake_session' : 'intake_session';
    this.options = {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: config.env.SESSION_ABSOLUTE_HOURS * 3_600_000,
    };
  }

  read(request: Request): string | null {
    const sealed: unknown = request.cookies?.[this.name];
    return typeof sealed === 'string' && sealed.length <= 512
      ? this.box.open(sealed, SEAL_PURPOSE)
      : null;
  }

  write(response: Response, token: string): void {
    response.cookie(this.name, this.box.seal(token, SEAL_PURPOSE), this.options);
  }

  clear(response: Response): void {
    const { maxAge: _maxAge, ...options } = this.options;
    response.clearCookie(this.name, options);
  }
}
