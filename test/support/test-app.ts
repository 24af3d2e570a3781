import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@intake/config';
import { PrismaService } from '@intake/database';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';
import { createTestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  prisma: PrismaService;
  /** Base URL of the listening server, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The database (and Redis prefix) settings, for a second instance of the same deployment. */
  databaseEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Boots the real api (same module, same `configureApp`) on a fresh database and a random
 * loopback port. `env` overrides configuration for this test file. With `sameDeploymentAs`,
 * it boots another instance on that app's database, Redis prefix and secret key (a
 * scale-out deployment); closing it leaves the shared database alone.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { sameDeploymentAs?: TestApp } = {},
): Promise<TestApp> {
  const shared = options.sameDeploymentAs;
  const database = shared
    ? {
        env: { ...shared.databaseEnv, SECRET_KEY: shared.config.env.SECRET_KEY ?? '' },
        drop: async () => undefined,
      }
    : await createTestDatabase();
  const config = loadConfig({
    SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    MIGRATE_ON_BOOT: 'true',
    // Tests that need processing start the job runner themselves, so the others see stable state.
    JOBS_IN_API: 'false',
    ...database.env,
    ...env,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bodyParser: false,
    logger: false,
    abortOnError: false,
  });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    prisma: app.get(PrismaService),
    url: `http://127.0.0.1:${address.port}`,
    databaseEnv: database.env,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
