import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'audit.js');

/** A registry on loopback that answers npm's bulk advisory request as told, and 404 otherwise. */
async function startRegistry(advisories: (response: import('node:http').ServerResponse) => void) {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url?.startsWith('/-/npm/v1/security/advisories/bulk')) advisories(response);
      else response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function audit(registry: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT], {
      env: { ...process.env, npm_config_registry: registry, ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('scripts/audit.js (CI dependency audit) against a registry on loopback', () => {
  jest.setTimeout(60_000);

  it('fails on a high advisory for a production dependency, naming it', async () => {
    const registry = await startRegistry((response) =>
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          zod: [
            {
              id: 1,
              url: 'https://advisories.example.test/1',
              title: 'Test advisory',
              severity: 'high',
              vulnerable_versions: '<99.0.0',
              cwe: [],
              cvss: { score: 7.5, vectorString: null },
            },
          ],
        }),
      ),
    );
    try {
      const { code, output } = await audit(registry.url);
      expect(code).toBe(1);
      expect(output).toMatch(/^high: zod \(/m);
    } finally {
      await registry.close();
    }
  });

  it('passes when nothing is known, and says so', async () => {
    const registry = await startRegistry((response) =>
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'),
    );
    try {
      const { code, output } = await audit(registry.url);
      expect(code).toBe(0);
      expect(output).toContain('0 critical, 0 high');
    } finally {
      await registry.close();
    }
  });

  it('says loudly that nothing was audited when the endpoint refuses, and fails if required', async () => {
    const registry = await startRegistry((response) => response.writeHead(405).end());
    try {
      const lenient = await audit(registry.url);
      expect(lenient.code).toBe(0);
      expect(lenient.output).toContain('NOT AUDITED');
      const strict = await audit(registry.url, { AUDIT_REQUIRED: 'true' });
      expect(strict.code).toBe(1);
    } finally {
      await registry.close();
    }
  });
});
