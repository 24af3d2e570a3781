import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { developmentSettingWarnings, exitOnStartupFailure, loadConfig } from '@intake/config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), {
    logger: false,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // SIGTERM/SIGINT close the context (and its database pool) and let the process exit.
  app.enableShutdownHooks();
  await app.init();
  for (const warning of developmentSettingWarnings(config.env)) logger.warn(warning);
  logger.log(`Intake worker started (database: ${config.database.kind})`);
}

bootstrap().catch(exitOnStartupFailure('The Intake worker'));
