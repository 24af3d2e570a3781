import { Injectable, Logger } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { RedisConnection } from '@intake/common';
import { toOwnerEventMessage, type OwnerEvent } from './owner-event';
import { realtimeRooms, socketIoKey } from './realtime-rooms';

/** What both a socket.io Server and a Redis Emitter can do to rooms. */
export interface RoomBroadcaster {
  to(rooms: string | string[]): {
    emit(event: string, ...args: unknown[]): unknown;
    disconnectSockets(close?: boolean): unknown;
  };
}

/**
 * The way from anything that changes an owner's data (pipeline, API, sessions) to the
 * owner's dashboard sockets. With `REDIS_URL` it writes straight into socket.io's Redis
 * adapter protocol (`@socket.io/redis-emitter`), so an event published by a worker, or by
 * any api instance, reaches the sockets held by every api instance. Without Redis
 * everything runs in one process and events go to that process's socket.io server once
 * the gateway has attached it. Delivery is best effort: a dashboard reloads on reconnect.
 */
@Injectable()
export class OwnerEvents {
  private readonly logger = new Logger(OwnerEvents.name);
  private target: RoomBroadcaster | null;

  constructor(private readonly redis: RedisConnection) {
    const client = redis.client;
    // The emitter publishes without awaiting: hand it a publish that cannot reject, so a
    // Redis outage costs a log line, not an unhandled rejection.
    const publisher = client && {
      publish: (channel: string, message: Buffer | string) =>
        client.publish(channel, message).catch((error: unknown) => this.warn('an event', error)),
    };
    this.target = publisher
      ? (new Emitter(publisher, { key: socketIoKey(redis.keyPrefix) }) as RoomBroadcaster)
      : null;
  }

  /** The api's own socket.io server, used when there is no Redis to go through. */
  attach(server: RoomBroadcaster): void {
    if (!this.redis.client) this.target = server;
  }

  /** Tells the owner's dashboards, now; never throws into the caller. */
  publish(event: Omit<OwnerEvent, 'at'>): void {
    const message = toOwnerEventMessage({ ...event, at: new Date().toISOString() });
    this.safely(event.type, (target) =>
      target
        .to([realtimeRooms.owner(event.ownerId), realtimeRooms.form(event.formId)])
        .emit(event.type, message),
    );
  }

  /** Closes every socket of these sessions, on every instance (they were revoked). */
  disconnectSessions(sessionIds: readonly string[]): void {
    if (sessionIds.length === 0) return;
    this.safely('disconnect', (target) =>
      target.to(sessionIds.map(realtimeRooms.session)).disconnectSockets(true),
    );
  }

  /** A dashboard update must never fail the request or job that caused it. */
  private safely(what: string, send: (target: RoomBroadcaster) => unknown): void {
    if (!this.target) return;
    try {
      send(this.target);
    } catch (error) {
      this.warn(what, error);
    }
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(
      `Could not send ${what} to dashboards: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
