import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { developmentSettingWarnings, exitOnStartupFailure, loadConfig } from '@intake/config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

/** How often Node looks for connections past headersTimeout or requestTimeout. */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    // Startup failures reach the catch below as one clear message; pino takes over after.
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  configureApp(app, config);
  const logger = app.get(Logger);

  // Bounded timeouts so slow or idle clients cannot hold sockets forever (slowloris). Set
  // before listen: Node enforces the first two on a timer that starts with listening and
  // ticks every connectionsCheckingInterval (30 s by default, coarser than the timeouts).
  const server = app.getHttpServer() as Server;
  server.headersTimeout = config.env.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.env.HTTP_REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = config.env.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  // A createServer option that @types/node does not declare on the instance; Node reads it
  // from there when listening starts.
  Object.assign(server, { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS });
  await app.listen(config.env.PORT, config.env.HOST ?? '::');

  // enableShutdownHooks closes the server on SIGTERM and lets in-flight requests finish;
  // this bounds how long a stuck request can hold the shutdown.
  process.once('SIGTERM', () =>
    setTimeout(() => process.exit(1), config.env.SHUTDOWN_GRACE_MS).unref(),
  );

  for (const warning of developmentSettingWarnings(config.env)) logger.warn(warning);
  logger.log(`Intake is listening on ${config.publicUrl} (database: ${config.database.kind})`);
  logger.log(
    `Create the first account: curl -sS -X POST ${config.publicUrl}/auth/signup -H 'Content-Type: application/json' ` +
      `-d '{"email":"<your e-mail>","password":"<a long passphrase>"}' (or, with the server stopped: ` +
      `npm run cli -- user create --email <your e-mail> --api-key <key name>)`,
  );
}

bootstrap().catch(exitOnStartupFailure('Intake'));
