import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getDefaultAutoSelectFamily, setDefaultAutoSelectFamily, type AddressInfo } from 'node:net';
import { DeliveryError } from './delivery-error';
import { safeFetch, type SafeFetchOptions } from './safe-fetch';
import type { Resolver } from './ssrf-guard';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real server on 127.0.0.1 (the only place tests may send traffic to). */
async function listen(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { method, url, headers } = request;
      received.push({ method, url, headers, body: Buffer.concat(chunks).toString('utf8') });
      handle(request, response);
    });
  });
  server.listen(0, host);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, received };
}

const servers: Server[] = [];
async function serve(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
  host?: string,
) {
  const started = await listen(handle, host);
  servers.push(started.server);
  return started;
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** `hooks.test` exists only in this table: a request to it can only reach 127.0.0.1 via the pinned lookup. */
const resolver: Resolver = (hostname) =>
  hostname === 'hooks.test' || hostname === 'rebind.test'
    ? Promise.resolve([{ address: '127.0.0.1', family: 4 }])
    : Promise.reject(new Error(`unexpected lookup of ${hostname}`));
const dev: SafeFetchOptions = { allowPrivate: true, resolver };

async function failure(work: Promise<unknown>): Promise<DeliveryError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DeliveryError))
    throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('safeFetch', () => {
  it('POSTs headers and body to the pinned address and keeps only the first 4 KiB as snippet', async () => {
    const { port, received } = await serve((_, response) => response.end('x'.repeat(64 * 1024)));
    const body = JSON.stringify({ id: 'evt_1', type: 'submission.created' });
    const result = await safeFetch(`http://hooks.test:${port}/in?k=1`, {
      ...dev,
      body,
      headers: { 'content-type': 'application/json', 'webhook-id': 'evt_1', Host: 'evil.test' },
    });
    expect(result.status).toBe(200);
    expect(result.snippet).toBe('x'.repeat(4096));
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/in?k=1',
        body,
        headers: expect.objectContaining({
          host: `hooks.test:${port}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'webhook-id': 'evt_1',
        }),
      }),
    ]);
  });

  it('honours a smaller snippet limit and GET without a body', async () => {
    const { port, received } = await serve((_, response) => response.end('{"client_name":"x"}'));
    const result = await safeFetch(`http://127.0.0.1:${port}/meta`, {
      ...dev,
      method: 'GET',
      maxSnippetBytes: 5,
    });
    expect(result).toMatchObject({ status: 200, snippet: '{"cli' });
    expect(received[0]).toMatchObject({ method: 'GET', body: '' });
    expect(received[0]?.headers['content-length']).toBeUndefined();
  });

  it.each([true, false])(
    'hands the socket the vetted address whether or not Node races families (autoSelectFamily %s)',
    async (autoSelectFamily) => {
      const { port } = await serve((_, response) => response.end('ok'));
      const previous = getDefaultAutoSelectFamily();
      setDefaultAutoSelectFamily(autoSelectFamily);
      try {
        await expect(safeFetch(`http://hooks.test:${port}/`, dev)).resolves.toMatchObject({
          status: 200,
        });
      } finally {
        setDefaultAutoSelectFamily(previous);
      }
    },
  );

  it('reaches an IPv6 literal (loopback, so only with allowPrivate)', async () => {
    const { port } = await serve((_, response) => response.end('v6'), '::1');
    await expect(safeFetch(`http://[::1]:${port}/`, dev)).resolves.toMatchObject({ snippet: 'v6' });
    expect((await failure(safeFetch(`https://[::1]:${port}/`, { resolver }))).reason).toBe(
      'blocked_address',
    );
  });

  it('refuses the same local server when private destinations are not allowed, without connecting', async () => {
    const { port, received } = await serve((_, response) => response.end('ok'));
    expect((await failure(safeFetch(`http://127.0.0.1:${port}/`, { resolver }))).reason).toBe(
      'invalid_url',
    );
    expect((await failure(safeFetch(`https://127.0.0.1:${port}/`, { resolver }))).reason).toBe(
      'blocked_address',
    );
    expect((await failure(safeFetch(`https://rebind.test:${port}/`, { resolver }))).reason).toBe(
      'blocked_address',
    );
    expect((await failure(safeFetch(`https://2130706433:${port}/`, { resolver }))).reason).toBe(
      'blocked_address',
    );
    expect(received).toHaveLength(0);
  });

  it('times out on a server that never answers', async () => {
    const { port } = await serve(() => undefined);
    const error = await failure(safeFetch(`http://127.0.0.1:${port}/`, { ...dev, timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
    // Not before the deadline. No upper bound on wall-clock time (a loaded CI machine once
    // took 2 s): had the deadline not fired, the request would hang and the test time out.
    expect(error.latencyMs).toBeGreaterThanOrEqual(250);
  });

  it('times out on a body that never ends, and on a resolver that never answers', async () => {
    const { port } = await serve((_, response) => response.writeHead(200).write('partial'));
    expect(
      (await failure(safeFetch(`http://127.0.0.1:${port}/`, { ...dev, timeoutMs: 300 }))).reason,
    ).toBe('timeout');
    const hanging: Resolver = () => new Promise(() => undefined);
    expect(
      (await failure(safeFetch('https://slow-dns.test/', { resolver: hanging, timeoutMs: 300 })))
        .reason,
    ).toBe('timeout');
  });

  it('does not follow a redirect, even to 127.0.0.1', async () => {
    const target = await serve((_, response) => response.end('internal'));
    const { port } = await serve((_, response) =>
      response.writeHead(302, { location: `http://127.0.0.1:${target.port}/admin` }).end('moved'),
    );
    const error = await failure(safeFetch(`http://127.0.0.1:${port}/`, dev));
    expect(error).toMatchObject({ reason: 'redirect', status: 302, snippet: 'moved' });
    expect(target.received).toHaveLength(0);
  });

  it('reports a 500 with its status and snippet', async () => {
    const { port } = await serve((_, response) => response.writeHead(500).end('boom'));
    const error = await failure(safeFetch(`http://127.0.0.1:${port}/`, dev));
    expect(error).toMatchObject({ reason: 'http_status', status: 500, snippet: 'boom' });
    expect(error.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a refused connection', async () => {
    const { server, port } = await listen(() => undefined);
    server.close();
    await once(server, 'close');
    expect((await failure(safeFetch(`http://127.0.0.1:${port}/`, dev))).reason).toBe(
      'connection_failed',
    );
  });
});
