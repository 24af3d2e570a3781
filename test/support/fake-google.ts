import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface GoogleAccount {
  sub: string;
  email: string;
  email_verified: boolean;
}

export interface FakeGoogle {
  /** The issuer, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** GOOGLE_* settings that point Intake at this provider. */
  env: Record<string, string>;
  /** Who the next login at this provider signs in as. */
  nextLogin(account: GoogleAccount): Promise<void>;
  /** The next login is declined (`error=access_denied`). */
  denyNextLogin(): Promise<void>;
  /** Every access and ID token it issued so far. */
  issued(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts the oidc-provider of `fake-google/server.mjs` in a child process (oidc-provider is
 * ESM-only, and Jest loads CommonJS) on a random loopback port, with one client: `clientId`,
 * `clientSecret`, `redirectUri`.
 */
export async function startFakeGoogle(client: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}): Promise<FakeGoogle> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'fake-google', 'server.mjs')],
    {
      // A clean environment: no Jest NODE_OPTIONS in the provider's process.
      env: {
        PATH: process.env.PATH ?? '',
        CLIENT_ID: client.clientId,
        CLIENT_SECRET: client.clientSecret,
        REDIRECT_URI: client.redirectUri,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`The fake Google did not start: ${errors.join('')}`);
    }),
  ])) as [string];
  const { url } = JSON.parse(first) as { url: string };
  const post = async (body: unknown) => {
    const response = await fetch(`${url}/test/next-login`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (response.status !== 204) throw new Error(`next-login answered ${response.status}`);
  };
  return {
    url,
    env: {
      GOOGLE_CLIENT_ID: client.clientId,
      GOOGLE_CLIENT_SECRET: client.clientSecret,
      GOOGLE_AUTHORIZATION_URL: `${url}/auth`,
      GOOGLE_TOKEN_URL: `${url}/token`,
      GOOGLE_USERINFO_URL: `${url}/me`,
    },
    nextLogin: (account) => post(account),
    denyNextLogin: () => post({ deny: true }),
    issued: async () => (await (await fetch(`${url}/test/issued`)).json()) as string[],
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
