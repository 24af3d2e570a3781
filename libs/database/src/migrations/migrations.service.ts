import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@intake/config';
import { PrismaService } from '../prisma.service';
import { Migrator } from './migrator';

/**
 * Applies and inspects this deployment's migrations over the application's own connection.
 * With `MIGRATE_ON_BOOT` (the embedded default) every process applies them while its modules
 * initialise, before any job loop or HTTP listener starts.
 */
@Injectable()
export class MigrationsService implements OnModuleInit {
  private readonly logger = new Logger(MigrationsService.name);
  private readonly migrator = new Migrator();
  /** The migrations this build ships; they cannot change while it runs. */
  private readonly expected = this.migrator.migrationNames();

  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.migrateOnBoot) await this.applyPending();
  }

  async applyPending(): Promise<string[]> {
    const connection = this.prisma.openMigrationConnection();
    try {
      const applied = await this.migrator.apply(connection.adapter);
      if (applied.length) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
      return applied;
    } finally {
      await connection.close();
    }
  }

  /** Migrations in `prisma/migrations` that this database has not finished applying. */
  async pending(): Promise<string[]> {
    const [table] = await this.prisma.$queryRaw<{ exists: boolean }[]>`
      SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
    const rows = table?.exists
      ? await this.prisma.$queryRaw<{ migration_name: string }[]>`
          SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`
      : [];
    const applied = new Set(rows.map((row) => row.migration_name));
    return this.expected.filter((name) => !applied.has(name));
  }
}
