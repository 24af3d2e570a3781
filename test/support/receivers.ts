import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body?: string;
}

/** A real HTTP server on 127.0.0.1 that records what it receives. */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Decides each answer; by default 200 "ok". */
  reply: (request: ReceivedRequest) => Reply;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hook'): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> = {
    received: [],
    reply: () => ({ status: 200, body: 'ok' }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      receiver.received.push(request);
      const { status, body } = receiver.reply(request);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Verifies a delivery as a receiver would, with the official Standard Webhooks package. */
export function verifyWebhook(secret: string, request: ReceivedRequest): unknown {
  const header = (name: string) => String(request.headers[name] ?? '');
  return new Webhook(secret).verify(request.body, {
    'webhook-id': header('webhook-id'),
    'webhook-timestamp': header('webhook-timestamp'),
    'webhook-signature': header('webhook-signature'),
  });
}

/** A webhook receiver that refuses (400) anything not signed with `secret()`. */
export function verifyingReply(secret: () => string): (request: ReceivedRequest) => Reply {
  return (request) => {
    try {
      verifyWebhook(secret(), request);
      return { status: 204 };
    } catch {
      return { status: 400, body: 'bad signature' };
    }
  };
}

const text = z.object({ type: z.enum(['plain_text', 'mrkdwn']), text: z.string().min(1) });

/** The Block Kit subset Intake sends to a Slack incoming webhook. */
export const slackPayload = z.strictObject({
  text: z.string().min(1),
  blocks: z
    .array(
      z.union([
        z.strictObject({
          type: z.literal('header'),
          text: text.extend({ text: z.string().max(150) }),
        }),
        z.strictObject({
          type: z.literal('section'),
          fields: z.array(text.extend({ text: z.string().max(2000) })).max(10),
        }),
        z.strictObject({ type: z.literal('context'), elements: z.array(text) }),
      ]),
    )
    .max(50),
});

/** A Discord execute-webhook body with one embed, within Discord's limits. */
export const discordPayload = z.strictObject({
  embeds: z
    .array(
      z.strictObject({
        title: z.string().max(256),
        description: z.string().max(4096).optional(),
        timestamp: z.iso.datetime(),
        footer: z.strictObject({ text: z.string().max(2048) }),
        fields: z
          .array(
            z.strictObject({
              name: z.string().min(1).max(256),
              value: z.string().min(1).max(1024),
              inline: z.boolean(),
            }),
          )
          .max(25),
      }),
    )
    .length(1),
  allowed_mentions: z.strictObject({ parse: z.array(z.string()).length(0) }),
});

/** Answers like the chat services do: 400 for a body they would not accept. */
export function shapeCheckingReply(schema: z.ZodType): (request: ReceivedRequest) => Reply {
  return (request) => {
    const parsed = schema.safeParse(JSON.parse(request.body));
    return parsed.success ? { status: 200, body: 'ok' } : { status: 400, body: 'invalid_payload' };
  };
}
