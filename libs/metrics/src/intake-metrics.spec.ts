import { loadConfig } from '@intake/config';
import { IntakeMetrics } from './intake-metrics';

const metrics = (env: Record<string, string> = {}) =>
  new IntakeMetrics(loadConfig({ DATA_DIR: 'memory://', ...env }));
const METRICS_TOKEN = 'm'.repeat(32);

describe('IntakeMetrics', () => {
  it('starts every labelled failure series at 0, so rate() sees the first failure', async () => {
    const text = await metrics().exposition();
    expect(text).toContain('intake_job_failures_total{kind="submission_processing"} 0');
    expect(text).toContain('intake_job_failures_total{kind="retention"} 0');
    for (const type of ['webhook', 'slack', 'discord'])
      expect(text).toContain(`intake_delivery_failures_total{destination_type="${type}"} 0`);
  });

  it('reads queue depths at scrape time, leaving out a queue whose count fails', async () => {
    const subject = metrics();
    let pending = 3;
    subject.observeQueueDepth('submission_jobs', async () => pending);
    subject.observeQueueDepth('deliveries', () => Promise.reject(new Error('database down')));
    expect(await subject.exposition()).toContain('intake_queue_depth{queue="submission_jobs"} 3');
    pending = 0;
    const text = await subject.exposition();
    expect(text).toContain('intake_queue_depth{queue="submission_jobs"} 0');
    expect(text).not.toContain('queue="deliveries"');
  });

  it('samples the process metrics only when someone may scrape (METRICS_TOKEN)', async () => {
    expect(await metrics().exposition()).not.toContain('process_resident_memory_bytes');
    const enabled = metrics({ METRICS_TOKEN });
    expect(enabled.enabled).toBe(true);
    expect(await enabled.exposition()).toContain('process_resident_memory_bytes');
  });

  it('labels requests by status class', async () => {
    const subject = metrics({ METRICS_TOKEN });
    subject.httpRequest('GET', '/api/forms/:id', 404, 0.002);
    expect(await subject.exposition()).toContain(
      'intake_http_request_duration_seconds_count{method="GET",route="/api/forms/:id",status_class="4xx"} 1',
    );
  });
});
