export * from './app-config';
export * from './config.module';
export { environmentSchema, isPlaceholder, type Environment } from './config.schema';
export * from './startup';
