import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '@intake/config';
import { IntakeMetrics, MetricsAccess } from '@intake/metrics';

/**
 * The worker's `/metrics`, on `METRICS_PORT` (the worker serves no other HTTP), behind the
 * same `Authorization: Bearer <METRICS_TOKEN>` as the api's. Plain `node:http`: one route,
 * no body to parse, nothing an HTTP framework would add. Off unless METRICS_PORT is set.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsListener.name);
  private server: Server | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: IntakeMetrics,
    private readonly access: MetricsAccess,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.env.METRICS_PORT;
    if (port === undefined) return;
    const server = createServer((request, response) => void this.answer(request, response));
    // Bounded like the api's server, so idle or slow clients cannot hold sockets.
    server.headersTimeout = 15_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.env.HOST ?? '::', resolve);
    });
    this.server = server;
    const { port: bound } = server.address() as AddressInfo;
    this.logger.log(`Worker metrics on port ${bound} (GET /metrics)`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?', 1)[0];
    const verdict = this.access.check(request.headers.authorization);
    if (path !== '/metrics' || request.method !== 'GET' || verdict === 'off')
      return void response.writeHead(404).end();
    if (verdict === 'denied')
      return void response.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
    try {
      const text = await this.metrics.exposition();
      response
        .writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' })
        .end(text);
    } catch (error) {
      this.logger.error({ msg: 'Metrics exposition failed', err: error });
      response.writeHead(500).end();
    }
  }
}
