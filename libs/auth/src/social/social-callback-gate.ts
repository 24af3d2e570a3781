import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { RateLimits, type Limiter } from '@intake/common';
import { LOGIN_IP_LIMIT } from '../login/login-gate';

/**
 * Callbacks per IP, on the counter that passwords and 2FA codes share: every callback takes
 * a point before the code is exchanged (so a flood of callbacks cannot make Intake flood the
 * provider), a completed sign-in or link gives it back. An IP's failures thus add up across
 * every way of signing in (LOGIN_MAX_FAILURES_PER_IP per LOGIN_FAILURE_WINDOW_SECONDS).
 */
@Injectable()
export class SocialCallbackGate {
  private readonly perIp: Limiter;

  constructor(rateLimits: RateLimits, config: AppConfig) {
    this.perIp = rateLimits.for({
      name: LOGIN_IP_LIMIT,
      points: config.env.LOGIN_MAX_FAILURES_PER_IP,
      durationSeconds: config.env.LOGIN_FAILURE_WINDOW_SECONDS,
      whenRedisDown: 'refuse',
    });
  }

  async admit(ip: string | null): Promise<boolean> {
    return (await this.perIp.consume(ip ?? 'unknown')).allowed;
  }

  async succeeded(ip: string | null): Promise<void> {
    await this.perIp.reward(ip ?? 'unknown');
  }
}
