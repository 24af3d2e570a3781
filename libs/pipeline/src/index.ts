export * from './ai/ai-client';
export * from './ai/language-detection';
export * from './jobs/backoff';
export * from './jobs/job-queue.repository';
export * from './jobs/job-runner';
export * from './pipeline.module';
export * from './processing/submission-processor';
export * from './notifications';
