import type request from 'supertest';

type BodyParser = Extract<
  Parameters<request.Test['parse']>[0],
  (response: never, callback: never) => void
>;

/**
 * A supertest parser that keeps any body as UTF-8 text: superagent leaves types it does not
 * know (NDJSON, attachments) unread. Use as `.buffer(true).parse(asText)`; the text is `body`.
 */
export const asText: BodyParser = (stream, done) => {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
};

/** Each line of an NDJSON body, parsed; the body must end with a newline (or be empty). */
export function ndjsonLines(text: string): unknown[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error('NDJSON body does not end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}
