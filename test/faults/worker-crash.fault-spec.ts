import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { buildDist } from '../support/app-process';
import { ClusterProcess } from '../support/cluster-process';
import { createForm, type CreatedForm } from '../support/forms';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis';
import { startReceiver, verifyWebhook, type Receiver } from '../support/receivers';

const SUBMISSIONS = 30;
/** The flaky receiver answers 503 to this many first requests: an outage, then it is back. */
const OUTAGE_REQUESTS = 12;
/** Its request during which the worker is killed: mid-batch, mid-outage. */
const KILL_AT_REQUEST = 6;
/** The whole scenario; the leases and retry delays are fast-forwarded (see below). */
const DEADLINE_MS = 120_000;
/** Leases of job-runner.ts and delivery-runner.ts. */
const JOB_LEASE = '5 minutes';
const DELIVERY_LEASE = '1 minute';

interface Event {
  data: { submission: { id: string } };
}

/**
 * The worker is SIGKILLed in the middle of a delivery batch while one webhook receiver is
 * down; the cluster restarts the worker. After recovery the receiver that came back has
 * every event at least once (one `webhook-id` per event), and the receiver that never came
 * back has its destination disabled after 3 consecutive failed deliveries and is not called
 * again (libs/destinations/src/deliveries/delivery-policy.ts).
 */
describe('worker crash during a destination outage', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let cluster: ClusterProcess;
  let owner: ApiOwner;
  let form: CreatedForm;
  let flaky: Receiver;
  let dead: Receiver;
  let flakyId: string;
  let deadId: string;
  let killedAt: Date | null = null;

  const createWebhook = async (name: string, url: string) => {
    const created = await owner
      .api('post', `/api/forms/${form.id}/destinations`)
      .send({ name, type: 'webhook', url })
      .expect(201);
    return created.body.destination as { id: string; secret: string };
  };

  beforeAll(async () => {
    buildDist();
    [postgres, redis, flaky, dead] = await Promise.all([
      startPrivatePostgres(),
      startPrivateRedis(),
      startReceiver(),
      startReceiver(),
    ]);
    cluster = await ClusterProcess.start({
      apis: 1,
      workers: 1,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
      env: { ALLOW_PRIVATE_DESTINATIONS: 'true' },
    });
    owner = await apiOwner(cluster);
    form = await createForm(owner, { ip_rate_limit: 0 });
    const flakyDestination = await createWebhook('Flaky', flaky.url);
    flakyId = flakyDestination.id;
    deadId = (await createWebhook('Dead', dead.url)).id;
    const worker = cluster.instance('worker-1').pid;
    flaky.reply = (req) => {
      if (flaky.received.length === KILL_AT_REQUEST && !killedAt) {
        killedAt = new Date();
        process.kill(worker, 'SIGKILL');
      }
      if (flaky.received.length <= OUTAGE_REQUESTS) return { status: 503, body: 'down' };
      try {
        verifyWebhook(flakyDestination.secret, req);
        return { status: 204 };
      } catch {
        return { status: 400, body: 'bad signature' };
      }
    };
    dead.reply = () => ({ status: 503, body: 'down for good' });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await Promise.all([flaky?.close(), dead?.close()]);
    await redis?.destroy();
    await postgres?.destroy();
  });

  const submit = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const answer = await request(cluster.url)
        .post(form.path)
        .send({ email: `crash-${i}@example.com`, message: `Worker crash test ${i}` })
        .expect(201);
      ids.push(answer.body.id as string);
    }
    return ids;
  };

  const deliveries = (destinationId: string) =>
    postgres.query<{ status: string; leased: boolean }>(
      `SELECT status, coalesce(locked_until > now(), false) AS leased
       FROM deliveries WHERE destination_id = $1`,
      [destinationId],
    );

  /**
   * What the clock would do, faster: the dead worker's claims (jobs 5 minutes, deliveries
   * 1 minute) end now, and due retries (10 s, then 60 s) are due now: the dead receiver's
   * always, the flaky one's once it is back (retrying it during its outage would spend
   * its attempts). A new worker's claims start after the kill, so they are left alone.
   */
  const fastForward = async () => {
    if (killedAt) {
      await postgres.query(
        `UPDATE submission_jobs SET locked_until = now() - interval '1 second'
         WHERE locked_until > now() AND locked_until <= $1::timestamptz + interval '${JOB_LEASE}'`,
        [killedAt],
      );
      await postgres.query(
        `UPDATE deliveries SET locked_until = now() - interval '1 second'
         WHERE locked_until > now() AND locked_until <= $1::timestamptz + interval '${DELIVERY_LEASE}'`,
        [killedAt],
      );
    }
    const due = flaky.received.length > OUTAGE_REQUESTS ? [deadId, flakyId] : [deadId];
    await postgres.query(
      `UPDATE deliveries SET next_attempt_at = now()
       WHERE status = 'pending' AND next_attempt_at > now() AND destination_id = ANY($1)`,
      [due],
    );
  };

  const until = async (done: () => Promise<boolean>, what: string, deadline: number) => {
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`not done in time: ${what}\n${cluster.log}`);
      await fastForward();
      await sleep(200);
    }
  };

  /** Submissions the flaky receiver has an event for, de-duplicated by webhook-id. */
  const deliveredSubmissions = () => {
    const byWebhookId = new Map<string, string>();
    for (const req of flaky.received.slice(OUTAGE_REQUESTS)) {
      try {
        const event = JSON.parse(req.body) as Event;
        byWebhookId.set(String(req.headers['webhook-id']), event.data.submission.id);
      } catch {
        // Not a JSON event: counted nowhere.
      }
    }
    return new Set(byWebhookId.values());
  };

  it('delivers every event at least once after the crash, and none after disabling', async () => {
    const deadline = Date.now() + DEADLINE_MS;
    const ids = await submit(SUBMISSIONS);

    await until(
      async () => {
        const [flakyRows, [destination]] = await Promise.all([
          deliveries(flakyId),
          postgres.query<{ enabled: boolean }>('SELECT enabled FROM destinations WHERE id = $1', [
            deadId,
          ]),
        ]);
        const deadRows = await deliveries(deadId);
        return (
          flakyRows.length === SUBMISSIONS &&
          flakyRows.every((row) => row.status === 'delivered') &&
          destination?.enabled === false &&
          deadRows.every((row) => !row.leased)
        );
      },
      'flaky receiver served, dead destination disabled',
      deadline,
    );
    expect(killedAt).not.toBeNull();
    expect(cluster.events).toContainEqual(
      expect.objectContaining({ event: 'exited', instance: 'worker-1', signal: 'SIGKILL' }),
    );
    expect([...deliveredSubmissions()].sort()).toEqual([...ids].sort());

    // The dead destination: disabled after 3 consecutive failed deliveries, and nothing was
    // attempted after that (an attempt is recorded before it is sent).
    const [disabled] = await postgres.query<{ failure_count: number; late_attempts: number }>(
      `SELECT destination.failure_count,
         (SELECT count(*)::int FROM delivery_attempts AS attempt
          JOIN deliveries AS delivery ON delivery.id = attempt.delivery_id
          WHERE delivery.destination_id = destination.id
            AND attempt.created_at > destination.disabled_at) AS late_attempts
       FROM destinations AS destination WHERE destination.id = $1`,
      [deadId],
    );
    expect(disabled?.failure_count).toBeGreaterThanOrEqual(3);
    expect(disabled?.late_attempts).toBe(0);

    // More submissions: the flaky receiver gets them, the disabled one nothing at all.
    const deadCalls = dead.received.length;
    const more = await submit(5);
    await until(
      async () => more.every((id) => deliveredSubmissions().has(id)),
      'the later submissions delivered',
      Date.now() + DEADLINE_MS,
    );
    expect(dead.received.length).toBe(deadCalls);
  });
});
