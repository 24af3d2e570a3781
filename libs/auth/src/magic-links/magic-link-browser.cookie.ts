import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '@intake/config';
import { randomToken } from '@intake/common';
import { ACCOUNT_TOKEN_TTL_MS } from '../account-tokens/account-token-purpose';

const NONCE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Marks the browser that asked for a magic link: a random 256-bit nonce, of which the link's
 * row keeps only the SHA-256. Opened in that browser, the link signs in at once; anywhere
 * else (another device, a mail scanner) it asks first. Plain random, not sealed: it grants
 * nothing by itself and only its hash is compared. SameSite=Lax, so the top-level GET from a
 * mail client carries it.
 */
@Injectable()
export class MagicLinkBrowserCookie {
  readonly name: string;
  private readonly options: CookieOptions;

  constructor(config: AppConfig) {
    this.name = config.secureCookies ? '__Host-intake_magic_link' : 'intake_magic_link';
    this.options = {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: ACCOUNT_TOKEN_TTL_MS.magic_link,
    };
  }

  /** The browser's nonce (kept, so several links asked from it all open here), or a new one. */
  issue(request: Request, response: Response): string {
    const nonce = this.read(request) ?? randomToken();
    response.cookie(this.name, nonce, this.options);
    return nonce;
  }

  read(request: Request): string | null {
    const nonce: unknown = request.cookies?.[this.name];
    return typeof nonce === 'string' && NONCE_SHAPE.test(nonce) ? nonce : null;
  }
}
