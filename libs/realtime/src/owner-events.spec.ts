import { loadConfig } from '@intake/config';
import { RedisConnection } from '@intake/common';
import { randomBytes } from 'node:crypto';
import { OwnerEvents } from './owner-events';
import type { OwnerEvent } from './owner-event';

const event = (ownerId: string): OwnerEvent => ({
  type: 'submission.processed',
  ownerId,
  formId: 'f1',
  subjectId: 's1',
  at: new Date().toISOString(),
});

function connection(env: Record<string, string>): RedisConnection {
  return new RedisConnection(
    loadConfig({ DATA_DIR: 'memory://', SECRET_KEY: randomBytes(32).toString('base64'), ...env }),
  );
}

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('OwnerEvents', () => {
  it('delivers in process without Redis', async () => {
    const bus = new OwnerEvents(connection({}));
    await bus.onModuleInit();
    const received: OwnerEvent[] = [];
    const unsubscribe = bus.subscribe((e) => received.push(e));
    await bus.publish(event('u1'));
    unsubscribe();
    await bus.publish(event('u2'));
    expect(received.map((e) => e.ownerId)).toEqual(['u1']);
    await bus.onModuleDestroy();
  });

  const withRedis = process.env.REDIS_URL ? it : it.skip;
  // Skipped without REDIS_URL: the cross-process path needs a real Redis (CI provides one).
  withRedis(
    'fans an event out to every instance sharing the Redis prefix, and only those',
    async () => {
      const prefix = `test:${randomBytes(4).toString('hex')}:`;
      const env = { REDIS_URL: process.env.REDIS_URL ?? '', REDIS_KEY_PREFIX: prefix };
      const connections = [
        connection(env),
        connection(env),
        connection({ ...env, REDIS_KEY_PREFIX: `${prefix}other:` }),
      ];
      const [a, b, stranger] = connections.map((c) => new OwnerEvents(c)) as [
        OwnerEvents,
        OwnerEvents,
        OwnerEvents,
      ];
      await Promise.all([a, b, stranger].map((bus) => bus.onModuleInit()));
      const atB: OwnerEvent[] = [];
      const atStranger: OwnerEvent[] = [];
      b.subscribe((e) => atB.push(e));
      stranger.subscribe((e) => atStranger.push(e));
      await a.publish(event('owner-1'));
      await eventually(() => atB.length > 0);
      expect(atB.map((e) => e.ownerId)).toEqual(['owner-1']);
      expect(atStranger).toEqual([]);
      await Promise.all([a, b, stranger].map((bus) => bus.onModuleDestroy()));
      await Promise.all(connections.map((c) => c.onApplicationShutdown()));
    },
  );
});
