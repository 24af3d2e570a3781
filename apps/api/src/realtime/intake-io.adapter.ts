import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import cookieParser from 'cookie-parser';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '@intake/config';
import { RedisConnection } from '@intake/common';
import { socketIoKey } from '@intake/realtime';

/**
 * socket.io as Intake runs it: only Intake's own origin may open a socket (a WebSocket is
 * not subject to CORS, so this is what stops cross-site WebSocket hijacking), the handshake's
 * cookies are parsed for the session, and with `REDIS_URL` the Redis adapter fans
 * broadcasts out across api instances.
 */
export class IntakeIoAdapter extends IoAdapter {
  private subscriber: Redis | null = null;

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const config = this.app.get(AppConfig);
    const redis = this.app.get(RedisConnection);
    const server = super.createIOServer(port, {
      ...options,
      // The dashboard loads the client from here (/socket.io/socket.io.min.js): always the
      // server's own version.
      serveClient: true,
      // No CORS headers at all: the dashboard is same-origin.
      cors: undefined,
      allowRequest: (request, callback) =>
        callback(null, request.headers.origin === config.publicOrigin),
    } satisfies Partial<ServerOptions>) as Server;
    server.engine.use(cookieParser());
    if (redis.client) {
      // A subscribed connection can do nothing else: a duplicate that waits for Redis and
      // resubscribes by itself after a reconnect.
      this.subscriber = redis.client.duplicate({
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
      });
      server.adapter(
        createAdapter(redis.client, this.subscriber, { key: socketIoKey(redis.keyPrefix) }),
      );
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
