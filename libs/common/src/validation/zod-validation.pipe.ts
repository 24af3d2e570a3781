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

/** Validates and narrows a request part with a zod schema; failure is a 422. */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.output<Schema> {
    const result = this.schema.safeParse(value ?? {});
    if (!result.success) throw AppError.validation(issuesToDetails(result.error.issues));
    return result.data;
  }
}
