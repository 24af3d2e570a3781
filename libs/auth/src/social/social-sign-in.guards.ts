import {
  Injectable,
  Logger,
  mixin,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { AuthGuard as PassportAuthGuard, type IAuthModuleOptions } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { TokenError } from 'passport-oauth2';
import { z } from 'zod';
import { AppConfig } from '@intake/config';
import { AppError } from '@intake/common';
import { clientContextOf } from '../client-context';
import { SessionCookie } from '../sessions/session-cookie';
import { OAuthStateCookie, STATE_REFUSED, type OAuthFlowContext } from './oauth-state.cookie';
import { callbackQuery, type ProviderCallback } from './social-callback';
import {
  PROVIDER_NAMES,
  providerClient,
  socialProviderSchema,
  type SocialProvider,
} from './social-provider';
import { SocialSignInService } from './social-sign-in.service';

/*
 * Passport's own guard (`AuthGuard('google')` of @nestjs/passport) behind the app's global
 * AuthGuard: the routes are `@Public()`, and these guards run the provider's flow. Passport
 * keeps its strategies in one process-wide registry, so one process serves one configuration.
 */

/** Unconfigured providers do not exist: 404, before passport is asked about them. */
function assertEnabled(config: AppConfig, provider: SocialProvider): void {
  if (!providerClient(config, provider)) {
    throw new AppError(
      'not_found',
      `Sign-in with ${PROVIDER_NAMES[provider]} is not enabled on this server`,
    );
  }
}

/** The flow context of each start request, between `canActivate` and passport's options. */
const startingFlows = new WeakMap<Request, OAuthFlowContext>();

/**
 * `GET /auth/<provider>`: writes the state cookie and redirects to the provider; the route
 * handler never runs. A signed-in browser starts a link to its account instead of a sign-in.
 */
export function SocialStartGuard(provider: SocialProvider): Type<CanActivate> {
  @Injectable()
  class StartGuard extends PassportAuthGuard(provider) {
    constructor(
      private readonly config: AppConfig,
      private readonly socialSignIn: SocialSignInService,
      private readonly sessionCookie: SessionCookie,
    ) {
      super();
    }

    override async canActivate(context: ExecutionContext): Promise<boolean> {
      assertEnabled(this.config, provider);
      const request = context.switchToHttp().getRequest<Request>();
      const linkTo = await this.socialSignIn.linkingAccount(this.sessionCookie.read(request));
      startingFlows.set(request, { linkTo });
      context.switchToHttp().getResponse<Response>().set('Cache-Control', 'no-store');
      return (await super.canActivate(context)) === true;
    }

    override getAuthenticateOptions(context: ExecutionContext): IAuthModuleOptions {
      const request = context.switchToHttp().getRequest<Request>();
      // An object `state` goes to the state store (a string would be sent to the provider as is).
      return { session: false, state: startingFlows.get(request) };
    }
  }
  return mixin(StartGuard);
}

/** passport-oauth2's `info` on success: what our state store handed back (OAuthFlowContext). */
const flowInfo = z.object({ state: z.object({ linkTo: z.uuid().nullable() }) });
const stateRefused = z.object({ reason: z.literal(STATE_REFUSED.reason) });
/** What the strategies' `validate` returns. */
const profileResult = z.strictObject({
  provider: socialProviderSchema,
  subject: z.string(),
  email: z.string().nullable(),
  emailVerified: z.boolean(),
});

/**
 * `GET /auth/<provider>/callback`: never fails the request. It sets `request.socialSignIn`
 * to the profile (after the state, the PKCE exchange and the profile read all succeeded) or
 * to the reason it stopped, and the route hands that to SocialSignInService.
 */
export function SocialCallbackGuard(provider: SocialProvider): Type<CanActivate> {
  @Injectable()
  class CallbackGuard extends PassportAuthGuard(provider) {
    private readonly logger = new Logger(`SocialSignIn:${provider}`);

    constructor(
      private readonly config: AppConfig,
      private readonly socialSignIn: SocialSignInService,
      private readonly stateCookie: OAuthStateCookie,
    ) {
      super();
    }

    override async canActivate(context: ExecutionContext): Promise<boolean> {
      assertEnabled(this.config, provider);
      const request = context.switchToHttp().getRequest<Request>();
      context.switchToHttp().getResponse<Response>().set('Cache-Control', 'no-store');
      const stop = (
        reason: 'rate_limited' | 'invalid_request' | 'provider_denied' | 'provider_error',
      ) => {
        // Whatever stopped it, this browser's flow is over.
        this.stateCookie.discard(provider, request);
        request.socialSignIn = { ok: false, provider, reason };
        return true;
      };
      if (!(await this.socialSignIn.admitCallback(clientContextOf(request)))) {
        return stop('rate_limited');
      }
      const query = callbackQuery.safeParse(request.query);
      if (!query.success) return stop('invalid_request');
      const { code, state, error } = query.data;
      if (error !== undefined) {
        return stop(error === 'access_denied' ? 'provider_denied' : 'provider_error');
      }
      if (code === undefined || state === undefined) return stop('invalid_request');
      // Passport checks the state, exchanges the code with the PKCE verifier, reads the profile.
      return (await super.canActivate(context)) === true;
    }

    override getAuthenticateOptions(): IAuthModuleOptions {
      return { session: false };
    }

    /** Passport's verdict, kept on the request instead of thrown. */
    override handleRequest<TUser>(
      error: unknown,
      user: TUser,
      info: unknown,
      context: ExecutionContext,
    ): TUser {
      context.switchToHttp().getRequest<Request>().socialSignIn = this.verdict(error, user, info);
      return user;
    }

    private verdict(error: unknown, user: unknown, info: unknown): ProviderCallback {
      if (error) {
        this.logger.warn(`The provider exchange failed: ${describe(error)}`);
        return { ok: false, provider, reason: 'provider_error' };
      }
      const profile = profileResult.safeParse(user);
      const flow = flowInfo.safeParse(info);
      if (!profile.success || !flow.success) {
        const reason = stateRefused.safeParse(info).success ? 'invalid_state' : 'provider_error';
        return { ok: false, provider, reason };
      }
      return { ok: true, provider, profile: profile.data, linkTo: flow.data.state.linkTo };
    }
  }
  return mixin(CallbackGuard);
}

/**
 * What may be logged of a failed exchange: the error's kind, the OAuth error code of a token
 * endpoint refusal, and our own messages. Never the raw provider answer (it could echo a code).
 */
function describe(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof TokenError) return `TokenError ${error.code}`;
  return error instanceof Error ? error.name : 'unknown error';
}
