import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { AppError, RateLimits, type Limiter } from '@intake/common';

/**
 * Brute-force gate for password sign-in, per client IP. Each attempt takes a point before
 * the password is checked, so concurrent attempts cannot slip past the limit; a successful
 * sign-in gives its point back, so only failures accumulate.
 */
@Injectable()
export class LoginGate {
  private readonly perIp: Limiter;

  constructor(rateLimits: RateLimits, config: AppConfig) {
    this.perIp = rateLimits.for({
      name: 'login-ip',
      points: config.env.LOGIN_MAX_FAILURES_PER_IP,
      durationSeconds: config.env.LOGIN_FAILURE_WINDOW_SECONDS,
    });
  }

  /** Throws 429 when this IP has used up its failed attempts for the window. */
  async admit(ip: string | null): Promise<void> {
    const result = await this.perIp.consume(ip ?? 'unknown');
    if (!result.allowed) throw AppError.rateLimited(result.resetSeconds);
  }

  succeeded(ip: string | null): Promise<void> {
    return this.perIp.reward(ip ?? 'unknown');
  }
}
