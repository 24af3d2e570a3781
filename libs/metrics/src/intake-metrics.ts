import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppConfig } from '@intake/config';
import type { DestinationType } from '@intake/database';

/** Work that runs off the request path and can fail (see `jobFailed`). */
export type JobKind = 'submission_processing' | 'retention';

/** The database queues whose depth is read at scrape time. */
export type QueueName = 'submission_jobs' | 'deliveries';

/** Every label value, so each series exists at 0 from the start (`rate()` needs a start). */
const JOB_KINDS: Record<JobKind, null> = { submission_processing: null, retention: null };
const DESTINATION_TYPES: Record<DestinationType, null> = {
  webhook: null,
  slack: null,
  discord: null,
};

/**
 * Intake's Prometheus instruments, one registry per process (never prom-client's global
 * one: two apps in one test process must not share or collide). Features call the small
 * methods below; each is a counter increment, so the ingest path stays cheap. The
 * queue-depth gauge asks its sources only when Prometheus scrapes.
 */
@Injectable()
export class IntakeMetrics {
  readonly registry = new Registry();
  /** The Prometheus text exposition format (version 0.0.4). */
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
  /** `METRICS_TOKEN` is set: someone may scrape, so the process metrics are worth sampling. */
  readonly enabled: boolean;
  private readonly queueDepthSources = new Map<QueueName, () => Promise<number>>();

  private readonly httpDuration = new Histogram({
    name: 'intake_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status class; _count is the request count.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly jobFailures = new Counter({
    name: 'intake_job_failures_total',
    help: 'Failed job runs by kind (each failed attempt of a retried job counts).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly deliveryFailures = new Counter({
    name: 'intake_delivery_failures_total',
    help: 'Failed delivery attempts by destination type (each retry counts).',
    labelNames: ['destination_type'] as const,
    registers: [this.registry],
  });

  private readonly submissionsAccepted = new Counter({
    name: 'intake_submissions_accepted_total',
    help: 'Submissions stored by the public endpoint (idempotent replays excluded).',
    registers: [this.registry],
  });

  private readonly submissionsSpam = new Counter({
    name: 'intake_submissions_spam_total',
    help: 'Submissions whose processing settled on spam (honeypot, standard or AI check).',
    registers: [this.registry],
  });

  constructor(config: AppConfig) {
    this.enabled = config.env.METRICS_TOKEN !== undefined;
    const sources = this.queueDepthSources;
    new Gauge({
      name: 'intake_queue_depth',
      help: 'Jobs waiting or running per queue, database-wide (every instance reports the same value).',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      // A queue whose count fails (database down) is left out of this scrape, not reported
      // as a stale or zero value: `absent()` can alert on it.
      async collect() {
        const depths = await Promise.all(
          [...sources].map(([queue, count]) =>
            count().then(
              (depth) => ({ queue, depth }),
              () => null,
            ),
          ),
        );
        this.reset();
        for (const read of depths) if (read) this.set({ queue: read.queue }, read.depth);
      },
    });
    for (const kind of Object.keys(JOB_KINDS)) this.jobFailures.inc({ kind }, 0);
    for (const type of Object.keys(DESTINATION_TYPES))
      this.deliveryFailures.inc({ destination_type: type }, 0);
    // RSS, heap, event loop lag, GC: sampled at scrape time, under their standard names.
    if (this.enabled) collectDefaultMetrics({ register: this.registry });
  }

  /** `route` must be a template (`/api/forms/:id`), never a raw path: paths carry secrets. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe(
      { method, route, status_class: `${Math.floor(status / 100)}xx` },
      seconds,
    );
  }

  submissionAccepted(): void {
    this.submissionsAccepted.inc();
  }

  submissionFlaggedSpam(): void {
    this.submissionsSpam.inc();
  }

  jobFailed(kind: JobKind): void {
    this.jobFailures.inc({ kind });
  }

  deliveryFailed(type: DestinationType): void {
    this.deliveryFailures.inc({ destination_type: type });
  }

  /** `count` must be cheap (an indexed count): it runs on every scrape. */
  observeQueueDepth(queue: QueueName, count: () => Promise<number>): void {
    this.queueDepthSources.set(queue, count);
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
