import type { z } from 'zod';
import { AppError } from '@intake/common';

const TIMEOUT_MS = 10_000;
/** Userinfo and e-mail lists are a few hundred bytes; anything far larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a provider API resource with the user's access token (sent as a header, never in the
 * URL), validated against `schema`. A timeout, a redirect, an error status, an oversized or
 * unexpected body all fail the same way (the sign-in ends with `provider_error`). The token
 * is used for these calls only and is never stored or logged.
 */
export async function fetchProviderJson<Schema extends z.ZodType>(
  url: string,
  accessToken: string,
  schema: Schema,
  headers: Record<string, string> = {},
): Promise<z.output<Schema>> {
  const what = new URL(url).pathname;
  const response = await fetch(url, {
    headers: { Accept: 'application/json', ...headers, Authorization: `Bearer ${accessToken}` },
    redirect: 'error',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError('unavailable', `The provider answered ${response.status} on ${what}`);
  }
  const parsed = schema.safeParse(parseJson(await readCapped(response)));
  if (!parsed.success) {
    throw new AppError('unavailable', `The provider sent an unexpected answer on ${what}`);
  }
  return parsed.data;
}

async function readCapped(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream: the rest is never read.
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
