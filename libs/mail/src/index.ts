export * from './dev-mailbox';
export * from './dev-mailbox.output';
export * from './log-mailer';
export * from './mail-headers';
export * from './mail.module';
export * from './mailer';
export * from './smtp-mailer';
