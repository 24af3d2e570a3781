import { sanitizeKey, truncateCodePoints } from './text';

export const MAX_DROPPED_NAMES = 100;
export const MAX_DROPPED_NAME_LENGTH = 64;

/**
 * Submitted keys the schema does not know. They end up in stored metadata and in the owner's
 * dashboard, so they are bounded (a 64 KiB body can hold thousands of keys) and made safe
 * for PostgreSQL `jsonb` (no NUL, no lone surrogate). Sorted so the list is stable.
 */
export function droppedFieldNames(
  input: object,
  known: ReadonlyMap<string, number>,
): { names: string[]; count: number } {
  let count = 0;
  let unknown: Set<string> | undefined;
  for (const key of Object.keys(input)) {
    if (known.has(key)) continue;
    count++;
    (unknown ??= new Set()).add(truncateCodePoints(sanitizeKey(key), MAX_DROPPED_NAME_LENGTH));
  }
  if (!unknown) return { names: [], count };
  return { names: [...unknown].sort().slice(0, MAX_DROPPED_NAMES), count };
}
