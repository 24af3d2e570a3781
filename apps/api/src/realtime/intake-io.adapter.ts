import type { INestApplicationContext } from '@nestjs/common';
import type { RequestListener } from 'node:http';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import cookieParser from 'cookie-parser';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '@intake/config';
import { RedisConnection, securityHeaders } from '@intake/common';
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
    this.applySecurityHeaders(server, config);
    if (redis.client) {
      // A subscribed connection can do nothing else: a duplicate that waits for Redis and
      // resubscribes by itself after a reconnect.
      this.subscriber = redis.client.duplicate({
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
      });
      // Without a listener ioredis prints every failed reconnect as an unhandled error; the
      // outage itself is logged once by RedisConnection, whose client sees the same Redis.
      this.subscriber.on('error', () => undefined);
      server.adapter(
        createAdapter(redis.client, this.subscriber, { key: socketIoKey(redis.keyPrefix) }),
      );
    }
    return server;
  }

  /**
   * socket.io answers its own paths (the client script the dashboard loads, long-polling)
   * on the HTTP server before Express sees them: they get the app's security headers here,
   * by wrapping the server's request listeners the way socket.io itself does.
   */
  private applySecurityHeaders(server: Server, config: AppConfig): void {
    const headers = securityHeaders({ production: config.isProduction });
    const http = server.httpServer;
    const prefix = `${server.path()}/`;
    const listeners = http.listeners('request') as RequestListener[];
    http.removeAllListeners('request');
    http.on('request', (request, response) => {
      const next = () => listeners.forEach((listener) => listener.call(http, request, response));
      if (request.url?.startsWith(prefix)) headers(request, response, next);
      else next();
    });
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
