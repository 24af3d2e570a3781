import { z } from 'zod';
import type { OAuthScope } from '@intake/oauth';

/** The scopes of `needed` that `granted` lacks, in `needed`'s order. */
export function missingScopes(
  needed: readonly OAuthScope[],
  granted: readonly OAuthScope[],
): OAuthScope[] {
  return needed.filter((scope) => !granted.includes(scope));
}

const toolCall = z.object({
  method: z.literal('tools/call'),
  params: z.object({ name: z.string() }),
});

/**
 * The tools a request body calls: one JSON-RPC message or a batch of them. Only a peek for
 * the scope challenge; the SDK validates the messages themselves.
 */
export function calledTools(body: unknown): string[] {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    const parsed = toolCall.safeParse(message);
    return parsed.success ? [parsed.data.params.name] : [];
  });
}
