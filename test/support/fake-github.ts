import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHubUser {
  id: number;
  login: string;
  name?: string;
}

export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/** What the authorize endpoint saw, for tests to check (PKCE, scope, redirect). */
export interface SeenAuthorization {
  clientId: string | null;
  redirectUri: string | null;
  scope: string | null;
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
}

/** One token request and how it went. */
export interface SeenExchange {
  codeVerifier: string | null;
  /** null when the code was exchanged; else GitHub's `error` code. */
  error: string | null;
}

interface Grant {
  user: GitHubUser;
  emails: GitHubEmail[] | string;
  redirectUri: string;
  codeChallenge: string;
  used: boolean;
}

export interface FakeGitHub {
  url: string;
  /** GITHUB_* settings that point Intake at this server. */
  env: Record<string, string>;
  /** The GitHub user signed in at the next authorization, with their addresses. */
  user: GitHubUser;
  /** `GET /user/emails`; a string is sent as the raw body (to play a broken API). */
  emails: GitHubEmail[] | string;
  /** The next authorizations answer `error=access_denied`. */
  deny: boolean;
  authorizations: SeenAuthorization[];
  exchanges: SeenExchange[];
  /** Every access token handed out. */
  issuedTokens: string[];
  close(): Promise<void>;
}

const random = (prefix: string) => `${prefix}${randomBytes(20).toString('hex')}`;

/**
 * A GitHub-like OAuth server on loopback, speaking GitHub's protocol: the authorize page
 * (auto-approved for `fake.user`), the token endpoint (client secret, single-use code,
 * PKCE S256 checked; errors as GitHub sends them, a 200 with `error=`; form or JSON per
 * `Accept`), and the REST API's `GET /user` and `GET /user/emails` behind the bearer token.
 */
export async function startFakeGitHub(client: {
  clientId: string;
  clientSecret: string;
}): Promise<FakeGitHub> {
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, Grant>();
  const fake: FakeGitHub = {
    url: '',
    env: {},
    user: { id: 1, login: 'octocat' },
    emails: [],
    deny: false,
    authorizations: [],
    exchanges: [],
    issuedTokens: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  function authorize(url: URL, response: ServerResponse): void {
    const query = (name: string) => url.searchParams.get(name);
    fake.authorizations.push({
      clientId: query('client_id'),
      redirectUri: query('redirect_uri'),
      scope: query('scope'),
      state: query('state'),
      codeChallenge: query('code_challenge'),
      codeChallengeMethod: query('code_challenge_method'),
    });
    const redirectUri = query('redirect_uri');
    if (query('client_id') !== client.clientId || !redirectUri) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Unknown application');
      return;
    }
    const back = new URL(redirectUri);
    if (fake.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user has denied your application access.');
    } else if (query('code_challenge_method') !== 'S256' || !query('code_challenge')) {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = random('');
      grants.set(code, {
        user: { ...fake.user },
        emails: structuredClone(fake.emails),
        redirectUri,
        codeChallenge: query('code_challenge')!,
        used: false,
      });
      back.searchParams.set('code', code);
    }
    const state = query('state');
    if (state !== null) back.searchParams.set('state', state);
    response.writeHead(302, { location: back.toString() }).end();
  }

  function exchange(request: IncomingMessage, body: URLSearchParams, response: ServerResponse) {
    const code = body.get('code') ?? '';
    const verifier = body.get('code_verifier');
    const grant = grants.get(code);
    let error: string | null = null;
    if (
      body.get('client_id') !== client.clientId ||
      body.get('client_secret') !== client.clientSecret
    ) {
      error = 'incorrect_client_credentials';
    } else if (!grant || grant.used || grant.redirectUri !== body.get('redirect_uri')) {
      error = 'bad_verification_code';
    } else {
      // A code is spent by its first exchange, whether or not the verifier matches.
      grant.used = true;
      const challenge = createHash('sha256')
        .update(verifier ?? '')
        .digest('base64url');
      if (challenge !== grant.codeChallenge) error = 'bad_verification_code';
    }
    fake.exchanges.push({ codeVerifier: verifier, error });
    const answer: Record<string, string> = error
      ? { error, error_description: 'The code passed is incorrect or expired.' }
      : { access_token: random('gho_'), scope: 'user:email', token_type: 'bearer' };
    if (!error) {
      tokens.set(answer.access_token!, grant!);
      fake.issuedTokens.push(answer.access_token!);
    }
    const json = String(request.headers.accept ?? '').includes('json');
    response
      .writeHead(200, {
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      })
      .end(json ? JSON.stringify(answer) : new URLSearchParams(answer).toString());
  }

  function api(request: IncomingMessage, path: string, response: ServerResponse): void {
    const [scheme, token] = String(request.headers.authorization ?? '').split(' ');
    const grant = token && /^(bearer|token)$/i.test(scheme ?? '') ? tokens.get(token) : undefined;
    if (!request.headers['user-agent']) {
      response.writeHead(403).end('Request forbidden by administrative rules.');
    } else if (!grant) {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'Bad credentials' }));
    } else {
      const body =
        path === '/user'
          ? JSON.stringify({ ...grant.user, email: null })
          : typeof grant.emails === 'string'
            ? grant.emails
            : JSON.stringify(grant.emails.map((email) => ({ ...email, visibility: null })));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://github.test');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const route = `${request.method} ${url.pathname}`;
      if (route === 'GET /login/oauth/authorize') return authorize(url, response);
      if (route === 'POST /login/oauth/access_token') {
        return exchange(request, new URLSearchParams(Buffer.concat(chunks).toString()), response);
      }
      if (route === 'GET /user' || route === 'GET /user/emails') {
        return api(request, url.pathname, response);
      }
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.env = {
    GITHUB_CLIENT_ID: client.clientId,
    GITHUB_CLIENT_SECRET: client.clientSecret,
    GITHUB_URL: fake.url,
    GITHUB_API_URL: fake.url,
  };
  return fake;
}
