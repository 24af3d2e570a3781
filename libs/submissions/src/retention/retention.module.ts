import { DynamicModule, forwardRef, Module } from '@nestjs/common';
import { AuditModule } from '@intake/audit';
import { AccountTokensMaintenanceModule } from '@intake/auth';
import { MetricsModule } from '@intake/metrics';
import { OAuthMaintenanceModule } from '@intake/oauth';
import { RetentionRepository } from './retention.repository';
import {
  DEFAULT_RETENTION_INTERVAL_MS,
  RETENTION_SCHEDULE,
  RetentionScheduler,
  type RetentionSchedule,
} from './retention.scheduler';
import { RetentionService } from './retention.service';

/**
 * Retention on its own module: it needs only the database, config, and the pruning of the
 * audit trail, the account tokens and the OAuth records (each only database and config),
 * so the worker can run it without the api's forms and auth graph.
 */
@Module({})
export class RetentionModule {
  static register(
    schedule: Pick<RetentionSchedule, 'when'> & Partial<RetentionSchedule>,
  ): DynamicModule {
    return {
      module: RetentionModule,
      imports: [
        AuditModule,
        AccountTokensMaintenanceModule,
        MetricsModule,
        forwardRef(() => OAuthMaintenanceModule),
      ],
      providers: [
        RetentionRepository,
        RetentionService,
        RetentionScheduler,
        {
          provide: RETENTION_SCHEDULE,
          useValue: {
            intervalMs: DEFAULT_RETENTION_INTERVAL_MS,
            ...schedule,
          } satisfies RetentionSchedule,
        },
      ],
      exports: [RetentionService],
    };
  }
}
