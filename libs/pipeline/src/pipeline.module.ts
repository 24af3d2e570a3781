import { type DynamicModule, Module } from '@nestjs/common';
import { DestinationsModule } from '@intake/destinations';
import { MetricsModule } from '@intake/metrics';
import { AiModule } from './ai/ai.module';
import { JobQueueRepository } from './jobs/job-queue.repository';
import { NotificationsModule } from './notifications/notifications.module';
import { JobRunner, RUN_JOBS } from './jobs/job-runner';
import { ProcessingRepository } from './processing/processing.repository';
import { SubmissionProcessor } from './processing/submission-processor';

/**
 * The processing pipeline and its last step, destinations; `runJobs` says whether this
 * process consumes the queues (the worker always, the api with JOBS_IN_API).
 */
@Module({})
export class PipelineModule {
  static register(options: { runJobs: boolean }): DynamicModule {
    return {
      module: PipelineModule,
      imports: [
        AiModule,
        DestinationsModule.register({ runDeliveries: options.runJobs }),
        NotificationsModule,
        MetricsModule,
      ],
      providers: [
        { provide: RUN_JOBS, useValue: options.runJobs },
        JobQueueRepository,
        JobRunner,
        ProcessingRepository,
        SubmissionProcessor,
      ],
      exports: [JobRunner, JobQueueRepository, DestinationsModule],
    };
  }
}
