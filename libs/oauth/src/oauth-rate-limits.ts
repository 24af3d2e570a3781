import { Injectable } from '@nestjs/common';
import { RateLimits, type LimitResult } from '@intake/common';
import { AppConfig } from '@intake/config';

/** The authorization server's endpoint families, each counted on its own. */
export type OAuthEndpoint =
  'authorization' | 'token' | 'registration' | 'revocation' | 'metadata' | 'interaction';

/**
 * Per-IP limits of the authorization server (the provider's endpoints are not Nest routes,
 * so the global guard does not see them; the sign-in and consent pages get this on top of
 * it). Nobody is known at these endpoints, so the anonymous budget applies, per endpoint.
 */
@Injectable()
export class OAuthRateLimits {
  private readonly points: number;

  constructor(
    private readonly rateLimits: RateLimits,
    config: AppConfig,
  ) {
    this.points = config.env.ANONYMOUS_RATE_LIMIT_PER_MINUTE;
  }

  admit(endpoint: OAuthEndpoint, ip: string | undefined): Promise<LimitResult> {
    return this.rateLimits
      .for({ name: `oauth-${endpoint}`, points: this.points, durationSeconds: 60 })
      .consume(ip ?? 'unknown');
  }
}
