import { Injectable } from '@nestjs/common';
import { AuditService } from '@intake/audit';
import { AppError } from '@intake/common';
import { FormsService, KnowledgeBasesService, type Field } from '@intake/forms';
import { AiSteps, textFields, type AiSpamVerdict, type SmartReplyDraft } from '@intake/pipeline';
import { SubmissionsService, type SubmissionOutput } from '@intake/submissions';
import type { McpCaller } from '../mcp-caller';

type AssistTask = 'translation' | 'spam_analysis' | 'reply_draft';

interface Loaded {
  submission: SubmissionOutput;
  /** The fields of the version the submission was validated against. */
  fields: Field[];
}

/**
 * The pipeline's AI steps, run on demand on one stored submission for an AI client. Each
 * sends the model only what the pipeline would (the schema's text fields, honeypots
 * left out), answers without changing the submission, and leaves an audit entry.
 */
@Injectable()
export class SubmissionAssistant {
  constructor(
    private readonly ai: AiSteps,
    private readonly forms: FormsService,
    private readonly submissions: SubmissionsService,
    private readonly knowledgeBases: KnowledgeBasesService,
    private readonly audit: AuditService,
  ) {}

  async translate(
    caller: McpCaller,
    formId: string,
    submissionId: string,
    targetLanguage: string,
  ): Promise<{ submission: SubmissionOutput; translated: Record<string, string> }> {
    const { submission, fields } = await this.load(caller, formId, submissionId);
    const prose = this.proseOf(submission, fields, 'translate');
    const translated = await this.ai.translate(prose, targetLanguage);
    await this.record(caller, submission, 'translation');
    return { submission, translated };
  }

  async analyzeSpam(
    caller: McpCaller,
    formId: string,
    submissionId: string,
  ): Promise<{ submission: SubmissionOutput; verdict: AiSpamVerdict }> {
    const { submission, fields } = await this.load(caller, formId, submissionId);
    const form = await this.forms.get(caller.ownerId, formId);
    // As the pipeline's intelligent check: e-mail fields count (disposable domains).
    const texts = textFields(submission.data, fields, { includeEmails: true });
    const verdict = await this.ai.classifySpam(form.intent, texts);
    await this.record(caller, submission, 'spam_analysis');
    return { submission, verdict };
  }

  /** From `knowledgeBaseId`, or else the form's own knowledge base. */
  async draftReply(
    caller: McpCaller,
    formId: string,
    submissionId: string,
    knowledgeBaseId: string | null,
  ): Promise<{ submission: SubmissionOutput; knowledgeBaseId: string; draft: SmartReplyDraft }> {
    const { submission, fields } = await this.load(caller, formId, submissionId);
    const chosen =
      knowledgeBaseId ?? (await this.forms.get(caller.ownerId, formId)).knowledge_base_id;
    if (!chosen) {
      throw AppError.validation({
        knowledge_base_id: ['is required: this form has no knowledge base of its own'],
      });
    }
    const knowledgeBase = await this.knowledgeBases.get(caller.ownerId, chosen);
    const prose = this.proseOf(submission, fields, 'answer');
    const draft = await this.ai.draftReply(knowledgeBase.content, prose);
    await this.record(caller, submission, 'reply_draft');
    return { submission, knowledgeBaseId: knowledgeBase.id, draft };
  }

  /** AI first: an unconfigured server says so before reading anything. */
  private async load(caller: McpCaller, formId: string, submissionId: string): Promise<Loaded> {
    if (!this.ai.enabled) {
      throw new AppError(
        'unavailable',
        'AI is not configured on this Intake server (OPENAI_API_KEY is not set), so this tool ' +
          'cannot run. The other tools work without it.',
      );
    }
    const submission = await this.submissions.get(caller.ownerId, formId, submissionId);
    const schema = await this.forms.versionSchema(caller.ownerId, formId, submission.form_version);
    return { submission, fields: schema.fields };
  }

  private proseOf(
    submission: SubmissionOutput,
    fields: readonly Field[],
    purpose: string,
  ): Record<string, string> {
    const prose = textFields(submission.data, fields, { includeEmails: false });
    if (Object.keys(prose).length === 0) {
      throw new AppError(
        'invalid_params',
        `This submission has no text fields to ${purpose} (only e-mails, numbers, dates or empty values).`,
      );
    }
    return prose;
  }

  private record(caller: McpCaller, submission: SubmissionOutput, task: AssistTask) {
    return this.audit.record({
      actorId: caller.ownerId,
      action: 'submission.ai_assisted',
      target: { type: 'submission', id: submission.id },
      client: caller.client,
      metadata: { task, oauth_client_id: caller.clientId },
    });
  }
}
