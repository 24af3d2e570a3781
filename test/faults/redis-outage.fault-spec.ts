import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiOwner, PASSWORD, type ApiOwner } from '../support/accounts';
import { buildDist } from '../support/app-process';
import { ClusterProcess } from '../support/cluster-process';
import { cookieOf } from '../support/dashboard-socket';
import { createForm, type CreatedForm } from '../support/forms';
import { IngestLoad } from '../support/ingest-load';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis';

const APIS = 2;
const BEFORE = 40;
const DURING = 60;
const AFTER = 40;
/** The per-IP limit of the limited form, per minute. */
const IP_LIMIT = 5;
/** Recovery is automatic (ioredis reconnects); this only bounds the waiting for it. */
const DEADLINE_MS = 60_000;

/** Polls `check` until it holds, within the deadline. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Redis stopped under sustained ingest, then started again, empty (docs/adr/0021): no
 * process crashes or restarts; public ingest still answers 201 and its per-IP limits count
 * in each instance's memory (so up to the limit per instance); the sign-in gates refuse
 * with 503 rather than count per instance; live dashboard events pause. Once Redis is back,
 * sign-in works and events flow again, without a restart.
 */
describe('Redis outage', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let cluster: ClusterProcess;
  let owner: ApiOwner;
  let open: CreatedForm;
  let limited: CreatedForm;
  let socket: Socket | undefined;

  beforeAll(async () => {
    buildDist();
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    cluster = await ClusterProcess.start({
      apis: APIS,
      workers: 1,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
    });
    owner = await apiOwner(cluster);
    open = await createForm(owner, { ip_rate_limit: 0 });
    limited = await createForm(owner, { ip_rate_limit: IP_LIMIT });
  }, 180_000);

  afterAll(async () => {
    socket?.close();
    await cluster?.stop();
    await redis?.destroy();
    await postgres?.destroy();
  });

  const login = (password: string) =>
    request(cluster.url).post('/auth/login').send({ email: owner.email, password });

  /** The owner's dashboard socket through the balancer, as the dashboard opens it. */
  const dashboard = async () => {
    const opened = io(cluster.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { origin: cluster.publicOrigin, cookie: await cookieOf(owner) },
    });
    await new Promise<void>((resolve, reject) => {
      opened.once('connect', resolve);
      opened.once('connect_error', reject);
    });
    const created: string[] = [];
    opened.on('submission.created', (message: { subject_id: string }) =>
      created.push(message.subject_id),
    );
    return { socket: opened, created };
  };

  const submit = (form: CreatedForm) =>
    request(cluster.url).post(form.path).send({ email: 'redis@example.com', message: 'Hello' });

  it('keeps ingest up, refuses sign-in with 503 and recovers when Redis returns', async () => {
    const from = cluster.events.length;
    const live = await dashboard();
    socket = live.socket;
    const load = new IngestLoad(`${cluster.url}${open.path}`);
    try {
      await load.untilAnswered(BEFORE);
      await redis.stop();

      // Sign-in fails closed on every instance: the gate cannot count, so nothing is checked.
      await eventually(async () => (await login(PASSWORD)).status === 503, 'sign-in to refuse');
      for (let i = 0; i < APIS * 2; i++) {
        const refused = await login(i % 2 ? PASSWORD : 'a wrong password');
        expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
          status: 503,
          code: 'unavailable',
        });
      }

      // Ingest goes on; its per-IP limit counts per instance meanwhile.
      await load.untilAnswered(load.outcomes.length + DURING);
      const statuses: number[] = [];
      for (let i = 0; i < IP_LIMIT * APIS * 2; i++) statuses.push((await submit(limited)).status);
      const accepted = statuses.filter((status) => status === 201).length;
      expect(accepted).toBeGreaterThanOrEqual(IP_LIMIT);
      expect(accepted).toBeLessThanOrEqual(IP_LIMIT * APIS);
      expect(statuses.filter((status) => status !== 201).every((status) => status === 429)).toBe(
        true,
      );
      // Route quotas fall back to memory too: the bearer API answers.
      expect((await owner.api('get', '/api/forms')).status).toBe(200);

      await redis.start();
      await eventually(async () => (await login(PASSWORD)).status === 200, 'sign-in to recover');
      await load.untilAnswered(load.outcomes.length + AFTER);
    } finally {
      await load.stop();
    }

    // Live events flow again once the instances have reconnected to the new Redis.
    const id = ((await submit(open).expect(201)).body as { id: string }).id;
    await eventually(async () => live.created.includes(id), 'a dashboard event after recovery');

    expect(load.outcomes.filter((outcome) => outcome.status !== 201)).toEqual([]);
    const acknowledged = load.acknowledged();
    const [row] = await postgres.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM submissions WHERE id = ANY($1)',
      [acknowledged],
    );
    expect(row?.count).toBe(acknowledged.length);
    expect(cluster.events.slice(from).filter((e) => e.event === 'exited')).toEqual([]);
  });
});
