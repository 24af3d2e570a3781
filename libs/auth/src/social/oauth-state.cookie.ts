import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request } from 'express';
import type OAuth2Strategy from 'passport-oauth2';
import { z } from 'zod';
import { AppConfig } from '@intake/config';
import {
  constantTimeEqual,
  randomToken,
  RateLimits,
  SecretBox,
  sha256,
  type Limiter,
} from '@intake/common';
import type { SocialProvider } from './social-provider';

/** Time to get through the provider's pages; the state and the PKCE verifier die after it. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** What the start of a flow hands to its callback, besides the state and the PKCE verifier. */
export interface OAuthFlowContext {
  /** Set when a signed-in owner started the flow: the callback links to this account. */
  linkTo: string | null;
}

/** The `info` a refused state gives passport (which answers `fail(info)`). */
export const STATE_REFUSED = { reason: 'invalid_state' } as const;

type StoreCallback = (error: Error | null, state?: string) => void;
type VerifyCallback = (
  error: Error | null,
  verifier: string | false,
  info: OAuthFlowContext | typeof STATE_REFUSED,
) => void;

/**
 * passport-oauth2's state store as it is called with `pkce` on: `store` with five arguments,
 * `verify` with three (it dispatches on the functions' arity, so these exact lengths matter).
 * @types/passport-oauth2 only declares the older, shorter signatures.
 */
export interface PkceStateStore {
  store(
    request: Request,
    verifier: string,
    context: OAuthFlowContext,
    meta: unknown,
    callback: StoreCallback,
  ): void;
  verify(request: Request, state: string, callback: VerifyCallback): void;
}

const sealedFlow = z.strictObject({
  handle: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  // RFC 7636: 43 to 128 characters.
  verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
  linkTo: z.uuid().nullable(),
  expiresAt: z.number().int(),
});
type SealedFlow = z.output<typeof sealedFlow>;

/**
 * Where a Google or GitHub flow keeps its `state` and PKCE verifier between the redirect to
 * the provider and the callback, with no server-side session: a cookie sealed with AES-256-GCM
 * (bound to its provider), HttpOnly, SameSite=Lax (the provider's redirect back is a top-level
 * GET, which Lax lets through), 10 minutes, `__Host-` over HTTPS. The callback must bring back
 * the state that matches this browser's cookie, so a code obtained elsewhere cannot be planted
 * in someone's browser (login CSRF). Single use: the callback clears the cookie and burns the
 * state in the shared counters (Redis when configured), so a replayed callback fails even with
 * a copy of the old cookie.
 */
@Injectable()
export class OAuthStateCookie {
  private readonly secure: boolean;
  private readonly options: CookieOptions;
  private readonly usedStates: Limiter;

  constructor(
    private readonly box: SecretBox,
    config: AppConfig,
    rateLimits: RateLimits,
  ) {
    this.secure = config.secureCookies;
    this.options = { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' };
    // One point per state for as long as a state lives: a second use finds it spent.
    this.usedStates = rateLimits.for({
      name: 'oauth-state-used',
      points: 1,
      durationSeconds: OAUTH_STATE_TTL_MS / 1000,
    });
  }

  private nameFor(provider: SocialProvider): string {
    return `${this.secure ? '__Host-' : ''}intake_oauth_${provider}`;
  }

  /** The store handed to the provider's passport strategy. */
  storeFor(provider: SocialProvider): PkceStateStore {
    const name = this.nameFor(provider);
    return {
      store: (request, verifier, context, _meta, callback) => {
        if (!request.res) return callback(new Error('No response to set the state cookie on'));
        const handle = randomToken();
        const flow: SealedFlow = {
          handle,
          verifier,
          linkTo: context.linkTo,
          expiresAt: Date.now() + OAUTH_STATE_TTL_MS,
        };
        request.res.cookie(name, this.box.seal(JSON.stringify(flow), purposeOf(provider)), {
          ...this.options,
          maxAge: OAUTH_STATE_TTL_MS,
        });
        callback(null, handle);
      },
      verify: (request, state, callback) => {
        const sealed: unknown = request.cookies?.[name];
        this.discard(provider, request);
        this.claim(provider, sealed, state).then(
          (flow) =>
            flow
              ? callback(null, flow.verifier, { linkTo: flow.linkTo })
              : callback(null, false, STATE_REFUSED),
          (error: Error) => callback(error, false, STATE_REFUSED),
        );
      },
    };
  }

  /** Ends the flow in this browser (also when the provider answered with an error). */
  discard(provider: SocialProvider, request: Request): void {
    request.res?.clearCookie(this.nameFor(provider), this.options);
  }

  private async claim(
    provider: SocialProvider,
    sealed: unknown,
    state: string,
  ): Promise<SealedFlow | null> {
    if (typeof sealed !== 'string' || sealed.length > 1024) return null;
    const opened = this.box.open(sealed, purposeOf(provider));
    const parsed = opened === null ? null : sealedFlow.safeParse(parseJson(opened));
    if (!parsed?.success || parsed.data.expiresAt < Date.now()) return null;
    const flow = parsed.data;
    if (!constantTimeEqual(Buffer.from(flow.handle), Buffer.from(state))) return null;
    // Keyed by the hash: the counters hold nothing that was ever a live state.
    const first = await this.usedStates.consume(sha256(flow.handle).toString('base64url'));
    return first.allowed ? flow : null;
  }
}

/** A Google state cookie does not open as a GitHub one. */
function purposeOf(provider: SocialProvider): string {
  return `oauth-state:${provider}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The one cast @types/passport-oauth2 needs: it lacks the PKCE signatures (see PkceStateStore). */
export function forPassport(store: PkceStateStore): OAuth2Strategy.StateStore {
  return store as unknown as OAuth2Strategy.StateStore;
}
