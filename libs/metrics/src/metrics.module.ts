import { Module } from '@nestjs/common';
import { IntakeMetrics } from './intake-metrics';
import { MetricsAccess } from './metrics-access';

/**
 * Imported by each feature that records something (submissions, pipeline, destinations)
 * and by the apps that expose `/metrics`. A static module, so Nest makes one instance per
 * application: every feature writes to the same per-process registry.
 */
@Module({
  providers: [IntakeMetrics, MetricsAccess],
  exports: [IntakeMetrics, MetricsAccess],
})
export class MetricsModule {}
