import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { RateLimits } from '@intake/common';
import { AttemptGate } from './attempt-gate';
import { LOGIN_IP_LIMIT } from './login-gate';

/**
 * 2FA codes, per account (user id) with a tight budget — a 6-digit code must not be
 * walkable from many IPs — and per IP on the same counter as passwords.
 */
@Injectable()
export class SecondFactorGate extends AttemptGate {
  constructor(rateLimits: RateLimits, config: AppConfig) {
    const durationSeconds = config.env.LOGIN_FAILURE_WINDOW_SECONDS;
    super(
      rateLimits.for({
        name: LOGIN_IP_LIMIT,
        points: config.env.LOGIN_MAX_FAILURES_PER_IP,
        durationSeconds,
        whenRedisDown: 'refuse',
      }),
      rateLimits.for({
        name: 'totp-account',
        points: config.env.TOTP_MAX_FAILURES_PER_ACCOUNT,
        durationSeconds,
        whenRedisDown: 'refuse',
      }),
    );
  }
}
