import { io, type Socket } from 'socket.io-client';
import type { SignedInUser } from './accounts';
import type { TestApp } from './test-app';

/** What a dashboard socket receives (see libs/realtime OwnerEventMessage). */
export interface DashboardMessage {
  type: string;
  form_id: string;
  subject_id: string | null;
  at: string;
}

/** A dashboard socket and everything it received. */
export interface Dashboard {
  socket: Socket;
  received: DashboardMessage[];
  disconnected: Promise<string>;
}

/** The cookie header a signed-in agent sends. */
export async function cookieOf(user: SignedInUser): Promise<string> {
  return (await user.agent.get('/auth/csrf').expect(200)).request.cookies;
}

/** A socket as the dashboard opens it: websocket, from Intake's origin, no reconnection. */
export function openSocket(
  test: TestApp,
  headers: Record<string, string>,
  query?: Record<string, string>,
): Socket {
  return io(test.url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { origin: test.config.publicOrigin, ...headers },
    ...(query ? { query } : {}),
  });
}

/** A connected dashboard socket of `user`, recording every event. */
export async function connectDashboard(test: TestApp, user: SignedInUser): Promise<Dashboard> {
  const socket = openSocket(test, { cookie: await cookieOf(user) });
  const received: DashboardMessage[] = [];
  socket.onAny((_event: string, message: DashboardMessage) => received.push(message));
  const disconnected = new Promise<string>((resolve) => socket.on('disconnect', resolve));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, received, disconnected };
}

/** The handshake error of a socket that must not connect. */
export function refusal(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

/** Waits (bounded) until `check` holds; events cross a socket, so they arrive a little later. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}
