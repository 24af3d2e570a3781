/** The socket.io rooms of the dashboard; a socket joins only rooms of its own owner. */
export const realtimeRooms = {
  owner: (ownerId: string) => `owner:${ownerId}`,
  form: (formId: string) => `form:${formId}`,
  /** Every socket of one session, so revoking the session can disconnect them. */
  session: (sessionId: string) => `session:${sessionId}`,
};

/** The socket.io key (Redis channel prefix) shared by the adapter and the emitter. */
export function socketIoKey(redisKeyPrefix: string): string {
  // Pub/sub channels ignore ioredis' keyPrefix: prefix by hand so instances sharing a Redis
  // stay apart.
  return `${redisKeyPrefix}socket.io`;
}
