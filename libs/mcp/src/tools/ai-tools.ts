import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { SubmissionAssistant } from '../ai/submission-assistant.service';
import { untrusted } from '../untrusted-content';
import { defineTool, type McpTool } from './mcp-tool';
import { formId, submissionId } from './tool-inputs';

const NOT_STORED = 'Nothing is stored or sent: the submission stays as it is.';
const NEEDS_AI = 'Needs AI to be configured on the server (OPENAI_API_KEY).';

/** The pipeline's AI steps on demand, for one submission. */
@Injectable()
export class AiTools {
  constructor(private readonly assistant: SubmissionAssistant) {}

  tools(): McpTool[] {
    const target = z.strictObject({ form_id: formId, submission_id: submissionId });
    return [
      defineTool({
        name: 'translate_submission',
        title: 'Translate a submission',
        description:
          'Translates the text fields of a submission into target_language; e-mail addresses, ' +
          `URLs and numbers are kept verbatim. ${NOT_STORED} ${NEEDS_AI}`,
        scopes: ['submissions:read', 'ai:use'],
        input: target.extend({
          target_language: z
            .string()
            .regex(
              /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/,
              'must be a language tag such as en or pt-BR',
            )
            .max(35)
            .describe('BCP 47 language tag, e.g. en, fr, pt-BR.'),
        }),
        readOnly: true,
        usesAi: true,
        untrusted: true,
        run: async ({ form_id, submission_id, target_language }, caller) => {
          const { submission, translated } = await this.assistant.translate(
            caller,
            form_id,
            submission_id,
            target_language,
          );
          return {
            submission_id: submission.id,
            target_language,
            ...untrusted({ translated_fields: translated }),
          };
        },
      }),
      defineTool({
        name: 'analyze_spam',
        title: 'Ask the AI whether a submission is spam',
        description:
          'The AI spam check against the form’s intent, with a confidence and a reason, next to ' +
          `the verdict stored on the submission. To act on it, call mark_spam. ${NOT_STORED} ${NEEDS_AI}`,
        scopes: ['submissions:read', 'ai:use'],
        input: target,
        readOnly: true,
        usesAi: true,
        untrusted: true,
        run: async ({ form_id, submission_id }, caller) => {
          const { submission, verdict } = await this.assistant.analyzeSpam(
            caller,
            form_id,
            submission_id,
          );
          return {
            submission_id: submission.id,
            ai_verdict: { spam: verdict.spam, confidence: verdict.spamConfidence },
            stored_verdict: { spam: submission.spam, confidence: submission.spam_confidence },
            // The model wrote the reason from the submission: it can echo what was submitted.
            ...untrusted({ reason: verdict.spamReason }),
          };
        },
      }),
      defineTool({
        name: 'draft_reply',
        title: 'Draft a reply to a submission',
        description:
          'Drafts a reply from a knowledge base (knowledge_base_id, or else the form’s own). ' +
          'answerable is false when the knowledge base does not answer the message. ' +
          `${NOT_STORED} ${NEEDS_AI}`,
        scopes: ['submissions:read', 'ai:use', 'knowledge_bases:read'],
        input: target.extend({
          knowledge_base_id: z
            .uuid()
            .optional()
            .describe('A knowledge base of yours; by default the form’s own.'),
        }),
        readOnly: true,
        usesAi: true,
        untrusted: true,
        run: async ({ form_id, submission_id, knowledge_base_id }, caller) => {
          const { submission, knowledgeBaseId, draft } = await this.assistant.draftReply(
            caller,
            form_id,
            submission_id,
            knowledge_base_id ?? null,
          );
          return {
            submission_id: submission.id,
            knowledge_base_id: knowledgeBaseId,
            answerable: draft.answerable,
            // Written by the model from the submission: an injection can steer it.
            ...untrusted({ subject: draft.subject, body: draft.body }),
          };
        },
      }),
    ];
  }
}
