import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { TestApp } from './test-app';

export const PASSWORD = 'correct horse battery staple';

export interface SignedInUser {
  id: string;
  email: string;
  /** Carries the session cookie. */
  agent: TestAgent;
  csrf: string;
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.com`;
}

/** A fresh account, signed in through the real sign-up endpoint. */
export async function signUp(
  test: Pick<TestApp, 'url'>,
  email = uniqueEmail(),
): Promise<SignedInUser> {
  const agent = request.agent(test.url);
  const response = await agent.post('/auth/signup').send({ email, password: PASSWORD }).expect(201);
  const body = response.body as { user: { id: string; email: string }; csrf_token: string };
  return { id: body.user.id, email: body.user.email, agent, csrf: body.csrf_token };
}

/** Creates an API key for the user and returns its secret. */
export async function createApiKey(
  user: SignedInUser,
  body: Record<string, unknown> = { name: 'test key' },
): Promise<{ id: string; secret: string }> {
  const response = await user.agent
    .post('/account/api-keys')
    .set('X-CSRF-Token', user.csrf)
    .send(body)
    .expect(201);
  const created = response.body as { api_key: { id: string }; secret: string };
  return { id: created.api_key.id, secret: created.secret };
}

/** A signed-up owner with a full-scope API key, ready for the bearer API. */
export interface ApiOwner extends SignedInUser {
  key: string;
  api: (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) => request.Test;
}

export async function apiOwner(test: Pick<TestApp, 'url'>, scopes?: string[]): Promise<ApiOwner> {
  return withApiKey(test, await signUp(test), scopes);
}

/** Gives a signed-in user an API key (all scopes unless `scopes`) and the bearer API. */
export async function withApiKey<User extends SignedInUser>(
  test: Pick<TestApp, 'url'>,
  user: User,
  scopes?: string[],
): Promise<User & ApiOwner> {
  const { secret } = await createApiKey(user, { name: 'owner key', ...(scopes ? { scopes } : {}) });
  return {
    ...user,
    key: secret,
    api: (method, path) => request(test.url)[method](path).set('Authorization', `Bearer ${secret}`),
  };
}
