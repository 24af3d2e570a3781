import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface MetadataDocumentServer {
  /** `https://localhost:<port>`. */
  origin: string;
  /** A PEM file with the server's self-signed certificate (for NODE_EXTRA_CA_CERTS). */
  caFile: string;
  /** How many times each path was fetched. */
  fetches: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Where MCP clients publish their Client ID Metadata Documents: a real HTTPS server on
 * loopback (CIMD client ids must be https URLs) with a self-signed certificate for
 * `localhost`. `documents` answers by path: a JSON body, or a status and raw body.
 */
export async function startMetadataDocumentServer(
  documents: (
    origin: string,
  ) => Record<string, unknown | { status: number; body: string; headers?: Record<string, string> }>,
): Promise<MetadataDocumentServer> {
  // EC keys: generated in milliseconds, unlike RSA.
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'intake-cimd-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pems.cert);
  const fetches = new Map<string, number>();
  let served: ReturnType<typeof documents> = {};
  const server: Server = createServer(
    { key: pems.private, cert: pems.cert },
    (request, response) => {
      const path = (request.url ?? '/').split('?')[0]!;
      fetches.set(path, (fetches.get(path) ?? 0) + 1);
      const document = served[path];
      if (document === undefined) {
        response.writeHead(404).end();
      } else if (isRaw(document)) {
        response.writeHead(document.status, document.headers ?? {}).end(document.body);
      } else {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(document));
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://localhost:${(server.address() as { port: number }).port}`;
  served = documents(origin);
  return {
    origin,
    caFile,
    fetches,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function isRaw(
  value: unknown,
): value is { status: number; body: string; headers?: Record<string, string> } {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}
