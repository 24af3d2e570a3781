export * from './audit-action';
export * from './audit.module';
export * from './audit.service';
export * from './audit-event.output';
export * from './audit-log.query';
export * from './audit-log-export.service';
export * from './audit-maintenance.service';
