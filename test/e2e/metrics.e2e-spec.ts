import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { DeliveryRunner } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { apiOwner, type ApiOwner } from '../support/accounts';
import { AppProcess, buildDist } from '../support/app-process';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import { createForm } from '../support/forms';
import { freePort } from '../support/free-port';
import { parseExposition, sumOf, type MetricSample } from '../support/metrics';
import { startReceiver, type Receiver } from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingPostgres } from '../support/test-database';

const TOKEN = randomBytes(32).toString('hex');
/** The text exposition format (Express may reorder the parameters). */
const PROMETHEUS_TEXT = /^text\/plain;(?=.*\bversion=0\.0\.4\b)(?=.*\bcharset=utf-8\b)/;
const PUBLIC_FORM_ROUTE = '/api/:opaque/f/:slug';

/** Polls `url` until it answers at all; the process must stay up meanwhile. */
async function waitForListener(process: AppProcess, url: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const answered = await fetch(url).then(
      () => true,
      () => false,
    );
    if (answered) return;
    if (!process.running || attempt > 600)
      throw new Error(`the process did not start:\n${process.output.join('')}`);
    await sleep(100);
  }
}

/**
 * Prometheus metrics of the real api: off without METRICS_TOKEN, bearer-protected with it,
 * and counting what the features do (ingest, spam, failed jobs and deliveries) by route
 * template, never by a raw path (the public endpoints' opaque segment is a secret).
 */
describe('metrics', () => {
  let test: TestApp;
  let owner: ApiOwner;
  let hook: Receiver;
  let model: FakeOpenAi;

  beforeAll(async () => {
    hook = await startReceiver();
    hook.reply = () => ({ status: 500, body: 'down' });
    model = await startFakeOpenAi();
    model.mode = 'error';
    test = await startTestApp({
      METRICS_TOKEN: TOKEN,
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: model.baseUrl,
    });
    owner = await apiOwner(test);
  });
  afterAll(async () => {
    await test?.close();
    await model?.close();
    await hook?.close();
  });

  const scrape = async (): Promise<{ text: string; samples: MetricSample[] }> => {
    const response = await request(test.url)
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(response.headers['content-type']).toMatch(PROMETHEUS_TEXT);
    expect(response.headers['cache-control']).toBe('no-store');
    return { text: response.text, samples: parseExposition(response.text) };
  };

  it('answers only the bearer of METRICS_TOKEN', async () => {
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN.slice(1)}`,
      `Bearer ${TOKEN}x`,
      `Basic ${TOKEN}`,
      `Bearer ${owner.key}`,
    ]) {
      const attempt = request(test.url).get('/metrics');
      if (authorization) attempt.set('Authorization', authorization);
      const response = await attempt.expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body.error.code).toBe('unauthorized');
    }
  });

  it('counts ingest, spam, failed jobs and failed deliveries, by route template only', async () => {
    const before = (await scrape()).samples;
    const form = await createForm(owner, { ip_rate_limit: 0 });
    await owner
      .api('post', `/api/forms/${form.id}/destinations`)
      .send({ name: 'Down', type: 'webhook', url: hook.url })
      .expect(201);
    const aiForm = await createForm(owner, {
      ip_rate_limit: 0,
      spam_protection_enabled: true,
      spam_protection_strategy: 'intelligent',
    });
    const genuine = { email: 'ada@example.com', message: 'Hello there' };
    await request(test.url).post(form.path).send(genuine).expect(201);
    await request(test.url)
      .post(form.path)
      .send({ ...genuine, website: 'http://spam.example' })
      .expect(201);
    await request(test.url).post(aiForm.path).send(genuine).expect(201);
    await request(test.url).get('/no/such/path').expect(404);
    // The job run: processing (the AI call fails: a job failure), then the deliveries.
    await test.app.get(JobRunner).drain();
    await test.app.get(DeliveryRunner).drain();

    const { text, samples } = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sumOf(samples, name, labels) - sumOf(before, name, labels);
    expect(moved('intake_submissions_accepted_total')).toBe(3);
    expect(moved('intake_submissions_spam_total')).toBe(1);
    // At least: a retry that comes due while the drain still runs fails again.
    expect(moved('intake_job_failures_total', { kind: 'submission_processing' })).toBeGreaterThan(
      0,
    );
    expect(moved('intake_delivery_failures_total', { destination_type: 'webhook' })).toBe(1);
    expect(sumOf(samples, 'intake_delivery_failures_total', { destination_type: 'slack' })).toBe(0);
    // The AI job waits for its retry; the failed delivery for its next attempt.
    expect(sumOf(samples, 'intake_queue_depth', { queue: 'submission_jobs' })).toBe(1);
    expect(sumOf(samples, 'intake_queue_depth', { queue: 'deliveries' })).toBe(1);

    const requests = (labels: Record<string, string>) =>
      moved('intake_http_request_duration_seconds_count', labels);
    expect(requests({ method: 'POST', route: PUBLIC_FORM_ROUTE, status_class: '2xx' })).toBe(3);
    expect(requests({ method: 'POST', route: '/api/forms', status_class: '2xx' })).toBe(2);
    expect(requests({ method: 'GET', route: '(unrouted)', status_class: '4xx' })).toBe(1);
    const routes = new Set(samples.map((sample) => sample.labels.route).filter(Boolean));
    expect(routes).not.toContain('/metrics');
    // The process metrics prom-client samples at scrape time.
    expect(sumOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);

    // Nothing secret or personal: no opaque segment, raw path, key or e-mail address.
    const opaque = form.path.split('/')[2]!;
    for (const secret of [opaque, aiForm.path.split('/')[2]!, '/no/such/path', owner.key]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect([...routes].every((route) => !route.includes(opaque))).toBe(true);
  });

  (usingPostgres ? describe : describe.skip)('the worker’s listener on METRICS_PORT', () => {
    // PostgreSQL only: the worker is a second process, and PGlite lives inside the first.
    let worker: AppProcess;
    let url: string;

    beforeAll(async () => {
      buildDist();
      const database = test.config.database;
      if (database.kind !== 'postgres') throw new Error('the worker needs PostgreSQL');
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      worker = new AppProcess('worker', {
        DATABASE_URL: database.url,
        SECRET_KEY: test.config.secretKey.toString('base64'),
        METRICS_TOKEN: TOKEN,
        METRICS_PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      });
      await waitForListener(worker, `${url}/metrics`);
    }, 120_000);
    afterAll(async () => {
      worker?.kill('SIGTERM');
      await worker?.exited;
    });

    it('serves its own metrics to the token bearer only', async () => {
      await request(url).get('/metrics').expect(401);
      await request(url).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
      await request(url).get('/other').set('Authorization', `Bearer ${TOKEN}`).expect(404);
      const response = await request(url)
        .get('/metrics')
        .set('Authorization', `Bearer ${TOKEN}`)
        .expect(200);
      expect(response.headers['content-type']).toMatch(PROMETHEUS_TEXT);
      const samples = parseExposition(response.text);
      expect(samples).toContainEqual(
        expect.objectContaining({ name: 'intake_queue_depth', labels: { queue: 'deliveries' } }),
      );
      expect(sumOf(samples, 'intake_job_failures_total', { kind: 'retention' })).toBe(0);
      expect(sumOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      // Per process: the api's ingest counts are not the worker's.
      expect(sumOf(samples, 'intake_submissions_accepted_total')).toBe(0);
    });
  });
});

/**
 * The production build of the api (`node dist/...`, embedded database) without
 * METRICS_TOKEN: /metrics does not exist, and a traced request's log lines carry its
 * W3C trace context under OpenTelemetry's field names.
 */
describe('the api process', () => {
  const TRACE_ID = randomBytes(16).toString('hex');
  const SPAN_ID = randomBytes(8).toString('hex');
  let api: AppProcess;
  let url: string;

  beforeAll(async () => {
    buildDist();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = new AppProcess('api', {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'info',
    });
    await waitForListener(api, `${url}/healthz`);
  }, 120_000);
  afterAll(async () => {
    api?.kill('SIGTERM');
    await api?.exited;
  });

  it('has no /metrics without METRICS_TOKEN', async () => {
    await request(url).get('/metrics').expect(404);
    await request(url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
  });

  it('logs the trace context of a request that carries one', async () => {
    await request(url).get('/api/audit-log').expect(401);
    await request(url)
      .get('/api/forms')
      .set('traceparent', `00-${TRACE_ID}-${SPAN_ID}-01`)
      .expect(401);
    const lines = () =>
      api.output
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The access line is written once the answer is out: wait for it.
    for (let attempt = 0; attempt < 100 && !lines().some((line) => line.trace_id); attempt += 1)
      await sleep(50);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        trace_id: TRACE_ID,
        span_id: SPAN_ID,
        trace_flags: '01',
        req: expect.objectContaining({ path: '/api/forms' }),
      }),
    );
    const untraced = lines().find((line) =>
      JSON.stringify(line.req ?? '').includes('/api/audit-log'),
    );
    expect(untraced).toBeDefined();
    expect(untraced).not.toHaveProperty('trace_id');
    // Scrapes and probes stay out of the access log.
    expect(lines().filter((line) => JSON.stringify(line.req ?? '').includes('/metrics'))).toEqual(
      [],
    );
  });
});
