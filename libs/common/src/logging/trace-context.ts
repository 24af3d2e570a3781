import type { IncomingMessage } from 'node:http';

/** The W3C trace context of a request, under the OpenTelemetry log data model's field names. */
export interface TraceLogFields {
  trace_id: string;
  span_id: string;
  trace_flags: string;
}

/**
 * `traceparent` (W3C Trace Context, §3.2): `version-trace_id-parent_id-flags` in lowercase
 * hex. Hand-written because the only parser is OpenTelemetry's SDK (`@opentelemetry/core`),
 * which Intake does not run. A future version may append fields after a `-`; version `00`
 * may not, and version `ff` is invalid.
 */
const TRACEPARENT =
  /^(?<version>[0-9a-f]{2})-(?<traceId>[0-9a-f]{32})-(?<spanId>[0-9a-f]{16})-(?<flags>[0-9a-f]{2})(?<rest>-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The trace context a `traceparent` header carries, or null when absent or invalid. */
export function parseTraceparent(header: string | string[] | undefined): TraceLogFields | null {
  // Node joins a repeated header with ", ", which matches no valid value: ignored, as the
  // spec asks of several traceparent headers.
  if (typeof header !== 'string') return null;
  const groups = TRACEPARENT.exec(header.trim())?.groups;
  if (!groups) return null;
  const { version, traceId = '', spanId = '', flags = '', rest } = groups;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return null;
  // We start no span of our own, so the caller's span is the one these lines belong under.
  return { trace_id: traceId, span_id: spanId, trace_flags: flags };
}

/** pino-http `customProps`: trace fields on every log line of a traced request. */
export function traceLogFields(request: IncomingMessage): Partial<TraceLogFields> {
  return parseTraceparent(request.headers.traceparent) ?? {};
}
