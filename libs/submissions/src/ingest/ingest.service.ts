import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '@intake/config';
import { AppError, constantTimeEqual, QueueSignals, RateLimits, sha256 } from '@intake/common';
import type { Form } from '@intake/database';
import { isWellFormedSubmissionToken, type PublishedForm } from '@intake/forms';
import { IntakeMetrics } from '@intake/metrics';
import { OwnerEvents } from '@intake/realtime';
import { IngestRepository, type IdempotencyClaim } from './ingest.repository';
import { readSubmissionBody, type BodyMode } from './submission-body';
import { submissionMetadata } from './submission-metadata';

export interface Acknowledgement {
  id: string;
  data: Record<string, unknown>;
  created_at: string;
}

export interface IngestOutcome {
  /** 201 for a new submission, 200 for an idempotent replay. */
  status: 201 | 200;
  acknowledgement: Acknowledgement;
  mode: BodyMode;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,256}$/;

function bearerOf(request: Request): string | null {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

/** Whether a browser on `origin` may post to the form (no `Origin`: not a browser, allowed). */
export function originAllowed(
  allowedOrigins: readonly string[],
  origin: string | undefined,
): boolean {
  return origin === undefined || allowedOrigins.length === 0 || allowedOrigins.includes(origin);
}

/**
 * The public submission path. Everything before the single INSERT is in memory (cached
 * form version, compiled validator, rate-limit counter); nothing calls the network.
 */
@Injectable()
export class IngestService {
  private readonly bodyLimit: number;

  constructor(
    private readonly repository: IngestRepository,
    private readonly rateLimits: RateLimits,
    private readonly events: OwnerEvents,
    private readonly metrics: IntakeMetrics,
    private readonly queues: QueueSignals,
    config: AppConfig,
  ) {
    this.bodyLimit = config.env.SUBMISSION_BODY_LIMIT_BYTES;
  }

  /** Stores a submission to a resolved form version (see PublishedForms.resolve). */
  async submit(published: PublishedForm, request: Request): Promise<IngestOutcome> {
    const { form } = published;
    if (!originAllowed(form.allowedOrigins, request.headers.origin))
      throw new AppError('forbidden', 'This origin may not post to this form');
    this.assertSubmissionToken(form, request);

    // Counted before the work and given back unless a new submission is stored, so the
    // limit is on accepted submissions and parallel requests cannot overshoot it.
    const limiter =
      form.ipRateLimit > 0
        ? this.rateLimits.for({ name: 'ingest-ip', points: form.ipRateLimit, durationSeconds: 60 })
        : null;
    const limitKey = `${form.id}:${request.ip ?? 'unknown'}`;
    if (limiter) {
      const result = await limiter.consume(limitKey);
      if (!result.allowed) throw AppError.rateLimited(result.resetSeconds);
    }
    try {
      const outcome = await this.store(published, request);
      if (outcome.status !== 201) await limiter?.reward(limitKey);
      return outcome;
    } catch (error) {
      await limiter?.reward(limitKey);
      throw error;
    }
  }

  private async store(published: PublishedForm, request: Request): Promise<IngestOutcome> {
    const { form, version, compiled } = published;
    const body = await readSubmissionBody(request, this.bodyLimit);
    const result = compiled.validate(body.fields, body.mode);
    if (!result.ok) throw AppError.validation(result.errors);

    const claim = this.idempotencyClaim(request, body.fields);
    const id = uuidv7();
    const [honeypot] = result.honeypotFilled;
    const stored = await this.repository.insert(
      {
        id,
        formId: form.id,
        ownerId: form.userId,
        formVersionId: version.id,
        formVersion: version.version,
        data: result.data,
        // A filled honeypot is spam for certain; the answer stays the same 201 so bots learn nothing.
        spam: honeypot !== undefined,
        spamConfidence: honeypot !== undefined ? 1 : null,
        spamReason: honeypot !== undefined ? `honeypot field "${honeypot}" was filled` : null,
        metadata: submissionMetadata(request, result.droppedFields.length),
      },
      claim,
    );
    if (stored) {
      this.metrics.submissionAccepted();
      this.queues.notify('submission_jobs');
      this.events.publish({
        type: 'submission.created',
        ownerId: form.userId,
        formId: form.id,
        subjectId: id,
      });
      return {
        status: 201,
        mode: body.mode,
        acknowledgement: { id, data: result.data, created_at: stored.createdAt.toISOString() },
      };
    }
    return { status: 200, mode: body.mode, acknowledgement: await this.replay(form.id, claim) };
  }

  private assertSubmissionToken(form: Form, request: Request): void {
    if (!form.submissionTokenHash) return;
    const token = bearerOf(request);
    if (!token) {
      throw new AppError(
        'unauthorized',
        'This form is private: send Authorization: Bearer <submission token>',
        {
          headers: { 'WWW-Authenticate': 'Bearer' },
        },
      );
    }
    if (
      !isWellFormedSubmissionToken(token) ||
      !constantTimeEqual(sha256(token), Buffer.from(form.submissionTokenHash))
    ) {
      throw new AppError('invalid_token', 'Submission token is invalid', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    }
  }

  private idempotencyClaim(
    request: Request,
    fields: Record<string, unknown>,
  ): IdempotencyClaim | null {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return null;
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
      throw new AppError(
        'invalid_params',
        'Idempotency-Key must be 1-256 printable ASCII characters',
      );
    }
    return { key, requestHash: sha256(JSON.stringify(fields)) };
  }

  /** The key was used before: the same body replays the original, another body is a conflict. */
  private async replay(formId: string, claim: IdempotencyClaim | null): Promise<Acknowledgement> {
    const previous = claim ? await this.repository.findClaim(formId, claim.key) : null;
    if (!claim || !previous?.submission)
      throw new AppError(
        'conflict',
        'Idempotency-Key was used for a submission that no longer exists',
      );
    if (!constantTimeEqual(Buffer.from(previous.requestHash), claim.requestHash)) {
      throw new AppError('conflict', 'Idempotency-Key was already used with a different body');
    }
    const { submission } = previous;
    return {
      id: submission.id,
      data: submission.data as Record<string, unknown>,
      created_at: submission.createdAt.toISOString(),
    };
  }
}
