import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { IntakeMetrics } from '@intake/metrics';
import { RetentionService } from './retention.service';

export const RETENTION_SCHEDULE = Symbol('RETENTION_SCHEDULE');

/**
 * Where pruning runs: `always` in the worker; `embedded-only` in the api, which prunes only
 * on the embedded PGlite database, where there is no separate worker process.
 */
export interface RetentionSchedule {
  when: 'always' | 'if-api-runs-jobs';
  intervalMs: number;
}

export const DEFAULT_RETENTION_INTERVAL_MS = 10 * 60 * 1000;

/** Runs `pruneExpired` on an interval; never two runs at once in this process. */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly retention: RetentionService,
    private readonly config: AppConfig,
    @Inject(RETENTION_SCHEDULE) private readonly schedule: RetentionSchedule,
    private readonly metrics: IntakeMetrics,
  ) {}

  get enabled(): boolean {
    return this.schedule.when === 'always' || this.config.jobsInApi;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    // The first run waits one interval: a restart loop should not hammer the database, and
    // unref() lets a process that is otherwise done exit.
    this.timer = setInterval(() => void this.runOnce(), this.schedule.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and lets a run in progress finish before the database closes after us. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One run, unless one is already under way (a slow run must not pile up behind the timer). */
  runOnce(): Promise<void> {
    this.running ??= this.retention
      .pruneExpired()
      .then(() => undefined)
      .catch((error: unknown) => {
        this.metrics.jobFailed('retention');
        this.logger.error({ msg: 'Retention run failed', err: error });
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
