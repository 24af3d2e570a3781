import { Controller, Get, Headers, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '@intake/auth';
import { AppError } from '@intake/common';
import { IntakeMetrics, MetricsAccess } from '@intake/metrics';

/** Where Prometheus scrapes metrics on the api's port. */
export const METRICS_PATH = '/metrics';

/**
 * Prometheus scrapes this process's metrics here. Public to the auth guard (API keys and
 * sessions do not apply): `MetricsAccess` checks METRICS_TOKEN instead, and without one
 * the route answers 404 as if it did not exist. Not rate limited: scrapers come often.
 */
@Controller(METRICS_PATH)
@Public()
@SkipThrottle()
export class MetricsController {
  constructor(
    private readonly metrics: IntakeMetrics,
    private readonly access: MetricsAccess,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const verdict = this.access.check(authorization);
    if (verdict === 'off') throw AppError.notFound();
    if (verdict === 'denied') {
      throw new AppError('unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    // Set here rather than with @Header(), which would also label the JSON error answers.
    response.set({ 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
    return this.metrics.exposition();
  }
}
