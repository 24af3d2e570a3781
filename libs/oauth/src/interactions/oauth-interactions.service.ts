import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Interaction, Provider } from 'oidc-provider';
import type { AuditClient } from '@intake/audit';
import { UsersRepository } from '@intake/auth';
import { AppError, constantTimeEqual } from '@intake/common';
import { AppConfig, deriveKey } from '@intake/config';
import { OAuthConnectionsService } from '../connections/oauth-connections.service';
import { isOAuthScope, OAUTH_SCOPES, type OAuthScope } from '../oauth-scopes';
import { mcpResourceUrl } from '../oauth-urls';
import type { ConsentView } from '../pages/oauth-pages';
import { OAuthProviderHost } from '../provider/oauth-provider.host';

/**
 * Where an authorization stands when a signed-in owner opens its page. `redirectOrigin` is
 * where it ends (the client's redirect URI): the page's form posts lead there by redirects.
 */
export type InteractionStep =
  | { step: 'redirect'; to: string }
  | { step: 'consent'; redirectOrigin: string; view: Omit<ConsentView, 'csrfToken' | 'error'> };

const LOOPBACK = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?\//;

/**
 * The owner's side of an authorization (the provider's "interactions"): who is signing in
 * (the dashboard session decides, 2FA included), what the client asks for, and the owner's
 * answer. The provider keeps the interaction in its cookie-bound store; each step here
 * checks that the interaction in the URL is the one of this browser.
 */
@Injectable()
export class OAuthInteractionsService {
  private readonly csrfKey: Buffer;
  private readonly resource: string;

  constructor(
    private readonly host: OAuthProviderHost,
    private readonly users: UsersRepository,
    private readonly connections: OAuthConnectionsService,
    config: AppConfig,
  ) {
    this.csrfKey = deriveKey(config.secretKey, 'oauth-interaction-csrf');
    this.resource = mcpResourceUrl(config);
  }

  /** The sign-in form's CSRF token, bound to the interaction (nobody is signed in yet). */
  signInToken(uid: string): string {
    return createHmac('sha256', this.csrfKey).update(uid).digest('base64url');
  }

  assertSignInToken(uid: string, sent: string): void {
    if (!constantTimeEqual(Buffer.from(sent), Buffer.from(this.signInToken(uid)))) {
      throw new AppError('forbidden', 'Missing or invalid CSRF token');
    }
  }

  /**
   * What the page of interaction `uid` shows to `userId`, the dashboard session's user: the
   * consent form, or nothing yet (the provider first learns who signed in, and moves on).
   */
  async open(
    request: Request,
    response: Response,
    uid: string,
    userId: string,
  ): Promise<InteractionStep> {
    const interaction = await this.interaction(request, response, uid);
    if (interaction.prompt.name !== 'consent' || interaction.session?.accountId !== userId) {
      const to = await this.provider.interactionResult(
        request,
        response,
        { login: { accountId: userId, remember: false } },
        { mergeWithLastSubmission: false },
      );
      return { step: 'redirect', to };
    }
    return {
      step: 'consent',
      redirectOrigin: redirectOriginOf(interaction),
      view: await this.consentView(interaction, userId),
    };
  }

  /** The origin interaction `uid` of this browser ends at (see InteractionStep). */
  async redirectOrigin(request: Request, response: Response, uid: string): Promise<string> {
    return redirectOriginOf(await this.interaction(request, response, uid));
  }

  /**
   * The owner's approval of `granted` (a subset of what was asked). Rejected scopes are
   * recorded as such, so the provider does not ask again and issues tokens for the rest only.
   */
  async approve(
    request: Request,
    response: Response,
    uid: string,
    userId: string,
    posted: readonly string[],
    client: AuditClient,
  ): Promise<string> {
    const interaction = await this.consentInteraction(request, response, uid, userId);
    const requested = this.requestedScopes(interaction);
    const granted = requested.filter((scope) => posted.includes(scope));
    if (granted.length === 0) {
      throw AppError.validation({ scope: ['Allow at least one permission, or deny'] });
    }
    const rejected = requested.filter((scope) => !granted.includes(scope));
    const clientId = String(interaction.params.client_id);
    const grant =
      (interaction.grantId ? await this.provider.Grant.find(interaction.grantId) : undefined) ??
      new this.provider.Grant({ accountId: userId, clientId });
    // MCP scopes are also registered as provider scopes (see the factory), so they are
    // granted on both sides; `openid` and `offline_access` are not the owner's to refuse.
    const missingOidc = stringList(interaction.prompt.details.missingOIDCScope);
    const oidcGranted = missingOidc.filter((s) => !isOAuthScope(s) || granted.includes(s));
    if (oidcGranted.length > 0) grant.addOIDCScope(oidcGranted.join(' '));
    if (rejected.length > 0) grant.rejectOIDCScope(rejected.join(' '));
    grant.addResourceScope(this.resource, granted.join(' '));
    if (rejected.length > 0) grant.rejectResourceScope(this.resource, rejected.join(' '));
    const grantId = await grant.save();

    const view = await this.consentView(interaction, userId);
    await this.connections.recordApproval(
      userId,
      {
        clientId,
        clientName: view.clientName,
        clientUri: view.clientUri,
        redirectHost: view.redirectHost,
        scopes: granted,
      },
      grantId,
      client,
    );
    return this.provider.interactionResult(
      request,
      response,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  /** The owner said no: the client gets `access_denied` (with `state` and `iss`). */
  async deny(request: Request, response: Response, uid: string, userId: string): Promise<string> {
    await this.consentInteraction(request, response, uid, userId);
    return this.provider.interactionResult(
      request,
      response,
      { error: 'access_denied', error_description: 'The owner denied the request' },
      { mergeWithLastSubmission: false },
    );
  }

  private get provider(): Provider {
    return this.host.provider;
  }

  /** The interaction of this browser (its cookie), which must be the one in the URL. */
  private async interaction(request: Request, response: Response, uid: string) {
    let interaction: Interaction;
    try {
      interaction = await this.provider.interactionDetails(request, response);
    } catch {
      throw interactionGone();
    }
    if (interaction.uid !== uid) throw interactionGone();
    return interaction;
  }

  /** A consent answer is only taken from the owner the provider is asking. */
  private async consentInteraction(
    request: Request,
    response: Response,
    uid: string,
    userId: string,
  ): Promise<Interaction> {
    const interaction = await this.interaction(request, response, uid);
    if (interaction.prompt.name !== 'consent' || interaction.session?.accountId !== userId) {
      throw new AppError('forbidden', 'This authorization is waiting for another step');
    }
    return interaction;
  }

  /** The MCP scopes not yet granted that the request asks for, in canonical order. */
  private requestedScopes(interaction: Interaction): OAuthScope[] {
    const { details } = interaction.prompt;
    const byResource = (details.missingResourceScopes ?? {}) as Record<string, unknown>;
    const asked = new Set([
      ...stringList(byResource[this.resource]),
      ...stringList(details.missingOIDCScope),
    ]);
    return OAUTH_SCOPES.filter((scope) => asked.has(scope));
  }

  private async consentView(
    interaction: Interaction,
    userId: string,
  ): Promise<Omit<ConsentView, 'csrfToken' | 'error'>> {
    const clientId = String(interaction.params.client_id);
    const [client, owner] = await Promise.all([
      this.provider.Client.find(clientId),
      this.users.findById(userId),
    ]);
    if (!client || !owner) throw interactionGone();
    return {
      uid: interaction.uid,
      clientId,
      clientName: client.clientName ?? clientId,
      clientUri: typeof client.clientUri === 'string' ? client.clientUri : null,
      redirectHost: new URL(String(interaction.params.redirect_uri)).host,
      localhostOnly: client.redirectUris?.every((uri) => LOOPBACK.test(uri)) ?? false,
      metadataDocument: clientId.startsWith('https://'),
      scopes: this.requestedScopes(interaction),
      accountEmail: owner.email,
    };
  }
}

/** The provider checked `redirect_uri` against the client before the interaction began. */
function redirectOriginOf(interaction: Interaction): string {
  return new URL(String(interaction.params.redirect_uri)).origin;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function interactionGone(): AppError {
  return new AppError(
    'not_found',
    'This authorization request has expired or belongs to another browser',
  );
}
