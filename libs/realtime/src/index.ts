export * from './owner-event';
export * from './owner-events';
export * from './realtime-rooms';
export * from './realtime.module';
