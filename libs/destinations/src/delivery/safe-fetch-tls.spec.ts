import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { DeliveryError } from './delivery-error';
import { safeFetch } from './safe-fetch';
import type { Resolver } from './ssrf-guard';

/** Every name points at 127.0.0.1: only the certificate decides which ones may connect. */
const resolver: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

describe('safeFetch over TLS (self-signed certificate for hooks.test)', () => {
  let server: Server;
  let port: number;
  let cert: string;
  const servernames: (string | false | null)[] = [];

  beforeAll(async () => {
    // EC keys: generated in milliseconds, unlike RSA.
    const pems = await generate([{ name: 'commonName', value: 'hooks.test' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'hooks.test' }] }],
    });
    cert = pems.cert;
    server = createServer({ key: pems.private, cert }, (request, response) => {
      servernames.push((request.socket as TLSSocket).servername);
      response.end('secure');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const failure = (work: Promise<unknown>) =>
    work.then(
      () => 'no error',
      (error: unknown) => (error instanceof DeliveryError ? error.reason : String(error)),
    );

  it('connects to the pinned address and sends SNI for the original hostname', async () => {
    const result = await safeFetch(`https://hooks.test:${port}/`, {
      allowPrivate: true,
      resolver,
      trustedCa: cert,
    });
    expect(result).toMatchObject({ status: 200, snippet: 'secure' });
    expect(servernames).toEqual(['hooks.test']);
  });

  it('verifies the certificate against the original hostname, not the address', async () => {
    const options = { allowPrivate: true, resolver, trustedCa: cert };
    expect(await failure(safeFetch(`https://other.test:${port}/`, options))).toBe('tls_failed');
    expect(await failure(safeFetch(`https://127.0.0.1:${port}/`, options))).toBe('tls_failed');
  });

  it('does not trust a self-signed certificate by default', async () => {
    expect(
      await failure(safeFetch(`https://hooks.test:${port}/`, { allowPrivate: true, resolver })),
    ).toBe('tls_failed');
  });
});
