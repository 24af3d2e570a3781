import type { IncomingMessage } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { AddressPolicy } from './address-policy';
import { DeliveryError } from './delivery-error';
import {
  bareHostname,
  parseDestinationUrl,
  resolveVettedAddresses,
  type ResolvedAddress,
  type Resolver,
} from './ssrf-guard';

export interface SafeFetchOptions extends AddressPolicy {
  /** POST for deliveries; GET for documents such as OAuth client metadata. */
  method?: 'POST' | 'GET';
  headers?: Record<string, string>;
  /** Sent exactly as given: a webhook signature covers these bytes. */
  body?: string | Buffer;
  /** For everything: DNS, connect, TLS, response headers and body. Default 10 s (API.md). */
  timeoutMs?: number;
  /** Bytes of the response body kept as `snippet`; the rest is not read. Default 4 KiB. */
  maxSnippetBytes?: number;
  resolver?: Resolver;
  /**
   * Replaces the trusted CA list for https. For tests (a self-signed certificate) and
   * private CAs in development; production deliveries use Node's default CA list.
   */
  trustedCa?: string | Buffer;
}

export interface SafeFetchResult {
  status: number;
  /** From the start of the attempt (DNS included) until the snippet was read. */
  latencyMs: number;
  /** The start of the response body, UTF-8 decoded. */
  snippet: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_SNIPPET_BYTES = 4096;

/**
 * An HTTP(S) request that cannot be pointed at our own network: the URL is checked, the
 * hostname resolved once and every address vetted (ssrf-guard.ts), and the socket is
 * connected to those vetted addresses through a pinned `lookup`, so nothing resolves the
 * name a second time (DNS rebinding). TLS still verifies the certificate against, and
 * sends SNI for, the original hostname. Redirects are never followed: a 3xx is a failed
 * delivery. Resolves only for 2xx; every failure is a DeliveryError with a `reason`.
 *
 * Node's own http/https client is used rather than undici: `lookup` is a documented
 * request option there, it needs no dependency, and it behaves alike on every Node line
 * package.json allows (undici 8 no longer supports Node 20).
 */
export async function safeFetch(
  rawUrl: string,
  options: SafeFetchOptions = {},
): Promise<SafeFetchResult> {
  const url = parseDestinationUrl(rawUrl, options);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const addresses = await beforeDeadline(
      resolveVettedAddresses(bareHostname(url), options),
      deadline.signal,
      elapsed,
    );
    return await send(url, addresses, options, deadline.signal, elapsed);
  } finally {
    clearTimeout(timer);
  }
}

/** dns.lookup cannot be cancelled; stop waiting for it at the deadline instead. */
function beforeDeadline<T>(
  work: Promise<T>,
  signal: AbortSignal,
  elapsed: () => number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeliveryError('timeout', { latencyMs: elapsed() }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Hands the socket the vetted addresses, whatever it asks for. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    const [first] = addresses;
    // `all` is set when Node races IPv4 and IPv6 (autoSelectFamily, on by default).
    if (lookupOptions.all) callback(null, addresses);
    else if (first) callback(null, first.address, first.family);
    else callback(Object.assign(new Error('No vetted address'), { code: 'ENOTFOUND' }), '');
  };
}

/**
 * Headers the transport owns. `host` in particular: Node derives the TLS servername from
 * it, so a stray one would verify the certificate of another name.
 */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

function requestHeaders(options: SafeFetchOptions): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'Intake-Webhooks/1' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  if (options.method !== 'GET') {
    headers['content-length'] = String(Buffer.byteLength(options.body ?? ''));
  }
  return headers;
}

function send(
  url: URL,
  addresses: ResolvedAddress[],
  options: SafeFetchOptions,
  signal: AbortSignal,
  elapsed: () => number,
): Promise<SafeFetchResult> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<SafeFetchResult>((resolve, reject) => {
    const fail = (error: Error) =>
      reject(
        error instanceof DeliveryError
          ? error
          : new DeliveryError(signal.aborted ? 'timeout' : classify(error), {
              latencyMs: elapsed(),
              cause: error,
            }),
      );
    const request = transport.request(
      {
        protocol: url.protocol,
        hostname: bareHostname(url),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: options.method ?? 'POST',
        headers: requestHeaders(options),
        // A fresh connection each time: a pooled socket is not re-vetted.
        agent: false,
        lookup: pinnedLookup(addresses),
        signal,
        ...(options.trustedCa === undefined ? {} : { ca: options.trustedCa }),
      },
      (response) => {
        readSnippet(response, options.maxSnippetBytes ?? DEFAULT_MAX_SNIPPET_BYTES).then(
          (snippet) => {
            const status = response.statusCode ?? 0;
            const result = { status, latencyMs: elapsed(), snippet };
            if (status >= 200 && status < 300) return resolve(result);
            reject(
              new DeliveryError(status >= 300 && status < 400 ? 'redirect' : 'http_status', result),
            );
          },
          fail,
        );
      },
    );
    request.on('error', fail);
    request.end(options.method === 'GET' ? undefined : (options.body ?? ''));
  });
}

/** Keeps the first `maxBytes` of the body and drops the connection instead of reading on. */
function readSnippet(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const finish = () => resolve(Buffer.concat(chunks).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      const wanted = Math.min(chunk.length, maxBytes - kept);
      chunks.push(chunk.subarray(0, wanted));
      kept += wanted;
      if (kept >= maxBytes) {
        finish();
        response.destroy();
      }
    });
    response.on('end', finish);
    response.on('error', reject);
    // After our own destroy() the promise is settled already and this is a no-op.
    response.on('close', () => reject(new Error('Response ended early')));
  });
}

/** OpenSSL and Node TLS error codes; anything else on the way is a connection failure. */
function classify(error: Error): 'tls_failed' | 'connection_failed' {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return /TLS|SSL|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)
    ? 'tls_failed'
    : 'connection_failed';
}
