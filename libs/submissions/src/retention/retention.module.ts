import { DynamicModule, Module } from '@nestjs/common';
import { RetentionRepository } from './retention.repository';
import {
  DEFAULT_RETENTION_INTERVAL_MS,
  RETENTION_SCHEDULE,
  RetentionScheduler,
  type RetentionSchedule,
} from './retention.scheduler';
import { RetentionService } from './retention.service';

/**
 * Retention on its own module: it needs only the database and config, so the worker can
 * run it without the api's forms, audit and auth graph.
 */
@Module({})
export class RetentionModule {
  static register(
    schedule: Pick<RetentionSchedule, 'when'> & Partial<RetentionSchedule>,
  ): DynamicModule {
    return {
      module: RetentionModule,
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
