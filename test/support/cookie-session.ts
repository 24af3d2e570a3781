import request from 'supertest';
import { PASSWORD, uniqueEmail, type SignedInUser } from './accounts';
import type { TestApp } from './test-app';

/** `intake_session`, or `__Host-intake_session` when cookies are Secure. */
const SESSION_COOKIE = /^(?:__Host-)?intake_session=/;

/**
 * An agent that sends this session cookie on every request, carried by hand: an agent's
 * own cookie jar withholds a Secure (`__Host-`) cookie over the tests' plain HTTP, so a
 * production-mode app needs this, and a session signed in elsewhere (another test browser)
 * can be borrowed with it.
 */
export function sessionAgent(test: TestApp, cookie: string) {
  return request.agent(test.url).set('Cookie', cookie);
}

/** A fresh account signed up through the real endpoint, its cookie carried by hand. */
export async function signUpCarryingCookie(
  test: TestApp,
  email = uniqueEmail(),
): Promise<SignedInUser & { cookie: string }> {
  const response = await request(test.url)
    .post('/auth/signup')
    .send({ email, password: PASSWORD })
    .expect(201);
  const cookie = [response.headers['set-cookie'] ?? []]
    .flat()
    .map((header) => header.split(';', 1)[0] ?? '')
    .find((pair) => SESSION_COOKIE.test(pair));
  if (!cookie) throw new Error('sign-up set no session cookie');
  const body = response.body as { user: { id: string; email: string }; csrf_token: string };
  return {
    id: body.user.id,
    email: body.user.email,
    agent: sessionAgent(test, cookie),
    csrf: body.csrf_token,
    cookie,
  };
}
