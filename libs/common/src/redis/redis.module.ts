import { Global, Module } from '@nestjs/common';
import { QueueSignals } from '../queue/queue-signals';
import { RedisConnection } from './redis-connection';

@Global()
@Module({ providers: [RedisConnection, QueueSignals], exports: [RedisConnection, QueueSignals] })
export class RedisModule {}
