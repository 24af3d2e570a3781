import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors';

/** A path id that is not a UUID names nothing: 404, as for an id that does not exist. */
export function uuidParam(what: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(what) });
}
