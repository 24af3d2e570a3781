export * from './ingest/ingest.service';
export * from './submission.output';
export * from './submissions.module';
export * from './submissions.query';
export * from './submissions.service';
