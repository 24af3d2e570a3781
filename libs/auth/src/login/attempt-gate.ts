import { AppError, type Limiter } from '@intake/common';

/**
 * Brute-force gate over two counters, per client IP and per account. Each attempt takes a
 * point from both before the secret is checked, so concurrent attempts cannot slip past
 * the limit; a success gives both points back, so only failures accumulate.
 */
export abstract class AttemptGate {
  protected constructor(
    private readonly perIp: Limiter,
    private readonly perAccount: Limiter,
  ) {}

  /** Throws 429 when this IP or this account has used up its failed attempts. */
  async admit(ip: string | null, account: string): Promise<void> {
    const [byIp, byAccount] = await Promise.all([
      this.perIp.consume(ip ?? 'unknown'),
      this.perAccount.consume(account),
    ]);
    if (!byIp.allowed || !byAccount.allowed) {
      throw AppError.rateLimited(Math.max(byIp.resetSeconds, byAccount.resetSeconds));
    }
  }

  async succeeded(ip: string | null, account: string): Promise<void> {
    await Promise.all([this.perIp.reward(ip ?? 'unknown'), this.perAccount.reward(account)]);
  }
}
