import { ERROR_CODES, type ErrorCode } from '@intake/common';

const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);

/**
 * API.md's one error shape: `{"error": {"code", "message", ...}}`, its code from the
 * catalogue and the status that code stands for. Returns the code (for further checks).
 */
export function expectDocumentedError(response: { status: number; body: unknown }): ErrorCode {
  expect(response.body).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
  const { code } = (response.body as { error: { code: unknown } }).error;
  expect({ code, known: isErrorCode(code) }).toEqual({ code, known: true });
  const status = isErrorCode(code) ? ERROR_CODES[code] : undefined;
  expect({ code, status: response.status }).toEqual({ code, status });
  return code as ErrorCode;
}
