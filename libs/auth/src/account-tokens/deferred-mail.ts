import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Mail work done after the answer is sent. Requests that must not reveal whether an
 * address has an account (magic link, password reset, e-mail change) answer at once and do
 * the account lookup, the token and the SMTP round trip here, so neither the answer nor its
 * timing depends on the account; other mail (verification) waits on no SMTP server either.
 * Not durable: a crash loses the mail and the user asks again (there is no submission at
 * stake, unlike the processing queue); shutdown waits for what is under way.
 */
@Injectable()
export class DeferredMail implements OnApplicationShutdown {
  private readonly logger = new Logger('DeferredMail');
  private readonly pending = new Set<Promise<void>>();

  /** Starts `work` on a later tick; a failure is logged (`what` names it), never thrown. */
  run(what: string, work: () => Promise<void>): void {
    const task: Promise<void> = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.logger.error({ msg: `Could not ${what}`, err: error }))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves once all work started so far has finished (shutdown; tests that expect no mail). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  onApplicationShutdown(): Promise<void> {
    return this.settled();
  }
}
