import { Module } from '@nestjs/common';
import { OwnerNotifications } from './owner-notifications';

/** Owner e-mail about new submissions; needs the global MailModule and ConfigModule. */
@Module({
  providers: [OwnerNotifications],
  exports: [OwnerNotifications],
})
export class NotificationsModule {}
