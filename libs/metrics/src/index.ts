export * from './intake-metrics';
export * from './metrics-access';
export * from './metrics.module';
