import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { AppProcess, buildDist } from '../support/app-process';
import { createForm, type CreatedForm } from '../support/forms';
import { startReceiver, verifyWebhook, type Receiver } from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingPostgres } from '../support/test-database';

const SUBMISSIONS = 200;
/** The receiver answers 503 to this many first requests, so some deliveries are retried. */
const FAILING_REQUESTS = 40;
/** The whole scenario, from the first worker's start to the last delivery. */
const DEADLINE_MS = 90_000;
/** The receiver's request during which the second worker is killed (past the outage). */
const CRASH_AT_REQUEST = FAILING_REQUESTS + 30;

interface Event {
  id: string;
  data: { submission: { id: string } };
}

/**
 * Crash safety of the worker process against PostgreSQL: a worker killed with SIGKILL in
 * the middle of a batch loses nothing. A restarted worker finishes every submission, and
 * every webhook receiver gets every event at least once, under one `webhook-id` per event
 * so that it can de-duplicate.
 *
 * PostgreSQL only: PGlite is an in-process database, so an api and a separate worker
 * process cannot share it. Without DATABASE_URL the suite is skipped.
 */
(usingPostgres ? describe : describe.skip)('worker crash (SIGKILL mid-batch)', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let form: CreatedForm;
  let hook: Receiver;
  let secret: string;
  const workers: AppProcess[] = [];
  let killOnRequest: { worker: AppProcess; at: number } | null = null;
  let deadline = 0;

  beforeAll(async () => {
    // The worker runs from dist/, as in production: build it unless it is up to date.
    buildDist();
    test = await startTestApp({ ALLOW_PRIVATE_DESTINATIONS: 'true', JOBS_IN_API: 'false' });
    owner = await apiOwner(test);
    form = await createForm(owner, { ip_rate_limit: 0 });
    hook = await startReceiver();
    const created = await owner
      .api('post', `/api/forms/${form.id}/destinations`)
      .send({ name: 'Receiver', type: 'webhook', url: hook.url })
      .expect(201);
    secret = created.body.destination.secret as string;
    // 503 for the first requests (an outage at the start), then verify like a real receiver.
    // The request `killOnRequest.at` kills its worker before it is answered: mid-send.
    hook.reply = (req) => {
      if (killOnRequest && hook.received.length === killOnRequest.at)
        killOnRequest.worker.kill('SIGKILL');
      if (hook.received.length <= FAILING_REQUESTS) return { status: 503, body: 'down' };
      try {
        verifyWebhook(secret, req);
        return { status: 204 };
      } catch {
        return { status: 400, body: 'bad signature' };
      }
    };
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await hook?.close();
    await test?.close();
  });

  const startWorker = () => {
    const database = test.config.database;
    if (database.kind !== 'postgres') throw new Error('the crash test needs PostgreSQL');
    const worker = new AppProcess('worker', {
      DATABASE_URL: database.url,
      SECRET_KEY: test.config.secretKey.toString('base64'),
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      LOG_LEVEL: 'warn',
    });
    workers.push(worker);
    return worker;
  };

  /**
   * The dead worker's claims would free when their leases end: 5 minutes for jobs, 1 for
   * deliveries (job-runner.ts, delivery-runner.ts). To keep the test bounded, end them now,
   * as the clock would; the production leases are unchanged.
   */
  const expireLeases = async () => {
    await test.prisma.$executeRaw`
      UPDATE submission_jobs SET locked_until = now() - interval '1 second' WHERE locked_until > now()`;
    await test.prisma.$executeRaw`
      UPDATE deliveries SET locked_until = now() - interval '1 second' WHERE locked_until > now()`;
  };

  /** Polls until `done`, within the scenario's deadline; a worker that exits meanwhile fails. */
  const waitFor = async (worker: AppProcess, done: () => boolean | Promise<boolean>) => {
    while (!(await done())) {
      if (!worker.running && worker !== killOnRequest?.worker)
        throw new Error(`the worker exited:\n${worker.output.join('')}`);
      if (Date.now() > deadline)
        throw new Error(
          `not done by the deadline: ${JSON.stringify(await counts())}\n${worker.output.join('')}`,
        );
      await sleep(100);
    }
  };

  const counts = async () => {
    const [row] = await test.prisma.$queryRaw<
      {
        completed: number;
        delivered: number;
        deliveries: number;
        leasedJobs: number;
        leasedDeliveries: number;
      }[]
    >`
      SELECT
        (SELECT count(*)::int FROM submissions WHERE processing_status = 'completed') AS completed,
        (SELECT count(*)::int FROM deliveries WHERE status = 'delivered') AS delivered,
        (SELECT count(*)::int FROM deliveries) AS deliveries,
        (SELECT count(*)::int FROM submission_jobs WHERE locked_until > now()) AS "leasedJobs",
        (SELECT count(*)::int FROM deliveries WHERE locked_until > now()) AS "leasedDeliveries"`;
    return row!;
  };

  it('finishes every submission and delivers every event after a SIGKILL and a restart', async () => {
    deadline = Date.now() + DEADLINE_MS;
    const ids: string[] = [];
    for (let i = 0; i < SUBMISSIONS; i += 10) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(10, SUBMISSIONS - i) }, (_, j) =>
          request(test.url)
            .post(form.path)
            .send({ email: `crash-${i + j}@example.com`, message: `Crash test message ${i + j}` })
            .expect(201),
        ),
      );
      ids.push(...answers.map((answer) => answer.body.id as string));
    }

    // First worker: SIGKILL while it processes a batch, as soon as it has completed some
    // submissions but not all; the rest of its batch stays claimed by a dead process.
    const first = startWorker();
    let atFirstKill = await counts();
    while (atFirstKill.completed === 0 || atFirstKill.leasedJobs === 0) {
      if (!first.running) throw new Error(`the worker exited early:\n${first.output.join('')}`);
      if (Date.now() > deadline) throw new Error('the first worker completed nothing in time');
      await sleep(10);
      atFirstKill = await counts();
    }
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const afterFirstKill = await counts();
    expect(afterFirstKill.completed).toBeLessThan(SUBMISSIONS);
    expect(afterFirstKill.leasedJobs).toBeGreaterThan(0);
    await expireLeases();

    // Second worker: SIGKILL from inside the receiver, while one of its webhooks is in
    // flight (sent, outcome not recorded) and the rest of its delivery batch is claimed.
    const second = startWorker();
    killOnRequest = { worker: second, at: CRASH_AT_REQUEST };
    await waitFor(second, () => hook.received.length >= CRASH_AT_REQUEST);
    expect(await second.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const afterSecondKill = await counts();
    expect(afterSecondKill.delivered).toBeLessThan(SUBMISSIONS);
    expect(afterSecondKill.leasedDeliveries).toBeGreaterThan(0);
    await expireLeases();

    // Third worker: finishes everything.
    const third = startWorker();
    await waitFor(third, async () => {
      // Fast-forwarding the retry clock: once the receiver is back, the retries it refused
      // are due now instead of in about 10 or 60 s (delivery-policy.ts).
      if (hook.received.length > FAILING_REQUESTS) {
        await test.prisma.$executeRaw`
          UPDATE deliveries SET next_attempt_at = now()
          WHERE status = 'pending' AND next_attempt_at > now()`;
      }
      const now = await counts();
      return now.completed === SUBMISSIONS && now.delivered === SUBMISSIONS;
    });

    // A graceful stop still works after the crash recovery. Nest closes the context, then
    // re-raises the signal (enableShutdownHooks), so the exit is by SIGTERM, not code 0.
    third.kill('SIGTERM');
    const timer = new AbortController();
    const stopped = await Promise.race([
      third.exited,
      sleep(15_000, 'timeout', { signal: timer.signal }).catch(() => 'timeout'),
    ]);
    timer.abort();
    expect(stopped).toEqual({ code: null, signal: 'SIGTERM' });

    const submissions = await test.prisma.submission.findMany({
      where: { id: { in: ids } },
      select: { id: true, processingStatus: true },
    });
    expect(submissions).toHaveLength(SUBMISSIONS);
    expect(submissions.every((s) => s.processingStatus === 'completed')).toBe(true);
    const deliveries = await test.prisma.delivery.findMany({
      select: { submissionId: true, eventId: true, status: true },
    });
    expect(deliveries).toHaveLength(SUBMISSIONS);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);

    // The receiver's side: every request is signed, and de-duplicating by webhook-id leaves
    // exactly one event per submission, with the event id the delivery log shows.
    const bySubmission = new Map<string, Set<string>>();
    const byWebhookId = new Map<string, Set<string>>();
    for (const req of hook.received) {
      const event = verifyWebhook(secret, req) as Event;
      const webhookId = String(req.headers['webhook-id']);
      expect(event.id).toBe(webhookId);
      const submissionId = event.data.submission.id;
      byWebhookId.set(webhookId, (byWebhookId.get(webhookId) ?? new Set()).add(submissionId));
      bySubmission.set(submissionId, (bySubmission.get(submissionId) ?? new Set()).add(webhookId));
    }
    // The webhook in flight at the second kill reached the receiver but was never recorded
    // as delivered: it was sent again, under the same webhook-id (checked below).
    expect(hook.received.length).toBeGreaterThan(SUBMISSIONS + FAILING_REQUESTS);
    const interrupted = await test.prisma.deliveryAttempt.count({
      where: { error: { startsWith: 'interrupted' } },
    });
    expect(interrupted).toBeGreaterThan(0);
    expect(byWebhookId.size).toBe(SUBMISSIONS);
    expect(bySubmission.size).toBe(SUBMISSIONS);
    expect([...bySubmission.keys()].sort()).toEqual([...ids].sort());
    for (const webhookIds of bySubmission.values()) expect(webhookIds.size).toBe(1);
    for (const submissionIds of byWebhookId.values()) expect(submissionIds.size).toBe(1);
    for (const delivery of deliveries)
      expect(bySubmission.get(delivery.submissionId)).toEqual(new Set([delivery.eventId]));
  }, 120_000);
});
