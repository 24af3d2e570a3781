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
    if (result.success) return result.data;
    const details = issuesToDetails(result.error.issues);
    if (this.part === 'query')
      throw new AppError('invalid_params', 'Invalid query parameters', { details });
    throw AppError.validation(details);
  }
}
