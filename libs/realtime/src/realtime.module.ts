import { Global, Module } from '@nestjs/common';
import { OwnerEvents } from './owner-events';

@Global()
@Module({ providers: [OwnerEvents], exports: [OwnerEvents] })
export class RealtimeModule {}
