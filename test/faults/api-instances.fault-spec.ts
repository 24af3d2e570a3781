import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiOwner } from '../support/accounts';
import { buildDist } from '../support/app-process';
import { ClusterProcess } from '../support/cluster-process';
import { createForm, type CreatedForm } from '../support/forms';
import { IngestLoad, type IngestOutcome } from '../support/ingest-load';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis';

/** Submissions answered before a fault, and again after it, per scenario. */
const BEFORE = 60;
const AFTER = 60;

/** What the balancer answers for a request an instance dropped mid-way (API.md's shape). */
const balancerError = {
  error: {
    code: 'unavailable',
    message: expect.any(String),
    request_id: expect.any(String),
  },
};

/**
 * A submission sent straight to the instance on `port`, its body held back until `finish()`.
 * `Expect: 100-continue` makes the server say when it has taken the request in (RFC 9110
 * §10.1.1): from then on the request is the instance's to finish.
 */
function submissionInFlight(port: number, path: string) {
  const body = JSON.stringify({ email: 'in-flight@example.com', message: 'Sent across a SIGTERM' });
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': body.length,
      expect: '100-continue',
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
  });
  const accepted = new Promise<void>((resolve) => request.once('continue', resolve));
  request.flushHeaders();
  return { accepted, answer, finish: () => request.end(body) };
}

/** Resolves once nothing listens on `port` any more (bounded). */
async function untilRefused(port: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await sleep(25);
  }
  throw new Error(`port ${port} still accepts connections`);
}

/**
 * api instances failing under sustained public ingest through the cluster's load balancer
 * (`npm run start:cluster`): killed outright, stopped by someone else, restarted in turn by
 * the cluster, and the whole cluster stopped. In every case each acknowledged (201)
 * submission is in the database, every other request got a clean error, and none hung.
 */
describe('api instances failing under load', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let cluster: ClusterProcess;
  let form: CreatedForm;

  beforeAll(async () => {
    buildDist();
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    cluster = await ClusterProcess.start({
      apis: 2,
      workers: 0,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
    });
    form = await createForm(await apiOwner(cluster), { ip_rate_limit: 0 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await redis?.destroy();
    await postgres?.destroy();
  });

  const stored = async (ids: string[]) =>
    (await postgres.query<{ id: string }>('SELECT id FROM submissions WHERE id = ANY($1)', [ids]))
      .length;

  /** Runs the load, calls `fault` after BEFORE answers and `recovered` after it, then AFTER more. */
  const underLoad = async (fault: () => Promise<void>): Promise<IngestOutcome[]> => {
    const load = new IngestLoad(`${cluster.url}${form.path}`);
    try {
      await load.untilAnswered(BEFORE);
      await fault();
      await load.untilAnswered(load.outcomes.length + AFTER);
    } finally {
      await load.stop();
    }
    const acknowledged = load.acknowledged();
    expect(await stored(acknowledged)).toBe(acknowledged.length);
    // No hang and no dropped connection: every client got an answer from the balancer.
    expect(load.outcomes.filter((outcome) => outcome.status === null)).toEqual([]);
    return load.outcomes;
  };

  it('SIGKILL of an instance: in-flight requests fail with 502, the rest go on', async () => {
    const from = cluster.events.length;
    const outcomes = await underLoad(async () => {
      process.kill(cluster.instance('api-1').pid, 'SIGKILL');
      await cluster.whenReadyAgain('api-1', from);
    });
    expect(cluster.events.slice(from)).toContainEqual(
      expect.objectContaining({ event: 'exited', instance: 'api-1', signal: 'SIGKILL' }),
    );
    // Those in flight on the killed instance may or may not have been stored: 502, which
    // the balancer never retries for a POST (the client may, with an Idempotency-Key).
    for (const failed of outcomes.filter((outcome) => outcome.status !== 201))
      expect(failed).toEqual({ status: 502, body: balancerError });
    const restarted = cluster.instance('api-1');
    expect((await fetch(`http://127.0.0.1:${restarted.port}/readyz`)).status).toBe(200);
  });

  it('SIGTERM of an instance: it finishes what it holds; the balancer sends the rest elsewhere', async () => {
    const from = cluster.events.length;
    const api2 = cluster.instance('api-2');
    const inFlight = submissionInFlight(api2.port!, form.path);
    const outcomes = await underLoad(async () => {
      await inFlight.accepted;
      process.kill(api2.pid, 'SIGTERM');
      // Draining: it accepts nothing new, but the submission it holds still completes.
      await untilRefused(api2.port!);
      inFlight.finish();
      const answer = await inFlight.answer;
      expect(answer.status).toBe(201);
      expect(await stored([JSON.parse(answer.body).id])).toBe(1);
      await cluster.whenReadyAgain('api-2', from);
    });
    expect(cluster.events.slice(from)).toContainEqual(
      expect.objectContaining({ event: 'exited', instance: 'api-2', signal: 'SIGTERM' }),
    );
    // A connection the instance had not accepted yet when it closed its listening socket
    // is reset by the kernel: that request got a 502 (rare; most runs have none).
    for (const failed of outcomes.filter((outcome) => outcome.status !== 201))
      expect(failed).toEqual({ status: 502, body: balancerError });
  });

  it('a rolling restart (SIGHUP to the cluster) under load answers every request with 201', async () => {
    const before = ['api-1', 'api-2'].map((name) => cluster.instance(name).pid);
    const from = cluster.events.length;
    const outcomes = await underLoad(async () => {
      cluster.signal('SIGHUP');
      await cluster.next((e) => e.event === 'rolling-restart-done', from, 'the rolling restart');
    });
    expect(outcomes.filter((outcome) => outcome.status !== 201)).toEqual([]);
    const after = ['api-1', 'api-2'].map((name) => cluster.instance(name).pid);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
  });

  it('SIGTERM to the cluster drains and stops every instance, then exits 0', async () => {
    const load = new IngestLoad(`${cluster.url}${form.path}`);
    await load.untilAnswered(BEFORE);
    const pids = ['api-1', 'api-2'].map((name) => cluster.instance(name).pid);
    expect(await cluster.stop()).toEqual({ code: 0 });
    await load.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    const acknowledged = load.acknowledged();
    expect(await stored(acknowledged)).toBe(acknowledged.length);
    // After the balancer closed, new connections are refused: an error, not a hang.
    expect(load.outcomes.filter((outcome) => outcome.error === 'timeout')).toEqual([]);
  });
});
