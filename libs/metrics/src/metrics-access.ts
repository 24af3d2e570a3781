import { Injectable } from '@nestjs/common';
import { constantTimeEqual, sha256 } from '@intake/common';
import { AppConfig } from '@intake/config';

/** `off`: no METRICS_TOKEN, the endpoint does not exist (404). */
export type MetricsAccessVerdict = 'off' | 'denied' | 'granted';

/**
 * Who may read `/metrics`, on the api's port and on the worker's listener alike: only a
 * caller presenting `Authorization: Bearer <METRICS_TOKEN>`. Both sides are hashed first,
 * so the comparison is constant-time whatever the presented length.
 */
@Injectable()
export class MetricsAccess {
  private readonly expected: Buffer | null;

  constructor(config: AppConfig) {
    const token = config.env.METRICS_TOKEN;
    this.expected = token === undefined ? null : sha256(token);
  }

  check(authorization: string | undefined): MetricsAccessVerdict {
    if (!this.expected) return 'off';
    const [scheme, token, ...rest] = (authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) return 'denied';
    return constantTimeEqual(sha256(token), this.expected) ? 'granted' : 'denied';
  }
}
