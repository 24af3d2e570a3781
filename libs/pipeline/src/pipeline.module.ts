import { type DynamicModule, Module } from '@nestjs/common';
import { JobQueueRepository } from './jobs/job-queue.repository';
import { JobRunner, RUN_JOBS } from './jobs/job-runner';
import { ProcessingRepository } from './processing/processing.repository';
import { SubmissionProcessor } from './processing/submission-processor';

/** The processing pipeline; `runJobs` says whether this process consumes the queue. */
@Module({})
export class PipelineModule {
  static register(options: { runJobs: boolean }): DynamicModule {
    return {
      module: PipelineModule,
      providers: [
        { provide: RUN_JOBS, useValue: options.runJobs },
        JobQueueRepository,
        JobRunner,
        ProcessingRepository,
        SubmissionProcessor,
      ],
      exports: [JobRunner, JobQueueRepository],
    };
  }
}
