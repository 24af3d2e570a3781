import { HttpException } from '@nestjs/common';
import { AppError } from './app-error';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from './error-codes';
import { isDependencyUnavailable } from './unavailable-errors';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the failure is ours (5xx) and deserves a log line with the stack. */
  unexpected: boolean;
}

/** body-parser's error `type`s (https://github.com/expressjs/body-parser#errors). */
const BODY_PARSER_ERRORS: Record<string, [ErrorCode, string]> = {
  'entity.too.large': ['payload_too_large', 'Request body is too large'],
  'entity.parse.failed': ['invalid_params', 'Request body is not valid JSON'],
  'entity.verify.failed': ['invalid_params', 'Request body could not be verified'],
  'encoding.unsupported': ['unsupported_media_type', 'Content encoding is not supported'],
  'charset.unsupported': ['unsupported_media_type', 'Charset is not supported'],
  'request.aborted': ['invalid_params', 'Request was aborted'],
  'request.size.invalid': ['invalid_params', 'Request size did not match Content-Length'],
  'parameters.too.many': ['payload_too_large', 'Too many parameters'],
};

/**
 * Prisma's known request errors, matched by shape: the class lives in the generated
 * client, which this lib must not depend on (libs depend downwards).
 */
const PRISMA_ERRORS: Record<string, [ErrorCode, string]> = {
  P2002: ['conflict', 'A resource with these values already exists'],
  P2025: ['not_found', 'Resource not found'],
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_params',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limited',
  503: 'unavailable',
};

function shape(
  code: ErrorCode,
  message: string,
  extra: Partial<ErrorBody['error']> = {},
): ErrorResponse {
  const status = ERROR_CODES[code];
  return {
    status,
    body: { error: { code, message, ...extra } },
    headers: {},
    unexpected: status >= 500 && code !== 'unavailable',
  };
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Maps anything thrown while serving a request to the single error shape of API.md. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof AppError) {
    const { details, retryAfter, headers } = exception.options;
    const response = shape(exception.code, exception.message, {
      ...(details ? { details } : {}),
      ...(retryAfter !== undefined ? { retry_after: retryAfter } : {}),
    });
    response.headers = {
      ...headers,
      ...(retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {}),
    };
    return response;
  }
  const type = fieldOf(exception, 'type');
  if (typeof type === 'string' && BODY_PARSER_ERRORS[type]) {
    const [code, message] = BODY_PARSER_ERRORS[type];
    return shape(code, message);
  }
  const code = fieldOf(exception, 'code');
  if (typeof code === 'string' && PRISMA_ERRORS[code] && fieldOf(exception, 'clientVersion')) {
    const [errorCode, message] = PRISMA_ERRORS[code];
    return shape(errorCode, message);
  }
  if (isDependencyUnavailable(exception)) {
    return shape('unavailable', 'A dependency is unavailable; retry shortly');
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const mapped = STATUS_CODES[status];
    if (mapped) return shape(mapped, status === 404 ? 'Not found' : exception.message);
  }
  return shape('internal_error', 'Internal server error');
}
