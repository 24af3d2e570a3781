import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Request } from 'express';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { SessionCookie, SessionsService } from '@intake/auth';
import { AppError } from '@intake/common';
import { FormsService } from '@intake/forms';
import { OwnerEvents, realtimeRooms } from '@intake/realtime';

/** Who a socket belongs to, settled once at the handshake. */
interface SocketOwner {
  userId: string;
  sessionId: string;
}

const watchInput = z.strictObject({ form_id: z.uuid() });

/** Answer of `watch_form` / `unwatch_form` (socket.io acknowledgement). */
type WatchAnswer = { ok: true } | { ok: false; error: string };

/**
 * The dashboard's live channel. A socket is authenticated at the handshake by the same
 * session cookie as HTTP (never a token in the URL; the origin is checked by
 * IntakeIoAdapter), joins its owner's room and its session's room, and may join the rooms of
 * forms it owns. Events arrive through OwnerEvents; nothing is accepted from the client but
 * room requests.
 */
@WebSocketGateway()
export class DashboardGateway implements OnGatewayInit<Server>, OnGatewayConnection<Socket> {
  constructor(
    private readonly sessions: SessionsService,
    private readonly cookie: SessionCookie,
    private readonly forms: FormsService,
    private readonly events: OwnerEvents,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        () => next(new Error('unauthorized')),
      );
    });
    this.events.attach(server);
  }

  async handleConnection(socket: Socket): Promise<void> {
    const owner = ownerOf(socket);
    await socket.join([realtimeRooms.owner(owner.userId), realtimeRooms.session(owner.sessionId)]);
  }

  @SubscribeMessage('watch_form')
  async watch(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<WatchAnswer> {
    const parsed = watchInput.safeParse(body);
    if (!parsed.success) return { ok: false, error: 'invalid_params' };
    // Another owner's form is "not found", exactly as over HTTP.
    if (!(await this.owns(socket, parsed.data.form_id))) return { ok: false, error: 'not_found' };
    await socket.join(realtimeRooms.form(parsed.data.form_id));
    return { ok: true };
  }

  @SubscribeMessage('unwatch_form')
  async unwatch(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<WatchAnswer> {
    const parsed = watchInput.safeParse(body);
    if (!parsed.success) return { ok: false, error: 'invalid_params' };
    await socket.leave(realtimeRooms.form(parsed.data.form_id));
    return { ok: true };
  }

  private async authenticate(socket: Socket): Promise<void> {
    const token = this.cookie.read(socket.request as Request);
    const session = token ? await this.sessions.resolve(token) : null;
    if (!session) throw AppError.unauthorized('Sign in required');
    socket.data = { userId: session.userId, sessionId: session.id } satisfies SocketOwner;
  }

  private async owns(socket: Socket, formId: string): Promise<boolean> {
    try {
      await this.forms.get(ownerOf(socket).userId, formId);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return false;
      throw error;
    }
  }
}

function ownerOf(socket: Socket): SocketOwner {
  return socket.data as SocketOwner;
}
