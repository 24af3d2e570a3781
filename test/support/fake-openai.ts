import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat completion request as the server received it (parsed body + headers). */
export interface ChatRequest {
  authorization: string | undefined;
  model: string;
  messages: { role: string; content: string }[];
  /** `response_format.json_schema.name`: which task the SDK asked for. */
  task: string;
  /** The user message parsed as JSON: the data the model was given. */
  input: Record<string, unknown>;
}

/**
 * `answer`: reply with `answer(request)` as the JSON content. The others are failures:
 * `slow` never answers in time, `error` is a 500, `malformed` is content that is not JSON,
 * `no_credits` is OpenAI's 429 `insufficient_quota`.
 */
export type FakeMode = 'answer' | 'slow' | 'error' | 'malformed' | 'no_credits';

export interface FakeOpenAi {
  /** For OPENAI_BASE_URL, e.g. `http://127.0.0.1:41234/v1`. */
  baseUrl: string;
  requests: ChatRequest[];
  mode: FakeMode;
  answer: (request: ChatRequest) => unknown;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible server on loopback implementing `POST /v1/chat/completions`, for
 * the real `openai` SDK to talk to. Tests set `answer` to play the model.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const pending = new Set<ServerResponse>();
  const fake: FakeOpenAi = {
    baseUrl: '',
    requests: [],
    mode: 'answer',
    answer: () => ({}),
    close: async () => {
      for (const response of pending) response.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request, response) => {
    void handle(fake, pending, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

async function handle(
  fake: FakeOpenAi,
  pending: Set<ServerResponse>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
    return send(response, 404, { error: { message: 'not found' } });
  }
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { json_schema?: { name?: string } };
  };
  const user = body.messages.find((message) => message.role === 'user');
  const chat: ChatRequest = {
    authorization: request.headers.authorization,
    model: body.model,
    messages: body.messages,
    task: body.response_format?.json_schema?.name ?? '',
    input: user ? (JSON.parse(user.content) as Record<string, unknown>) : {},
  };
  fake.requests.push(chat);
  switch (fake.mode) {
    case 'slow':
      // Held open until the client gives up (or the server closes).
      pending.add(response);
      response.on('close', () => pending.delete(response));
      return;
    case 'error':
      return send(response, 500, { error: { message: 'The server had an error' } });
    case 'no_credits':
      return send(response, 429, {
        error: {
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
      });
    case 'malformed':
      return send(response, 200, completion(chat.model, 'Sure! Here is {not json'));
    case 'answer':
      return send(response, 200, completion(chat.model, JSON.stringify(fake.answer(chat))));
  }
}

function completion(model: string, content: string): unknown {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null } },
    ],
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
