import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppConfig } from '@intake/config';
import { AppError, randomToken, sha256 } from '@intake/common';
import type { AccountToken } from '@intake/database';
import type { ClientContext } from '../client-context';
import {
  ACCOUNT_LINK_PATHS,
  ACCOUNT_TOKEN_TTL_MS,
  type AccountTokenPurpose,
} from './account-token-purpose';
import { AccountTokensRepository } from './account-tokens.repository';

/** `randomToken()`'s shape: 256 bits as 43 base64url characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Why a token cannot be used. `other_browser`: a magic link that is fine but was opened
 * outside the browser that asked for it (nothing consumed).
 */
export type TokenRefusal = 'unknown' | 'used' | 'expired' | 'other_browser';

export type ClaimedToken =
  | { ok: true; token: AccountToken }
  | { ok: false; reason: TokenRefusal; token: AccountToken | null };

/** The one answer to a link that cannot be used, whatever the reason (tampered included). */
export function unusableLink(): AppError {
  return new AppError(
    'invalid_token',
    'This link is invalid, has expired or has already been used. Ask for a new one.',
  );
}

/**
 * Single-use e-mailed tokens: 256 random bits, of which only the SHA-256 is stored, valid
 * for their purpose's time (ACCOUNT_TOKEN_TTL_MS), used at most once. Magic links, password
 * resets, e-mail verification and e-mail change all go through here.
 */
@Injectable()
export class AccountTokens {
  constructor(
    private readonly repository: AccountTokensRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Issues a token for `email` (the account's address, or the address being moved to) and
   * returns the link to mail; the token itself is never stored. `browserNonce` ties a magic
   * link to the browser that asked for it.
   */
  async issue(
    purpose: AccountTokenPurpose,
    recipient: { userId: string | null; email: string },
    browserNonce?: string,
  ): Promise<string> {
    const token = randomToken();
    await this.repository.insert({
      userId: recipient.userId,
      purpose,
      email: recipient.email,
      tokenHash: sha256(token),
      browserNonceHash: browserNonce === undefined ? null : sha256(browserNonce),
      expiresAt: new Date(Date.now() + ACCOUNT_TOKEN_TTL_MS[purpose]),
    });
    // base64url needs no escaping in a query string.
    return `${this.config.publicUrl}${ACCOUNT_LINK_PATHS[purpose]}?token=${token}`;
  }

  /**
   * Uses the token, atomically: of concurrent claims exactly one succeeds. With
   * `browserNonce` set (a string, or null when the browser holds none) the claim also needs
   * the browser that asked for the link. A refused use of a known account's token is
   * audited as a failed sign-in step, with the reason.
   */
  async claim(
    purpose: AccountTokenPurpose,
    token: string,
    client: ClientContext,
    options: { browserNonce?: string | null } = {},
  ): Promise<ClaimedToken> {
    if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'unknown', token: null };
    const tokenHash = sha256(token);
    const now = new Date();
    const { browserNonce } = options;
    const claimed =
      browserNonce === null
        ? null
        : await this.repository.claim(
            tokenHash,
            purpose,
            now,
            browserNonce === undefined ? undefined : sha256(browserNonce),
          );
    if (claimed) return { ok: true, token: claimed };
    const found = await this.repository.find(tokenHash, purpose);
    // Still usable yet not claimed: only the browser condition can have failed.
    const reason = refusalOf(found, now) ?? 'other_browser';
    if (found?.userId && reason !== 'other_browser') {
      await this.audit.record({
        actorId: found.userId,
        action: 'user.login.failed',
        target: { type: 'user', id: found.userId },
        client,
        metadata: { method: purpose, reason },
      });
    }
    return { ok: false, reason, token: found };
  }

  /** Claims a token issued to an account, or throws the one answer to an unusable link. */
  async redeem(
    purpose: AccountTokenPurpose,
    token: string,
    client: ClientContext,
  ): Promise<AccountToken & { userId: string }> {
    const claimed = await this.claim(purpose, token, client);
    if (!claimed.ok || claimed.token.userId === null) throw unusableLink();
    return { ...claimed.token, userId: claimed.token.userId };
  }

  /**
   * The token if it could be used now, consuming nothing (the page a link opens, before
   * its form posts it back), else the one unusable-link answer.
   */
  async peek(purpose: AccountTokenPurpose, token: string): Promise<AccountToken> {
    const found = TOKEN_SHAPE.test(token)
      ? await this.repository.find(sha256(token), purpose)
      : null;
    if (!found || refusalOf(found, new Date()) !== null) throw unusableLink();
    return found;
  }

  /** Ends every unused token of these purposes for the account (they were mailed to it). */
  revoke(
    owner: { id: string; email: string },
    purposes: readonly AccountTokenPurpose[],
  ): Promise<void> {
    return this.repository.revoke(owner, purposes, new Date());
  }
}

/** Why the token cannot be used at all, or null when it still can. */
function refusalOf(found: AccountToken | null, now: Date): TokenRefusal | null {
  if (!found) return 'unknown';
  if (found.usedAt) return 'used';
  if (found.expiresAt <= now) return 'expired';
  return null;
}
