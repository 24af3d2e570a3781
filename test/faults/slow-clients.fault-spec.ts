import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiOwner } from '../support/accounts';
import { buildDist } from '../support/app-process';
import { ClusterProcess } from '../support/cluster-process';
import { createForm, type CreatedForm } from '../support/forms';
import { IngestLoad } from '../support/ingest-load';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis';

/** Per target (the balancer, and one api instance directly). */
const SLOW_SOCKETS = 100;
const IDLE_SOCKETS = 100;
const NORMAL_REQUESTS = 40;
/** Short server timeouts, so the test sees them act within seconds (defaults: 15 s, 5 s). */
const HEADERS_TIMEOUT_MS = 2_000;
const KEEP_ALIVE_TIMEOUT_MS = 2_000;
/** Generous: a socket still open after this was never closed by the server. */
const CLOSE_DEADLINE_MS = 30_000;

/** A socket that sends its request headers one byte at a time, forever (slowloris). */
function slowloris(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.once('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: intake\r\nX-Slow: '));
  const drip = setInterval(() => (socket.writable ? socket.write('a') : undefined), 250);
  socket.once('close', () => clearInterval(drip));
  return socket;
}

/** A keep-alive socket that makes one request, reads the answer, then says nothing. */
function idleKeepAlive(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.once('connect', () =>
    socket.write('GET /healthz HTTP/1.1\r\nHost: intake\r\nConnection: keep-alive\r\n\r\n'),
  );
  socket.resume();
  return socket;
}

const closed = (socket: Socket) =>
  socket.closed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', resolve));

/**
 * Slow and idle clients: many sockets trickling their headers a byte at a time and many
 * idle keep-alive sockets, against the balancer and an api instance directly. Normal
 * requests meanwhile all get their answers, and the servers close the slow sockets after
 * HTTP_HEADERS_TIMEOUT_MS and the idle ones after HTTP_KEEP_ALIVE_TIMEOUT_MS.
 */
describe('slow and idle clients', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let cluster: ClusterProcess;
  let form: CreatedForm;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    buildDist();
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    cluster = await ClusterProcess.start({
      apis: 1,
      workers: 0,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
      env: {
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      },
    });
    form = await createForm(await apiOwner(cluster), { ip_rate_limit: 0 });
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await cluster?.stop();
    await redis?.destroy();
    await postgres?.destroy();
  });

  it.each([
    ['the load balancer', () => Number(new URL(cluster.url).port)],
    ['an api instance', () => cluster.instance('api-1').port ?? 0],
  ])('%s serves normal requests and sheds slow and idle sockets', async (_, portOf) => {
    const port = portOf();
    const slow = Array.from({ length: SLOW_SOCKETS }, () => slowloris(port));
    const idle = Array.from({ length: IDLE_SOCKETS }, () => idleKeepAlive(port));
    sockets.push(...slow, ...idle);

    // Normal submissions alongside: every one answered (the load's clients time out after
    // 20 s, so a starved request would show as a `timeout`).
    const load = new IngestLoad(`http://127.0.0.1:${port}${form.path}`, 4, NORMAL_REQUESTS);
    await load.untilAnswered(NORMAL_REQUESTS).finally(() => load.stop());
    expect(load.outcomes.filter((outcome) => outcome.status !== 201)).toEqual([]);

    // The servers cut both kinds of sockets by themselves.
    const timer = new AbortController();
    const outcome = await Promise.race([
      Promise.all([...slow, ...idle].map(closed)).then(() => 'closed'),
      sleep(CLOSE_DEADLINE_MS, 'open', { signal: timer.signal }).catch(() => 'open'),
    ]);
    timer.abort();
    expect({
      outcome,
      slowOpen: slow.filter((socket) => !socket.closed).length,
      idleOpen: idle.filter((socket) => !socket.closed).length,
    }).toEqual({ outcome: 'closed', slowOpen: 0, idleOpen: 0 });
  });
});
