import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import request from 'supertest';
import { JobRunner } from '@intake/pipeline';
import { createApiKey, withApiKey, type ApiOwner } from './accounts';
import { sessionAgent } from './cookie-session';
import { createForm, type CreatedForm } from './forms';
import { connectMcp, HeadlessOAuthProvider, mcpTransport, type McpConnection } from './mcp-client';
import { formOf } from './oauth-client';
import type { TestApp } from './test-app';

/** One of everything an owner can have, by id, for "another user cannot reach it" tests. */
export interface OwnedResources {
  /** Signed in (`cookie`, `csrf`), with a full-scope API key (`key`, `api`). */
  owner: ApiOwner & { cookie: string };
  form: CreatedForm;
  /** Needs a submission token at its public endpoint. */
  privateForm: CreatedForm;
  submission: string;
  knowledgeBase: string;
  destination: string;
  delivery: string;
  /** A second API key (besides the owner's own). */
  apiKey: string;
  /** The owner's session. */
  session: string;
  /** An MCP client the owner connected. */
  oauthClient: string;
  /** An authorization waiting on the owner's consent page. */
  interaction: string;
}

/** A public address as a literal: a destination that needs no DNS and is never called. */
const DESTINATION_URL = 'https://93.184.215.14/hooks/intake';

/**
 * A fresh owner with one resource of every kind, made through the real endpoints, in an
 * app from `startMcpTestApp` (the owner connects an MCP client through the OAuth pages).
 * The pipeline runs once, so the submission's delivery to the destination exists (it
 * stays pending: nothing runs deliveries here).
 */
export async function ownerOfEverything(test: TestApp): Promise<OwnedResources> {
  const connection = await connectMcp(test);
  const cookie = `intake_session=${connection.browser.browser.cookie('intake_session') ?? ''}`;
  const owner = {
    ...(await withApiKey(test, {
      ...connection.owner,
      agent: sessionAgent(test, cookie),
      csrf: connection.browser.browser.csrf,
    })),
    cookie,
  };
  const form = await createForm(owner, { ip_rate_limit: 0 });
  const privateForm = await createForm(owner, { visibility: 'private', ip_rate_limit: 0 });
  const created = async (path: string, body: object, key: string): Promise<string> =>
    ((await owner.api('post', path).send(body).expect(201)).body as Record<string, { id: string }>)[
      key
    ]!.id;
  const knowledgeBase = await created(
    '/api/knowledge_bases',
    { name: 'FAQ', content: 'Open 9-5.' },
    'knowledge_base',
  );
  const destination = await created(
    `/api/forms/${form.id}/destinations`,
    { type: 'webhook', name: 'Hook', url: DESTINATION_URL },
    'destination',
  );
  const submission = (
    await request(test.url)
      .post(form.path)
      .send({ email: 'ada@example.com', message: 'Hello' })
      .expect(201)
  ).body.id as string;
  await test.app.get(JobRunner).drain();
  const [delivery] = (
    await owner
      .api('get', `/api/forms/${form.id}/destinations/${destination}/deliveries`)
      .expect(200)
  ).body.deliveries as { id: string }[];
  const sessions = (await owner.agent.get('/account/sessions').expect(200)).body.sessions as {
    id: string;
    current: boolean;
  }[];
  const [oauthClient] = (await owner.agent.get('/account/oauth-clients').expect(200)).body
    .oauth_clients as { id: string }[];
  return {
    owner,
    form,
    privateForm,
    submission,
    knowledgeBase,
    destination,
    delivery: delivery!.id,
    apiKey: (await createApiKey(owner, { name: 'spare' })).id,
    session: sessions.find((session) => session.current)!.id,
    oauthClient: oauthClient!.id,
    interaction: await pendingInteraction(test, connection),
  };
}

/**
 * Another MCP client asks the same owner: the owner's browser stops on the consent page,
 * whose form names the interaction.
 */
async function pendingInteraction(test: TestApp, connection: McpConnection): Promise<string> {
  const provider = new HeadlessOAuthProvider();
  const client = new Client({ name: 'intake-tests-second', version: '1.0.0' });
  // Answered 401: the SDK registers and records where to send the owner.
  await client.connect(mcpTransport(test, provider, connection.browser.ip)).catch(() => undefined);
  const { page } = await connection.browser.authorize(provider.authorizationUrl!, { stop: true });
  const action = formOf(page?.html ?? '')?.action ?? '';
  const uid = /\/oauth\/interaction\/([^/]+)\/consent$/.exec(action)?.[1];
  if (!uid) throw new Error(`no consent page: ${page?.status} ${action}`);
  return uid;
}
