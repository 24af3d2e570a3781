// A Google-like OpenID provider for the e2e tests: oidc-provider (ESM-only, so it runs in its
// own process, started by ../fake-google.ts). Authorization code + PKCE (S256, required),
// client_secret_post, scopes `openid email`, userinfo with `email` and `email_verified`. The
// login is headless: the interaction signs in whoever the test set with POST /test/next-login
// (or declines, with {"deny": true}); consent is granted on the spot.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import Provider from 'oidc-provider';

const { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;

/** Who the next login signs in as: `{sub, email, email_verified}`, or `{deny: true}`. */
let nextLogin = { deny: true };
/** Accounts by sub, as they were when they last logged in (userinfo answers from here). */
const accounts = new Map();
/** Every access and ID token handed out, so a test can look for them in Intake's tables. */
const issued = [];

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'email'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  async findAccount(_ctx, sub) {
    const account = accounts.get(sub);
    return account && { accountId: sub, claims: () => ({ ...account, sub }) };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // A first-party client: every login is granted `openid email` without a consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
});
const handle = provider.callback();

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

/** Keeps the tokens of every token endpoint answer, then lets it through unchanged. */
function recordTokens(res) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    try {
      const body = JSON.parse(String(chunk));
      for (const key of ['access_token', 'id_token']) if (body[key]) issued.push(body[key]);
    } catch {
      // Not JSON: an error page, nothing issued.
    }
    return end(chunk, ...rest);
  };
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
  if (nextLogin.deny) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'The user declined',
    });
    return;
  }
  accounts.set(nextLogin.sub, { email: nextLogin.email, email_verified: nextLogin.email_verified });
  await provider.interactionFinished(req, res, { login: { accountId: nextLogin.sub } });
}

server.on('request', (req, res) => {
  const path = req.url.split('?', 1)[0];
  if (req.method === 'POST' && path === '/test/next-login') {
    readJson(req).then((body) => {
      nextLogin = body;
      res.writeHead(204).end();
    });
    return;
  }
  if (req.method === 'GET' && path === '/test/issued') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issued));
    return;
  }
  if (path.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
    return;
  }
  if (path === '/token') recordTokens(res);
  handle(req, res);
});

process.stdout.write(`${JSON.stringify({ url: issuer })}\n`);
