import { setTimeout as sleep } from 'node:timers/promises';

/** One submission's fate, as its client saw it. */
export interface IngestOutcome {
  /** HTTP status, or null when no answer came (connection error or client timeout). */
  status: number | null;
  body: unknown;
  /** For a null status: `timeout` (a hang) or the connection error's code. */
  error?: string;
}

/** Long enough for any answer Intake gives under a fault; a request past it hung. */
const CLIENT_TIMEOUT_MS = 20_000;
/** Between one client's submissions. */
const PAUSE_MS = 100;

function causeCode(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Sustained public ingest: `concurrency` clients each POST a submission, pause `PAUSE_MS`,
 * and go again, until stopped or `limit` are sent. Each request has a bounded timeout, so a
 * hang shows as a `timeout` outcome instead of a stuck test. The pause keeps the rate
 * modest (at most concurrency × 10/s): a fault test needs a steady flow, not a benchmark,
 * on a machine it shares. Faults are injected between `untilAnswered` calls, by count, not
 * by clock.
 */
export class IngestLoad {
  readonly outcomes: IngestOutcome[] = [];
  private running = true;
  private sent = 0;
  /** Every client has stopped (stopped, or the limit reached and answered). */
  private ended = false;
  private readonly clients: Promise<void>;

  constructor(
    private readonly endpoint: string,
    concurrency = 8,
    private readonly limit = 3_000,
  ) {
    const clients = Array.from({ length: concurrency }, () => this.client());
    this.clients = Promise.all(clients).then(() => {
      this.ended = true;
    });
  }

  private async client(): Promise<void> {
    while (this.running && this.sent < this.limit) {
      this.sent += 1;
      const n = this.sent;
      this.outcomes.push(await this.submit(n));
      await sleep(PAUSE_MS);
    }
  }

  private async submit(n: number): Promise<IngestOutcome> {
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `load-${n}@example.com`, message: `Load ${n}` }),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const text = await response.text();
      return { status: response.status, body: parsed(text) };
    } catch (error) {
      return { status: null, body: null, error: causeCode(error) };
    }
  }

  /** Waits until `count` submissions have been answered (or failed) in all. */
  async untilAnswered(count: number): Promise<void> {
    while (this.outcomes.length < count) {
      if (this.ended)
        throw new Error(`the load ended at ${this.outcomes.length} of ${count} answers`);
      await sleep(20);
    }
  }

  /** Waits until `predicate` holds for some answer after index `from`. */
  async until(predicate: (outcome: IngestOutcome) => boolean, from: number): Promise<void> {
    while (!this.outcomes.slice(from).some(predicate)) {
      if (this.ended) throw new Error('the load ended before the awaited answer');
      await sleep(20);
    }
  }

  async stop(): Promise<IngestOutcome[]> {
    this.running = false;
    await this.clients;
    return this.outcomes;
  }

  /** Ids of the acknowledged (201) submissions, of all answers or from index `from` on. */
  acknowledged(from = 0): string[] {
    return this.outcomes
      .slice(from)
      .flatMap((outcome) => (outcome.status === 201 ? [(outcome.body as { id: string }).id] : []));
  }
}
