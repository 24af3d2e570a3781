import { NotFoundException } from '@nestjs/common';
import { AppError } from './app-error';
import { toErrorResponse } from './to-error-response';

describe('toErrorResponse', () => {
  it('maps a domain error with details and Retry-After', () => {
    expect(toErrorResponse(AppError.validation({ email: ['is required'] }))).toEqual(
      expect.objectContaining({
        status: 422,
        body: {
          error: {
            code: 'validation_error',
            message: 'Validation failed',
            details: { email: ['is required'] },
          },
        },
      }),
    );
    const limited = toErrorResponse(AppError.rateLimited(12.2));
    expect(limited.status).toBe(429);
    expect(limited.body.error.retry_after).toBe(13);
    expect(limited.headers['Retry-After']).toBe('13');
  });

  it.each([
    ['P2002', 409, 'conflict'],
    ['P2025', 404, 'not_found'],
  ])('maps Prisma %s to %i %s', (code, status, errorCode) => {
    const prismaError = Object.assign(new Error('prisma'), { code, clientVersion: '7.10.0' });
    expect(toErrorResponse(prismaError)).toEqual(
      expect.objectContaining({
        status,
        body: { error: expect.objectContaining({ code: errorCode }) },
      }),
    );
  });

  it.each([
    ['entity.too.large', 413],
    ['entity.parse.failed', 400],
    ['charset.unsupported', 415],
  ])('maps body-parser %s to %i', (type, status) => {
    expect(toErrorResponse(Object.assign(new Error('x'), { type })).status).toBe(status);
  });

  it('maps an unreachable database to 503 unavailable', () => {
    expect(
      toErrorResponse(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })).status,
    ).toBe(503);
  });

  // The shapes Prisma 7 and node-postgres produced with PostgreSQL stopped or hanging.
  const rawQueryFailure = (cause: Record<string, unknown>) =>
    Object.assign(new Error('Raw query failed'), {
      code: 'P2010',
      clientVersion: '7.10.1',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
    });
  it.each([
    ['a refused raw query', rawQueryFailure({ kind: 'DatabaseNotReachable', port: 5432 })],
    ['a connection closed under a raw query', rawQueryFailure({ kind: 'ConnectionClosed' })],
    ['a server shutting down', rawQueryFailure({ kind: 'postgres', code: '57P01' })],
    [
      'a transaction out of time',
      Object.assign(new Error('Transaction already closed'), {
        code: 'P2028',
        clientVersion: '7.10.1',
      }),
    ],
    [
      'a connect timeout',
      Object.assign(new Error('Connection terminated due to connection timeout'), {
        clientVersion: '7.10.1',
      }),
    ],
  ])('maps %s to 503 unavailable', (_, error) => {
    expect(toErrorResponse(error)).toEqual(
      expect.objectContaining({ status: 503, unexpected: false }),
    );
  });

  it('keeps a failing query that is not about the connection a 500', () => {
    const syntax = rawQueryFailure({ kind: 'postgres', code: '42601' });
    expect(toErrorResponse(syntax).status).toBe(500);
    expect(toErrorResponse(new Error('Connection terminated unexpectedly')).status).toBe(500);
  });

  it('maps a Nest 404 and hides the message of anything unexpected', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x')).body.error).toEqual({
      code: 'not_found',
      message: 'Not found',
    });
    const unexpected = toErrorResponse(new Error('secret internals'));
    expect(unexpected).toEqual(expect.objectContaining({ status: 500, unexpected: true }));
    expect(JSON.stringify(unexpected.body)).not.toContain('secret internals');
  });
});
