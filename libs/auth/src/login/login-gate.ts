import { Injectable } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { RateLimits } from '@intake/common';
import { AttemptGate } from './attempt-gate';

/** The IP counter shared by every gate: one IP's failures add up across passwords and codes. */
export const LOGIN_IP_LIMIT = 'login-ip';

/**
 * Password checks. The account key is the lower-cased e-mail, so unknown addresses are
 * counted exactly like known ones and the gate reveals nothing about which exist.
 */
@Injectable()
export class LoginGate extends AttemptGate {
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
        name: 'login-account',
        points: config.env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        durationSeconds,
        whenRedisDown: 'refuse',
      }),
    );
  }
}
