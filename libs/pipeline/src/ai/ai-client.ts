import { Injectable } from '@nestjs/common';
import OpenAI, { APIError } from 'openai';
import { z } from 'zod';
import { AppConfig } from '@intake/config';
import { promptMessages, type PromptName } from './prompts';

/** Per call; well inside the job lease, so a hung model never holds a job for long. */
export const AI_CALL_TIMEOUT_MS = 15_000;

/** How an AI failure shows on the submission (`processing_reason`, see API.md). */
export type AiFailureReason = 'credits_exhausted' | 'service_error';

/** The model could not be used for this call; `reason` says whether retrying can help. */
export class AiServiceError extends Error {
  override readonly name = 'AiServiceError';

  constructor(
    readonly reason: AiFailureReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One structured task: its prompt file, the schema's name and the answer's shape. */
export interface AiTask<T> {
  prompt: PromptName;
  name: string;
  answer: z.ZodType<T>;
}

/**
 * The one place that talks to the model, through the official `openai` SDK, so any
 * OpenAI-compatible server works via `OPENAI_BASE_URL`. The SDK's own retries are off:
 * the job queue retries with backoff and decides what the last failure means.
 */
@Injectable()
export class AiClient {
  private readonly client: OpenAI | null;
  private readonly model: string;

  constructor(config: AppConfig) {
    const { OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL } = config.env;
    this.model = OPENAI_MODEL;
    this.client = OPENAI_API_KEY
      ? new OpenAI({
          apiKey: OPENAI_API_KEY,
          baseURL: OPENAI_BASE_URL,
          timeout: AI_CALL_TIMEOUT_MS,
          maxRetries: 0,
        })
      : null;
  }

  /** AI is off without `OPENAI_API_KEY`: the AI steps are skipped. */
  get enabled(): boolean {
    return this.client !== null;
  }

  async complete<T>(task: AiTask<T>, input: object): Promise<T> {
    if (!this.client) throw new AiServiceError('service_error', 'AI is not configured');
    let content: string | null | undefined;
    try {
      const completion = await this.client.chat.completions.create({
        model: this.model,
        messages: promptMessages(task.prompt, input),
        response_format: {
          type: 'json_schema',
          json_schema: { name: task.name, strict: true, schema: jsonSchemaOf(task.answer) },
        },
        temperature: 0,
      });
      content = completion.choices[0]?.message.content;
    } catch (error) {
      throw classifyFailure(error);
    }
    return parseAnswer(task, content);
  }
}

/** Structured outputs take plain JSON Schema; `$schema` is noise to some servers. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}

/** A model can still answer off-schema (or a compatible server ignore the schema). */
function parseAnswer<T>(task: AiTask<T>, content: string | null | undefined): T {
  let json: unknown;
  try {
    json = JSON.parse(content ?? '');
  } catch (error) {
    throw new AiServiceError('service_error', `${task.name}: the answer is not JSON`, {
      cause: error,
    });
  }
  const parsed = task.answer.safeParse(json);
  if (!parsed.success) {
    throw new AiServiceError('service_error', `${task.name}: the answer does not fit its schema`);
  }
  return parsed.data;
}

/** 429 `insufficient_quota` is the account out of credit: retrying will not help. */
function classifyFailure(error: unknown): AiServiceError {
  const message = error instanceof Error ? error.message : String(error);
  if (
    error instanceof APIError &&
    error.status === 429 &&
    (error.code === 'insufficient_quota' || error.type === 'insufficient_quota')
  ) {
    return new AiServiceError('credits_exhausted', message, { cause: error });
  }
  return new AiServiceError('service_error', message, { cause: error });
}
