import { setTimeout as sleep } from 'node:timers/promises';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { buildDist } from '../support/app-process';
import { ClusterProcess } from '../support/cluster-process';
import { createForm, type CreatedForm } from '../support/forms';
import { IngestLoad } from '../support/ingest-load';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis';

const BEFORE = 40;
const AFTER = 40;
/** Answers seen while PostgreSQL is down, before it comes back. */
const DURING = 30;
/** Recovery is automatic; this only bounds the waiting for it. */
const RECOVERY_DEADLINE_MS = 60_000;

const unavailable = {
  error: { code: 'unavailable', message: expect.any(String), request_id: expect.any(String) },
};

/**
 * PostgreSQL stopped (`pg_ctl stop -m fast`) under sustained ingest, then started again.
 * While it is down every request fails at once with 503 `unavailable` (API.md's error
 * shape), readiness says so while liveness does not, and once it is back the apis and the
 * worker carry on by themselves: no process restarts, and every acknowledged submission
 * is stored and processed.
 */
describe('PostgreSQL outage', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let cluster: ClusterProcess;
  let owner: ApiOwner;
  let form: CreatedForm;

  beforeAll(async () => {
    buildDist();
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    cluster = await ClusterProcess.start({
      apis: 2,
      workers: 1,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
      // Bounds any wait on an unreachable database (connect and statements), so a hang
      // would outlast it and show as a client timeout.
      env: { DATABASE_STATEMENT_TIMEOUT_MS: '2000' },
    });
    owner = await apiOwner(cluster);
    form = await createForm(owner, { ip_rate_limit: 0 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await redis?.destroy();
    await postgres?.destroy();
  });

  const completed = async (ids: string[]) => {
    const [row] = await postgres.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM submissions
       WHERE id = ANY($1) AND processing_status = 'completed'`,
      [ids],
    );
    return row?.count;
  };
  const instancePorts = () => ['api-1', 'api-2'].map((name) => cluster.instance(name).port);
  const statusOf = (url: string) => fetch(url).then((response) => response.status);

  /** Polls `check` until it holds, within the recovery deadline. */
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + RECOVERY_DEADLINE_MS;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`not recovered: ${what}\n${cluster.log}`);
      await sleep(200);
    }
  };

  it('fails fast with 503 while down and recovers by itself when PostgreSQL returns', async () => {
    const from = cluster.events.length;
    const load = new IngestLoad(`${cluster.url}${form.path}`);
    let up = 0;
    try {
      await load.untilAnswered(BEFORE);
      await postgres.stop();
      await load.untilAnswered(load.outcomes.length + DURING);

      // Down: readiness fails on every instance, liveness does not; the bearer API fails
      // the same way as ingest.
      for (const port of instancePorts()) {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect({ status: ready.status, body: await ready.json() }).toEqual({
          status: 503,
          body: unavailable,
        });
        expect(await statusOf(`http://127.0.0.1:${port}/healthz`)).toBe(200);
      }
      const forms = await owner.api('get', '/api/forms');
      expect({ status: forms.status, body: forms.body }).toEqual({
        status: 503,
        body: unavailable,
      });

      await postgres.start();
      up = load.outcomes.length;
      await load.until((outcome) => outcome.status === 201, up);
      for (const port of instancePorts())
        await eventually(
          async () => (await statusOf(`http://127.0.0.1:${port}/readyz`)) === 200,
          `readyz on ${port}`,
        );
      await load.untilAnswered(load.outcomes.length + AFTER);
    } finally {
      await load.stop();
    }

    // Every answer was a 201 or a clean 503, never a hang, a 500 or a dropped connection.
    const failures = load.outcomes.filter((outcome) => outcome.status !== 201);
    expect(failures.length).toBeGreaterThanOrEqual(DURING);
    for (const failure of failures) expect(failure).toEqual({ status: 503, body: unavailable });
    // Nothing was restarted: the same processes recovered on their own.
    expect(cluster.events.slice(from).filter((e) => e.event === 'exited')).toEqual([]);

    // The worker recovered by itself: what was acknowledged after PostgreSQL returned is
    // processed. The jobs it had in hand when PostgreSQL went away wait for their lease to
    // end (5 minutes, as after a worker crash): end them now, as the clock would, and every
    // acknowledged submission is processed.
    await eventually(
      async () => (await completed(load.acknowledged(up))) === load.acknowledged(up).length,
      'submissions acknowledged after the outage processed by the worker',
    );
    await postgres.query(
      `UPDATE submission_jobs SET locked_until = now() - interval '1 second'
       WHERE locked_until > now()`,
    );
    await eventually(
      async () => (await completed(load.acknowledged())) === load.acknowledged().length,
      'every acknowledged submission processed by the worker',
    );
  });
});
