import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AiClient, type AiTask } from './ai-client';
import { protectVerbatim, restoreVerbatim } from './submission-text';

/** What the owner states the form is for; plenty for a classifier, bounded by the column. */
const MAX_INTENT_CHARS = 1_000;
/** A knowledge base is sent whole up to this, which keeps one call within small contexts. */
const MAX_KNOWLEDGE_BASE_CHARS = 20_000;

const spamTask: AiTask<{ spam: boolean; confidence: number; reason: string }> = {
  prompt: 'spam-classification',
  name: 'spam_verdict',
  answer: z.strictObject({
    spam: z.boolean(),
    confidence: z.number().min(0).max(1),
    reason: z.string(),
  }),
};

const translationTask: AiTask<{ fields: { name: string; text: string }[] }> = {
  prompt: 'translation',
  name: 'translation',
  answer: z.strictObject({
    fields: z.array(z.strictObject({ name: z.string(), text: z.string() })),
  }),
};

export interface SmartReplyDraft {
  answerable: boolean;
  subject: string;
  body: string;
}

const replyTask: AiTask<SmartReplyDraft> = {
  prompt: 'smart-reply',
  name: 'smart_reply',
  answer: z.strictObject({ answerable: z.boolean(), subject: z.string(), body: z.string() }),
};

export interface AiSpamVerdict {
  spam: boolean;
  spamConfidence: number;
  spamReason: string;
}

/**
 * The pipeline's AI steps. Each takes only the text fields it needs (see `textFields`)
 * and throws `AiServiceError` when the model cannot be used; the processor decides what
 * that means for the submission.
 */
@Injectable()
export class AiSteps {
  constructor(private readonly ai: AiClient) {}

  get enabled(): boolean {
    return this.ai.enabled;
  }

  async classifySpam(
    intent: string | null,
    fields: Record<string, string>,
  ): Promise<AiSpamVerdict> {
    const verdict = await this.ai.complete(spamTask, {
      form_intent: (intent ?? '').slice(0, MAX_INTENT_CHARS),
      submission: fields,
    });
    return {
      spam: verdict.spam,
      spamConfidence: verdict.confidence,
      spamReason: (verdict.reason.trim() || (verdict.spam ? 'AI: spam' : 'AI: not spam')).slice(
        0,
        500,
      ),
    };
  }

  /**
   * Translated copies of the given fields. E-mails, URLs and numbers are masked before the
   * call and restored after it; a field whose placeholders come back wrong keeps its
   * original text, so the owner never reads an altered address or amount.
   */
  async translate(
    fields: Record<string, string>,
    targetLanguage: string,
  ): Promise<Record<string, string>> {
    const masked = Object.entries(fields).map(([name, text]) => ({
      name,
      ...protectVerbatim(text),
    }));
    if (masked.length === 0) return {};
    const answer = await this.ai.complete(translationTask, {
      target_language: targetLanguage,
      fields: masked.map(({ name, text }) => ({ name, text })),
    });
    const translated = new Map(answer.fields.map((field) => [field.name, field.text]));
    return Object.fromEntries(
      masked.map(({ name, verbatim }) => {
        const text = translated.get(name);
        const restored = text === undefined ? null : restoreVerbatim(text, verbatim);
        return [name, restored ?? fields[name] ?? ''];
      }),
    );
  }

  async draftReply(
    knowledgeBase: string,
    fields: Record<string, string>,
  ): Promise<SmartReplyDraft> {
    const draft = await this.ai.complete(replyTask, {
      knowledge_base: knowledgeBase.slice(0, MAX_KNOWLEDGE_BASE_CHARS),
      submission: fields,
    });
    const subject = draft.subject.replace(/\s+/g, ' ').trim().slice(0, 500);
    const body = draft.body.trim();
    // An "answer" with nothing in it is no answer: a person has to reply.
    return { answerable: draft.answerable && body !== '', subject, body };
  }
}
