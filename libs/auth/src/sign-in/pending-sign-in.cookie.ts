import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { z } from 'zod';
import { AppConfig } from '@intake/config';
import { SecretBox } from '@intake/common';
import { SIGN_IN_METHODS, type SignInMethod } from './sign-in-method';

const SEAL_PURPOSE = 'pending-sign-in';
/** Time to type a code; after it the first factor must be proven again. */
export const PENDING_SIGN_IN_TTL_MS = 10 * 60_000;

export interface PendingSignIn {
  userId: string;
  method: SignInMethod;
}

const payload = z.strictObject({
  userId: z.uuid(),
  method: z.enum(SIGN_IN_METHODS),
  expiresAt: z.number().int(),
});

/**
 * A first factor proven, the second still owed: sealed (AES-256-GCM) and short-lived, so
 * it grants nothing by itself and cannot be forged or stretched. No session exists until
 * `POST /auth/2fa` completes it.
 */
@Injectable()
export class PendingSignInCookie {
  readonly name: string;
  private readonly options: CookieOptions;

  constructor(
    private readonly box: SecretBox,
    config: AppConfig,
  ) {
    this.name = config.secureCookies ? '__Host-intake_2fa' : 'intake_2fa';
    this.options = {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
    };
  }

  write(response: Response, pending: PendingSignIn): void {
    const sealed = this.box.seal(
      JSON.stringify({ ...pending, expiresAt: Date.now() + PENDING_SIGN_IN_TTL_MS }),
      SEAL_PURPOSE,
    );
    response.cookie(this.name, sealed, { ...this.options, maxAge: PENDING_SIGN_IN_TTL_MS });
  }

  read(request: Request): PendingSignIn | null {
    const sealed: unknown = request.cookies?.[this.name];
    if (typeof sealed !== 'string' || sealed.length > 1024) return null;
    const opened = this.box.open(sealed, SEAL_PURPOSE);
    if (opened === null) return null;
    const parsed = payload.safeParse(safeJson(opened));
    if (!parsed.success || parsed.data.expiresAt < Date.now()) return null;
    return { userId: parsed.data.userId, method: parsed.data.method };
  }

  clear(response: Response): void {
    response.clearCookie(this.name, this.options);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
