import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { openDatabase, type MigrationConnection, type OpenDatabase } from './database-target';
import { Prisma, PrismaClient } from './generated/prisma/client';

/** The role tenant transactions switch to; row-level security applies to it (see migrations). */
export const APP_ROLE = 'intake_app';

export type TenantTransaction = Prisma.TransactionClient;

/**
 * The database client. Plain calls run in the system context (the connection's own role,
 * which row-level security does not restrict); they are for lookups that happen before an
 * owner is known, such as resolving a session or an API key by its hash. Everything done
 * for an owner goes through `asOwner`.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  private readonly database: OpenDatabase;

  constructor(config: AppConfig) {
    const database = openDatabase(config.database);
    const bound = config.env.DATABASE_STATEMENT_TIMEOUT_MS;
    super({
      adapter: database.adapter,
      // 'minimal' skips capturing a stack trace per query to pretty-print errors: measurable
      // on the ingest path (bench/README.md), and our errors are logged with their own stack.
      errorFormat: 'minimal',
      // One bound for the database: Prisma's own defaults (2 s to get a connection, 5 s per
      // transaction) would cut a busy but healthy database short of what a statement and
      // the pool's connect are allowed, and fail a request that would have succeeded.
      transactionOptions: { maxWait: bound, timeout: bound },
    });
    this.database = database;
  }

  get schema(): string {
    return this.database.schema;
  }

  openMigrationConnection(): MigrationConnection {
    return this.database.migrationConnection();
  }

  /**
   * Runs `work` in a transaction as the application role with the owner id set, so that
   * row-level security hides every other owner's rows even from a query that forgets its
   * `userId` filter. Both settings are transaction-local (`set_config(..., true)`) and end
   * with it, so a pooled connection never carries one owner's context into the next use.
   */
  asOwner<T>(ownerId: string, work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
    return this.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('role', ${APP_ROLE}, true), set_config('intake.user_id', ${ownerId}, true)`;
      return work(tx);
    });
  }

  /**
   * At application shutdown, not module destroy: Nest destroys modules before it closes the
   * HTTP server, so requests still draining (and a worker's batch in hand) would find the
   * pool gone. Shutdown hooks run after the server has closed, global modules last.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }
}

/** A unique constraint refused the write (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
