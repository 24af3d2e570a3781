import type { Request } from 'express';
import { loadConfig } from '@intake/config';
import { RateLimits, RedisConnection, SecretBox } from '@intake/common';
import { OAUTH_STATE_TTL_MS, OAuthStateCookie, STATE_REFUSED } from './oauth-state.cookie';

const config = loadConfig({ DATA_DIR: 'memory://' });
const VERIFIER = 'v'.repeat(43);
const OWNER = '6f1c1b0e-64d4-4f2b-9f50-0d6b8e8f2a11';

/** What a browser holds between the two requests: the cookies the store set. */
class CookieJar {
  readonly cookies: Record<string, string> = {};

  /** The slice of an Express request (and its response) that the store touches. */
  request(): Request {
    const response = {
      cookie: (name: string, value: string) => void (this.cookies[name] = value),
      clearCookie: (name: string) => void delete this.cookies[name],
    };
    return { cookies: { ...this.cookies }, res: response } as unknown as Request;
  }
}

describe('OAuthStateCookie', () => {
  const states = new OAuthStateCookie(
    new SecretBox(config),
    config,
    new RateLimits(new RedisConnection(config)),
  );

  function start(provider: 'google' | 'github', jar: CookieJar, linkTo: string | null = null) {
    return new Promise<string>((resolve, reject) =>
      states
        .storeFor(provider)
        .store(jar.request(), VERIFIER, { linkTo }, {}, (error, state) =>
          error || !state ? reject(error ?? new Error('no state')) : resolve(state),
        ),
    );
  }

  function finish(provider: 'google' | 'github', jar: CookieJar, state: string) {
    return new Promise<{ verifier: string | false; info: unknown }>((resolve, reject) =>
      states
        .storeFor(provider)
        .verify(jar.request(), state, (error, verifier, info) =>
          error ? reject(error) : resolve({ verifier, info }),
        ),
    );
  }

  afterEach(() => jest.restoreAllMocks());

  it('hands the verifier and the flow back to the browser that started it, once', async () => {
    const jar = new CookieJar();
    const state = await start('google', jar, OWNER);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sealed = jar.cookies.intake_oauth_google!;
    expect(sealed).not.toContain(VERIFIER);
    expect(sealed).not.toContain(state);
    expect(await finish('google', jar, state)).toEqual({
      verifier: VERIFIER,
      info: { linkTo: OWNER },
    });
    expect(jar.cookies.intake_oauth_google).toBeUndefined();
    // Even with the cookie put back, the state is spent.
    jar.cookies.intake_oauth_google = sealed;
    expect(await finish('google', jar, state)).toEqual({ verifier: false, info: STATE_REFUSED });
  });

  it('refuses a state older than 10 minutes', async () => {
    const jar = new CookieJar();
    const state = await start('github', jar);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + OAUTH_STATE_TTL_MS + 1);
    expect(await finish('github', jar, state)).toEqual({ verifier: false, info: STATE_REFUSED });
  });

  it('refuses another state, no cookie, and another provider’s cookie', async () => {
    const jar = new CookieJar();
    const state = await start('github', jar);
    const other = await start('github', new CookieJar());
    expect((await finish('github', jar, other)).verifier).toBe(false);
    expect((await finish('github', new CookieJar(), state)).verifier).toBe(false);
    const crossed = new CookieJar();
    crossed.cookies.intake_oauth_google = jar.cookies.intake_oauth_github!;
    expect((await finish('google', crossed, state)).verifier).toBe(false);
  });
});
