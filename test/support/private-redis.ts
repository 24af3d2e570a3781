import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';

/**
 * A redis-server of the test's own on a free loopback port, without persistence (as Intake
 * runs it: limits and fan-out are ephemeral), for tests that stop and start Redis while the
 * shared one serves other suites. It stays a child of the test process.
 */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** SIGTERM; what it held is gone, as after a real restart without persistence. */
  stop(): Promise<void>;
  /** A fresh server on the same port. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** True once the server answers PING (the protocol's inline form). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('close', () => resolve(false));
    socket.once('error', () => resolve(false));
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server: ChildProcess | null = null;
  const start = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !(await answersPing(port)); i++) await sleep(50);
    if (!(await answersPing(port))) throw new Error(`redis-server did not start on ${port}`);
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start, destroy: stop };
}
