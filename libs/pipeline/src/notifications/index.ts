export * from './notifications.module';
export * from './owner-notification-mail';
export * from './owner-notifications';
