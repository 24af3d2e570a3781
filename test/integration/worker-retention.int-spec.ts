import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@intake/config';
import { RetentionScheduler, RetentionService } from '@intake/submissions';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';

describe('retention scheduling', () => {
  it('is wired into the worker, which always prunes', async () => {
    const database = await createTestDatabase();
    const config = loadConfig({
      SECRET_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
      ...database.env,
    });
    const worker = await NestFactory.createApplicationContext(WorkerModule.register(config), {
      logger: false,
    });
    try {
      await worker.init();
      expect(worker.get(RetentionScheduler, { strict: false }).enabled).toBe(true);
      expect(worker.get(RetentionService, { strict: false })).toBeInstanceOf(RetentionService);
    } finally {
      await worker.close();
      await database.drop();
    }
  });

  it('runs inside the api only when the database is the embedded PGlite', async () => {
    const test = await startTestApp();
    try {
      const scheduler = test.app.get(RetentionScheduler, { strict: false });
      expect(scheduler.enabled).toBe(test.config.jobsInApi);
    } finally {
      await test.close();
    }
  });
});
