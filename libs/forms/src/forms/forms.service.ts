import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { AuditService, type AuditClient } from '@intake/audit';
import { AppConfig } from '@intake/config';
import { AppError, pageMeta, sha256, type PageMeta } from '@intake/common';
import { isUniqueViolation } from '@intake/database';
import { OwnerEvents } from '@intake/realtime';
import { OpaqueEndpoints } from '../endpoints/opaque-endpoint';
import { newSubmissionToken } from '../endpoints/submission-token';
import { KnowledgeBasesRepository } from '../knowledge-bases/knowledge-bases.repository';
import type { FieldsSchema } from '../rules';
import type { CreateFormInput, FormSettings, UpdateFormInput } from './form-fields';
import { assertConsistentSettings } from './form-settings';
import {
  currentVersionOf,
  formSettingsOf,
  toFormOutput,
  toFormSummaryOutput,
  toFormVersionOutput,
  type FormOutput,
  type FormSummaryOutput,
  type FormWithVersionsOutput,
} from './form.output';
import {
  FormsRepository,
  storedFieldsSchema,
  type FormData,
  type FormRecord,
} from './forms.repository';
import { PublishedForms } from './published-forms';

/** API names -> columns, for every setting except `fields_schema` (which lives on versions). */
function columnsOf(settings: FormSettings): FormData {
  return {
    name: settings.name,
    slug: settings.slug,
    visibility: settings.visibility,
    enabled: settings.enabled,
    spamProtectionEnabled: settings.spam_protection_enabled,
    spamProtectionStrategy: settings.spam_protection_strategy,
    intent: settings.intent,
    localisationEnabled: settings.localisation_enabled,
    smartReplyEnabled: settings.smart_reply_enabled,
    smartRepliesMode: settings.smart_replies_mode,
    smartReplyEmailField: settings.smart_reply_email_field,
    knowledgeBaseId: settings.knowledge_base_id,
    allowedOrigins: settings.allowed_origins,
    redirectUrl: settings.redirect_url,
    retentionDays: settings.retention_days,
    notifyEmails: settings.notify_emails,
    ipRateLimit: settings.ip_rate_limit,
  };
}

const slugTaken = () => AppError.validation({ slug: ['is already used by another of your forms'] });

@Injectable()
export class FormsService {
  constructor(
    private readonly repository: FormsRepository,
    private readonly knowledgeBases: KnowledgeBasesRepository,
    private readonly endpoints: OpaqueEndpoints,
    private readonly published: PublishedForms,
    private readonly audit: AuditService,
    private readonly events: OwnerEvents,
    private readonly config: AppConfig,
  ) {}

  async create(ownerId: string, input: CreateFormInput, client: AuditClient): Promise<FormOutput> {
    await this.assertConsistent(ownerId, input);
    const token = input.visibility === 'private' ? newSubmissionToken() : null;
    const form = await this.repository
      .create(
        ownerId,
        { ...columnsOf(input), submissionTokenHash: token ? sha256(token) : null },
        input.fields_schema,
      )
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? slugTaken() : error;
      });
    this.events.publish({ type: 'form.changed', ownerId, formId: form.id });
    await this.audit.record({
      actorId: ownerId,
      action: 'form.created',
      target: { type: 'form', id: form.id },
      client,
    });
    return { ...this.output(form, 0), ...(token ? { submission_token: token } : {}) };
  }

  async list(
    ownerId: string,
    page: number,
    pageSize: number,
  ): Promise<{ forms: FormSummaryOutput[]; meta: PageMeta }> {
    const [forms, total] = await this.repository.page(ownerId, page, pageSize);
    const counts = await this.repository.countSubmissions(
      ownerId,
      forms.map((form) => form.id),
    );
    return {
      forms: forms.map((form) =>
        toFormSummaryOutput(form, this.endpointOf(form), counts.get(form.id) ?? 0),
      ),
      meta: pageMeta(page, pageSize, total),
    };
  }

  async get(ownerId: string, formId: string): Promise<FormOutput> {
    const form = await this.find(ownerId, formId);
    const counts = await this.repository.countSubmissions(ownerId, [form.id]);
    return this.output(form, counts.get(form.id) ?? 0);
  }

  /**
   * Applies a partial update. A changed `fields_schema` becomes a new version with a new
   * endpoint; turning a form private issues its first submission token (returned once),
   * turning it public drops the token.
   */
  async update(
    ownerId: string,
    formId: string,
    input: UpdateFormInput,
    client: AuditClient,
  ): Promise<FormOutput> {
    const form = await this.find(ownerId, formId);
    const current = formSettingsOf(form);
    const next: FormSettings = { ...current, ...input };
    await this.assertConsistent(ownerId, next);
    const schemaChanged =
      input.fields_schema !== undefined &&
      !isDeepStrictEqual(input.fields_schema, current.fields_schema);
    const token =
      next.visibility === 'private' && current.visibility === 'public'
        ? newSubmissionToken()
        : null;
    const data = {
      ...columnsOf(next),
      ...(token ? { submissionTokenHash: sha256(token) } : {}),
      ...(next.visibility === 'public' ? { submissionTokenHash: null } : {}),
    };
    const updated = await this.repository
      .update(ownerId, form, data, schemaChanged ? next.fields_schema : null)
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? slugTaken() : error;
      });
    this.published.forget(form.id);
    this.events.publish({ type: 'form.changed', ownerId, formId: form.id });
    await this.audit.record({
      actorId: ownerId,
      action: 'form.updated',
      target: { type: 'form', id: form.id },
      client,
      metadata: { version: updated.currentVersion, schema_changed: schemaChanged },
    });
    const counts = await this.repository.countSubmissions(ownerId, [form.id]);
    return {
      ...this.output(updated, counts.get(form.id) ?? 0),
      ...(token ? { submission_token: token } : {}),
    };
  }

  async delete(ownerId: string, formId: string, client: AuditClient): Promise<FormOutput> {
    const form = await this.find(ownerId, formId);
    const counts = await this.repository.countSubmissions(ownerId, [form.id]);
    await this.repository.delete(ownerId, form.id);
    this.published.forget(form.id);
    this.events.publish({ type: 'form.changed', ownerId, formId: form.id });
    await this.audit.record({
      actorId: ownerId,
      action: 'form.deleted',
      target: { type: 'form', id: form.id },
      client,
    });
    return this.output(form, counts.get(form.id) ?? 0);
  }

  /** Every form with its settings and all its versions, oldest form first: the account export. */
  async everyForm(ownerId: string): Promise<FormWithVersionsOutput[]> {
    const forms = await this.repository.listWithAllVersions(ownerId);
    const counts = await this.repository.countSubmissions(
      ownerId,
      forms.map((form) => form.id),
    );
    return forms.map((form) => ({
      ...this.output(form, counts.get(form.id) ?? 0),
      versions: form.versions
        .map((version) => toFormVersionOutput(version, this.endpointFor(version.id, form.slug)))
        .reverse(),
    }));
  }

  /** Replaces a private form's submission token; the old one stops working at once. */
  async replaceSubmissionToken(
    ownerId: string,
    formId: string,
    client: AuditClient,
  ): Promise<FormOutput> {
    const form = await this.find(ownerId, formId);
    if (form.visibility !== 'private') {
      throw new AppError(
        'conflict',
        'Only private forms have a submission token; set visibility to private first',
      );
    }
    const token = newSubmissionToken();
    const updated = await this.repository.update(
      ownerId,
      form,
      { submissionTokenHash: sha256(token) },
      null,
    );
    this.published.forget(form.id);
    await this.audit.record({
      actorId: ownerId,
      action: 'form.submission_token_replaced',
      target: { type: 'form', id: form.id },
      client,
    });
    const counts = await this.repository.countSubmissions(ownerId, [form.id]);
    return { ...this.output(updated, counts.get(form.id) ?? 0), submission_token: token };
  }

  /** The schema one version of the owner's form validates against (a submission's own). */
  async versionSchema(ownerId: string, formId: string, version: number): Promise<FieldsSchema> {
    const found = await this.repository.findVersion(ownerId, formId, version);
    if (!found) throw AppError.notFound('Form version');
    return storedFieldsSchema(found);
  }

  /** The form, or 404 (also for another owner's form: no existence oracle). */
  async find(ownerId: string, formId: string): Promise<FormRecord> {
    const form = await this.repository.find(ownerId, formId);
    if (!form) throw AppError.notFound('Form');
    return form;
  }

  endpointOf(form: FormRecord): string {
    return this.endpointFor(currentVersionOf(form).id, form.slug);
  }

  private endpointFor(versionId: string, slug: string): string {
    return `${this.config.publicUrl}/api/${this.endpoints.encode(versionId)}/f/${slug}`;
  }

  private output(form: FormRecord, submissionCount: number): FormOutput {
    return toFormOutput(form, this.endpointOf(form), submissionCount);
  }

  private async assertConsistent(ownerId: string, settings: FormSettings): Promise<void> {
    const knowledgeBaseExists = settings.knowledge_base_id
      ? (await this.knowledgeBases.find(ownerId, settings.knowledge_base_id)) !== null
      : false;
    assertConsistentSettings(settings, knowledgeBaseExists);
  }
}
