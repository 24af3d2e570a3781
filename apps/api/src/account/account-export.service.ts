import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuditService } from '@intake/audit';
import {
  ApiKeysService,
  IdentitiesService,
  SessionsService,
  UsersRepository,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { AppError, type Attachment } from '@intake/common';
import type { User } from '@intake/database';
import {
  DeliveryLogService,
  DestinationsService,
  type DestinationOutput,
} from '@intake/destinations';
import { FormsService, KnowledgeBasesService } from '@intake/forms';
import { OAuthConnectionsService } from '@intake/oauth';
import { SubmissionsExportService } from '@intake/submissions';
import { coalesced, jsonChunks, StreamedObject } from './json-stream';

/** Bumped when the archive's layout changes in a way a reader must know about. */
const ARCHIVE_VERSION = 1;

/** The account itself: never the password hash, the TOTP seed or the backup codes. */
interface ProfileOutput {
  id: string;
  email: string;
  email_verified: boolean;
  locale: string;
  has_password: boolean;
  two_factor_enabled: boolean;
  created_at: string;
  updated_at: string;
}

function toProfileOutput(user: User): ProfileOutput {
  return {
    id: user.id,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    locale: user.locale,
    has_password: user.passwordHash !== null,
    two_factor_enabled: user.totpEnabledAt !== null,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

/**
 * `GET /account/export`: everything the account holds, as one JSON document written
 * incrementally. Each part comes from its feature's own service (the same outputs the API
 * shows, so no secret is in it: no hashes, no webhook secrets, no tokens); submissions,
 * deliveries and audit events are streamed in keyset batches, whatever their number.
 */
@Injectable()
export class AccountExportService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
    private readonly identities: IdentitiesService,
    private readonly oauthClients: OAuthConnectionsService,
    private readonly knowledgeBases: KnowledgeBasesService,
    private readonly forms: FormsService,
    private readonly destinations: DestinationsService,
    private readonly deliveryLog: DeliveryLogService,
    private readonly submissions: SubmissionsExportService,
    private readonly audit: AuditService,
  ) {}

  /** Reads the small parts and records the export before any byte is sent. */
  async open(session: ActiveSession, client: ClientContext): Promise<Attachment> {
    const ownerId = session.userId;
    const user = await this.users.findById(ownerId);
    if (!user) throw AppError.unauthorized('Sign in required');
    const [sessions, apiKeys, identities, oauthClients, knowledgeBases] = await Promise.all([
      this.sessions.list(ownerId, session.id),
      this.apiKeys.list(ownerId),
      this.identities.list(ownerId),
      this.oauthClients.list(ownerId),
      this.knowledgeBases.list(ownerId),
    ]);
    await this.audit.record({
      actorId: ownerId,
      action: 'user.exported',
      target: { type: 'user', id: ownerId },
      client,
    });
    const exportedAt = new Date();
    const archive = new StreamedObject({
      intake_account_export: ARCHIVE_VERSION,
      exported_at: exportedAt.toISOString(),
      profile: toProfileOutput(user),
      sessions,
      api_keys: apiKeys,
      identities,
      oauth_clients: oauthClients,
      knowledge_bases: knowledgeBases,
      forms: this.formsOf(ownerId),
      audit_events: this.audit.events(ownerId),
    });
    return {
      contentType: 'application/json; charset=utf-8',
      filename: `intake-account-${exportedAt.toISOString().slice(0, 10)}.json`,
      writeTo: (destination) =>
        pipeline(Readable.from(coalesced(jsonChunks(archive))), destination),
    };
  }

  /** Each form with its versions, destinations (each with its delivery log) and submissions. */
  private async *formsOf(ownerId: string): AsyncGenerator<StreamedObject> {
    for (const form of await this.forms.everyForm(ownerId)) {
      const destinations = await this.destinations.list(ownerId, form.id);
      yield new StreamedObject({
        ...form,
        destinations: this.withDeliveries(ownerId, destinations),
        submissions: this.submissions.everySubmission(ownerId, form.id),
      });
    }
  }

  private async *withDeliveries(
    ownerId: string,
    destinations: DestinationOutput[],
  ): AsyncGenerator<StreamedObject> {
    for (const destination of destinations) {
      yield new StreamedObject({
        ...destination,
        deliveries: this.deliveryLog.everyDelivery(ownerId, destination.id),
      });
    }
  }
}
