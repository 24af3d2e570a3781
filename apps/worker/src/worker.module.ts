import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@intake/config';
import { LoggingModule, RedisModule } from '@intake/common';
import { DatabaseModule } from '@intake/database';
import { MailModule } from '@intake/mail';
import { MetricsModule } from '@intake/metrics';
import { PipelineModule } from '@intake/pipeline';
import { RealtimeModule } from '@intake/realtime';
import { RetentionModule } from '@intake/submissions';
import { MetricsListener } from './metrics-listener';

/**
 * The job runner: consumes the submission processing and delivery queues (PipelineModule),
 * publishes owner events for the api's sockets (RealtimeModule, via Redis when set),
 * prunes expired submissions and idempotency keys on a schedule (RetentionModule) and
 * serves its own metrics on METRICS_PORT when set (MetricsListener).
 */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        MailModule,
        RealtimeModule,
        RetentionModule.register({ when: 'always' }),
        PipelineModule.register({ runJobs: true }),
        MetricsModule,
      ],
      providers: [MetricsListener],
    };
  }
}
