import { Injectable } from '@nestjs/common';
import { RateLimits, sha256, type Limiter } from '@intake/common';
import { AttemptGate } from '../login/attempt-gate';
import { ACCOUNT_TOKEN_PURPOSES, type AccountTokenPurpose } from './account-token-purpose';

/** Mails of one kind an IP, or a recipient, may ask for per hour. */
export const MAIL_REQUESTS_PER_HOUR = 5;

/** Two counters, per IP and per recipient, each point taken before anything is done. */
class MailRequestGate extends AttemptGate {
  constructor(perIp: Limiter, perRecipient: Limiter) {
    super(perIp, perRecipient);
  }
}

/**
 * Caps the e-mails anyone can make Intake send (sign-in links, resets, verification and
 * change confirmations): a mailbox cannot be flooded, and a link cannot be re-requested
 * without end. Every address counts, whether it has an account or not, so the limit tells
 * nothing about which exist; recipients are counted by their SHA-256, so addresses do not
 * sit in Redis in plaintext.
 */
@Injectable()
export class MailRequestLimits {
  private readonly gates: Record<AccountTokenPurpose, MailRequestGate>;

  constructor(rateLimits: RateLimits) {
    const policy = (name: string) =>
      rateLimits.for({ name, points: MAIL_REQUESTS_PER_HOUR, durationSeconds: 3_600 });
    this.gates = Object.fromEntries(
      ACCOUNT_TOKEN_PURPOSES.map((purpose) => [
        purpose,
        new MailRequestGate(policy(`mail-${purpose}-ip`), policy(`mail-${purpose}-recipient`)),
      ]),
    ) as Record<AccountTokenPurpose, MailRequestGate>;
  }

  /** Throws 429 (with Retry-After) once this IP or `recipient` has used up its hour. */
  admit(purpose: AccountTokenPurpose, ip: string | null, recipient: string): Promise<void> {
    return this.gates[purpose].admit(ip, sha256(recipient).toString('hex'));
  }
}
