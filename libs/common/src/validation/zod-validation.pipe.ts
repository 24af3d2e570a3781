import { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { AppError } from '../errors';

/** Groups zod issues into API.md's `details`: field path -> messages, values never echoed. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): Record<string, string[]> {
  const details: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : 'body';
    (details[key] ??= []).push(issue.message);
  }
  return details;
}

/**
 * Text PostgreSQL cannot store: NUL (text and jsonb refuse it) and lone surrogates (not
 * Unicode, so not UTF-8 either; a driver then fails or writes U+FFFD).
 */
const unstorable = (text: string) => text.includes('\u0000') || !text.isWellFormed();

/** Paths of the strings (and keys) holding unstorable text, walked without recursion. */
function unstorablePaths(value: unknown): string[] {
  const found: string[] = [];
  const pending: [unknown, string][] = [[value, 'body']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string' && unstorable(item)) found.push(path);
    if (item === null || typeof item !== 'object') continue;
    for (const [key, child] of Object.entries(item)) {
      const childPath = path === 'body' ? key : `${path}.${key}`;
      if (unstorable(key)) found.push(childPath);
      else pending.push([child, childPath]);
    }
  }
  return found;
}

/**
 * Validates and narrows a request part with a zod schema. A body that breaks its rules is
 * 422 `validation_error`; malformed query or path parameters are 400 `invalid_params`.
 */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<
  unknown,
  z.output<Schema>
> {
  constructor(
    private readonly schema: Schema,
    private readonly part: 'body' | 'query' = 'body',
  ) {}

  transform(value: unknown): z.output<Schema> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) {
      // Refused here, for every route, rather than as a database error (a 500) later.
      const invalid = unstorablePaths(result.data);
      if (invalid.length === 0) return result.data;
      const message = ['must not contain NUL or unpaired surrogate characters'];
      this.refuse(Object.fromEntries(invalid.map((path) => [path, message])));
    }
    this.refuse(issuesToDetails(result.error.issues));
  }

  private refuse(details: Record<string, string[]>): never {
    if (this.part === 'query')
      throw new AppError('invalid_params', 'Invalid query parameters', { details });
    throw AppError.validation(details);
  }
}
