import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@intake/config';
import { LoggingModule } from '@intake/common';
import { DatabaseModule } from '@intake/database';
import { MailModule } from '@intake/mail';
import { PipelineModule } from '@intake/pipeline';
import { RetentionModule } from '@intake/submissions';

/**
 * The job runner: consumes the submission processing queue (PipelineModule) and prunes
 * expired submissions and idempotency keys on a schedule (RetentionModule).
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
        MailModule,
        RetentionModule.register({ when: 'always' }),
        PipelineModule.register({ runJobs: true }),
      ],
    };
  }
}
