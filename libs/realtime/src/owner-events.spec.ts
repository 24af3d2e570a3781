import { randomBytes } from 'node:crypto';
import { loadConfig } from '@intake/config';
import { RedisConnection } from '@intake/common';
import { OwnerEvents, type RoomBroadcaster } from './owner-events';

function connection(env: Record<string, string>): RedisConnection {
  return new RedisConnection(
    loadConfig({ DATA_DIR: 'memory://', SECRET_KEY: randomBytes(32).toString('base64'), ...env }),
  );
}

/** A stand-in socket.io server that records what is sent to which rooms. */
function recordingServer() {
  const sent: { rooms: string[]; event?: string; args?: unknown[]; disconnected?: boolean }[] = [];
  const server: RoomBroadcaster = {
    to: (rooms) => {
      const list = [rooms].flat();
      return {
        emit: (event, ...args) => sent.push({ rooms: list, event, args }),
        disconnectSockets: () => sent.push({ rooms: list, disconnected: true }),
      };
    },
  };
  return { server, sent };
}

describe('OwnerEvents without Redis', () => {
  it('sends nothing until the gateway attaches its server, then ids only to the owner and form rooms', () => {
    const events = new OwnerEvents(connection({}));
    const event = {
      type: 'submission.processed' as const,
      ownerId: 'u1',
      formId: 'f1',
      subjectId: 's1',
    };
    events.publish(event);
    const { server, sent } = recordingServer();
    events.attach(server);
    events.publish(event);
    events.disconnectSessions(['a', 'b']);
    events.disconnectSessions([]);
    expect(sent).toEqual([
      {
        rooms: ['owner:u1', 'form:f1'],
        event: 'submission.processed',
        args: [
          {
            type: 'submission.processed',
            form_id: 'f1',
            subject_id: 's1',
            at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          },
        ],
      },
      { rooms: ['session:a', 'session:b'], disconnected: true },
    ]);
  });

  it('never throws into the caller', () => {
    const events = new OwnerEvents(connection({}));
    events.attach({
      to: () => {
        throw new Error('socket.io is gone');
      },
    });
    expect(() => events.publish({ type: 'form.changed', ownerId: 'u', formId: 'f' })).not.toThrow();
  });
});
