import { Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { AppConfig } from '@intake/config';
import { maskEmails, maskEmailsDeep } from './mask-emails';
import { requestIdOf } from './request-id';
import { traceLogFields } from './trace-context';

const ACCESS_LOG_LEVELS = new Set(['info', 'debug', 'trace']);

/** Paths whose access logs would only be noise (probes, scrapes). */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function pathOf(url: string | undefined): string {
  // Query strings can carry tokens (magic links, OAuth codes): log the path only.
  return (url ?? '').split('?', 1)[0] ?? '';
}

/**
 * Structured JSON logs (pino) with a request id on every line. Request logs carry the
 * method, path, status and timing only: no headers (Authorization, Cookie), no bodies,
 * no query strings; e-mail addresses anywhere in a record are masked. A request with a W3C
 * `traceparent` header logs its `trace_id` and `span_id` (OpenTelemetry's log field names),
 * so a log pipeline can join our lines to the caller's trace without an OTel SDK here.
 */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.env.LOG_LEVEL,
          genReqId: requestIdOf,
          customProps: traceLogFields,
          wrapSerializers: false,
          // Access logs are info lines: above info, skip building them at all (ingest hot path).
          autoLogging: ACCESS_LOG_LEVELS.has(config.env.LOG_LEVEL)
            ? { ignore: (request: IncomingMessage) => QUIET_PATHS.has(pathOf(request.url)) }
            : false,
          serializers: {
            req: (request: IncomingMessage & { id?: unknown }) => ({
              id: request.id,
              method: request.method,
              path: pathOf(request.url),
            }),
            res: (response: ServerResponse) => ({ status: response.statusCode }),
          },
          formatters: {
            log: (record: Record<string, unknown>) =>
              maskEmailsDeep(record) as Record<string, unknown>,
          },
          hooks: {
            logMethod(args: unknown[], method: (...args: unknown[]) => void) {
              method.apply(
                this,
                args.map((arg) => (typeof arg === 'string' ? maskEmails(arg) : arg)),
              );
            },
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
