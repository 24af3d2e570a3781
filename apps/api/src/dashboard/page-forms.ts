import type { Response } from 'express';
import { z } from 'zod';
import { AppError, issuesToDetails } from '@intake/common';

/** Why a form post was refused, as its page shows it next to the form. */
export interface FormProblem {
  status: number;
  message: string;
  /** Field name -> messages (never the submitted values). */
  fields: Record<string, string[]>;
}

/**
 * Refusals a person fixes on the same form, or retries from it (503: a mail server or the
 * database was away); anything else is an error page.
 */
const SHOWN_ON_THE_FORM = new Set([400, 401, 409, 422, 429, 503]);

/**
 * A form post's fields, checked like the API checks a body: a refusal is the same 422
 * `validation_error` (field -> messages), which `formProblem` turns into the form's errors.
 */
export function formInput<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.output<Schema> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw AppError.validation(issuesToDetails(result.error.issues));
  return result.data;
}

/**
 * Turns a refusal of a form post into what the form shows; rethrows everything else (a
 * missing resource, a stale sign-in, our own failures) for DashboardPageErrors. A 429 keeps
 * its Retry-After header.
 */
export function formProblem(error: unknown, response: Response): FormProblem {
  if (!(error instanceof AppError) || !SHOWN_ON_THE_FORM.has(error.status)) throw error;
  const { retryAfter, details } = error.options;
  if (retryAfter !== undefined) response.set('Retry-After', String(retryAfter));
  const message =
    error.code === 'validation_error'
      ? 'Please correct the fields marked below.'
      : retryAfter !== undefined
        ? `Too many attempts. Try again in ${retryAfter} seconds.`
        : error.message;
  return { status: error.status, message, fields: details ?? {} };
}

/**
 * The fields of a form on a signed-in page: its own, plus the `_csrf` token the AuthGuard
 * has already checked. Anything else is refused, as `z.strictObject` refuses it in the API.
 */
export function sessionForm<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject({ _csrf: z.string(), ...shape });
}

/** Query parameters of a page, where an empty search box or select means "not set". */
export function pageQuery<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess(
    (query) =>
      typeof query === 'object' && query !== null
        ? Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''))
        : query,
    schema,
  );
}

/** A page's query parameters; malformed ones are 400 `invalid_params`, as in the API. */
export function queryInput<Schema extends z.ZodType>(
  schema: Schema,
  query: unknown,
): z.output<Schema> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) {
    throw new AppError('invalid_params', 'Invalid query parameters', {
      details: issuesToDetails(result.error.issues),
    });
  }
  return result.data;
}
