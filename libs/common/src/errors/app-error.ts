import { ERROR_CODES, type ErrorCode } from './error-codes';

export interface AppErrorOptions {
  /** Field -> messages, only for `validation_error`. */
  details?: Record<string, string[]>;
  /** Seconds, only for `rate_limited`. */
  retryAfter?: number;
  /** Extra response headers (e.g. `WWW-Authenticate`). */
  headers?: Record<string, string>;
}

/** A domain error with a stable code; the global filter turns it into the API.md error body. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }

  static notFound(what = 'Resource'): AppError {
    return new AppError('not_found', `${what} not found`);
  }

  static unauthorized(message = 'Authentication required'): AppError {
    return new AppError('unauthorized', message);
  }

  static validation(details: Record<string, string[]>): AppError {
    return new AppError('validation_error', 'Validation failed', { details });
  }

  static rateLimited(retryAfterSeconds: number): AppError {
    return new AppError('rate_limited', 'Too many requests', {
      retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)),
    });
  }
}
