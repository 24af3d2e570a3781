import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@intake/config';
import { IntakeMetrics } from '@intake/metrics';
import { RetentionScheduler, type RetentionSchedule } from './retention.scheduler';
import type { PruneResult, RetentionService } from './retention.service';

const INTERVAL_MS = 1_000;
const SECRET_KEY = randomBytes(32).toString('base64');
const embedded = loadConfig({ SECRET_KEY, DATA_DIR: 'memory://' });
const postgres = loadConfig({ SECRET_KEY, DATABASE_URL: 'postgresql://intake@db:5432/intake' });

/** A RetentionService whose runs finish only when the test says so. */
function controllableRetention() {
  const finishers: (() => void)[] = [];
  const pruneExpired = jest.fn(
    () =>
      new Promise<PruneResult>((resolve) =>
        finishers.push(() =>
          resolve({
            submissions: 0,
            idempotencyKeys: 0,
            auditEvents: 0,
            accountTokens: 0,
            oauthRecords: 0,
          }),
        ),
      ),
  );
  const finishAll = async () => {
    finishers.splice(0).forEach((finish) => finish());
    await Promise.resolve();
  };
  return { service: { pruneExpired } as unknown as RetentionService, pruneExpired, finishAll };
}

function scheduler(
  retention: RetentionService,
  config = embedded,
  when: RetentionSchedule['when'] = 'if-api-runs-jobs',
  metrics = new IntakeMetrics(config),
) {
  return new RetentionScheduler(retention, config, { when, intervalMs: INTERVAL_MS }, metrics);
}

describe('RetentionScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs in the api only on the embedded database, and always in the worker', () => {
    const { service } = controllableRetention();
    expect(scheduler(service, embedded).enabled).toBe(true);
    expect(scheduler(service, postgres).enabled).toBe(false);
    expect(scheduler(service, postgres, 'always').enabled).toBe(true);
  });

  it('runs every interval, starting one interval after boot, and never overlaps itself', async () => {
    const { service, pruneExpired, finishAll } = controllableRetention();
    const subject = scheduler(service);
    subject.onApplicationBootstrap();
    expect(pruneExpired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(INTERVAL_MS);
    expect(pruneExpired).toHaveBeenCalledTimes(1);
    // The first run is still going: further ticks do not start another.
    jest.advanceTimersByTime(3 * INTERVAL_MS);
    expect(pruneExpired).toHaveBeenCalledTimes(1);
    await finishAll();
    await Promise.resolve();
    jest.advanceTimersByTime(INTERVAL_MS);
    expect(pruneExpired).toHaveBeenCalledTimes(2);
    await finishAll();
    await subject.onModuleDestroy();
  });

  it('does not schedule when disabled', () => {
    const { service, pruneExpired } = controllableRetention();
    scheduler(service, postgres).onApplicationBootstrap();
    jest.advanceTimersByTime(10 * INTERVAL_MS);
    expect(pruneExpired).not.toHaveBeenCalled();
  });

  it('stops on shutdown, after letting the run in progress finish', async () => {
    const { service, pruneExpired, finishAll } = controllableRetention();
    const subject = scheduler(service);
    subject.onApplicationBootstrap();
    jest.advanceTimersByTime(INTERVAL_MS);
    let stopped = false;
    const stopping = subject.onModuleDestroy().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    await finishAll();
    await stopping;
    jest.advanceTimersByTime(10 * INTERVAL_MS);
    expect(pruneExpired).toHaveBeenCalledTimes(1);
  });

  it('logs and counts a failing run, and keeps going', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const pruneExpired = jest
      .fn()
      .mockRejectedValueOnce(new Error('database down'))
      .mockResolvedValue({
        submissions: 0,
        idempotencyKeys: 0,
        auditEvents: 0,
        accountTokens: 0,
        oauthRecords: 0,
      });
    const metrics = new IntakeMetrics(embedded);
    const subject = scheduler(
      { pruneExpired } as unknown as RetentionService,
      embedded,
      'if-api-runs-jobs',
      metrics,
    );
    await expect(subject.runOnce()).resolves.toBeUndefined();
    await expect(subject.runOnce()).resolves.toBeUndefined();
    expect(pruneExpired).toHaveBeenCalledTimes(2);
    expect(logged).toHaveBeenCalledTimes(1);
    const failures = await metrics.registry.getSingleMetric('intake_job_failures_total')?.get();
    expect(failures?.values).toContainEqual({ labels: { kind: 'retention' }, value: 1 });
    logged.mockRestore();
  });
});
