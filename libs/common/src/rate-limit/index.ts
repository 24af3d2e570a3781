export * from './rate-limit.module';
export * from './rate-limits';
export * from './rate-limits.throttler-storage';
