import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../errors';

const CONSUMES = 'intake:consumes';
const JSON_ONLY = ['application/json'];

/** Declares the body media types a route accepts; routes that declare none take JSON only. */
export const Consumes = (...mediaTypes: string[]) => SetMetadata(CONSUMES, mediaTypes);

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * Answers 415 for a body of a type the route does not take. Without it, body-parser would
 * skip an unknown type silently and the handler would see an empty body.
 */
@Injectable()
export class ContentTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!hasBody(request)) return true;
    const accepted =
      this.reflector.getAllAndOverride<string[] | undefined>(CONSUMES, [
        context.getHandler(),
        context.getClass(),
      ]) ?? JSON_ONLY;
    const mediaType =
      (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (!accepted.includes(mediaType)) {
      throw new AppError('unsupported_media_type', `Content-Type must be ${accepted.join(' or ')}`);
    }
    return true;
  }
}
