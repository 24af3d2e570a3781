import { MigrationsService, Migrator } from '@intake/database';
import { startTestApp } from '../support/test-app';

describe('migrations', () => {
  it('agree with schema.prisma (run `npm run db:migration:new <name>` when this fails)', async () => {
    expect(await new Migrator().diff()).toBe('');
  });

  it('apply once and then find nothing left to do', async () => {
    const test = await startTestApp();
    try {
      const migrations = test.app.get(MigrationsService);
      expect(await migrations.pending()).toEqual([]);
      expect(await migrations.applyPending()).toEqual([]);
      const rows = await test.prisma.$queryRaw<
        { migration_name: string; checksum: string }[]
      >`SELECT migration_name, checksum FROM _prisma_migrations`;
      expect(rows.map((row) => row.migration_name)).toEqual(new Migrator().migrationNames());
    } finally {
      await test.close();
    }
  });
});
