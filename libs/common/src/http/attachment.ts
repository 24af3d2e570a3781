import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { Writable } from 'node:stream';

/**
 * A download whose preconditions (ownership, filters) are checked and whose audit entry is
 * written; nothing is read until `writeTo`.
 */
export interface Attachment {
  contentType: string;
  /** Plain ASCII without quotes: it goes into `Content-Disposition` as is. */
  filename: string;
  /**
   * Streams the body into `destination`. Implementations use stream `pipeline`, which
   * carries backpressure end to end and, when the destination closes early, destroys the
   * source, which ends its database reads.
   */
  writeTo(destination: Writable): Promise<void>;
}

const logger = new Logger('Attachment');

/**
 * Sends an attachment. Errors raised before this call (unknown resource, bad query) still
 * get the JSON error shape; once the headers are out no error body can follow, so a failure
 * mid-stream cuts the connection, which tells the client the file is incomplete. A client
 * that leaves early is not an error.
 */
export async function sendAttachment(response: Response, attachment: Attachment): Promise<void> {
  response.status(200).set({
    'Content-Type': attachment.contentType,
    'Content-Disposition': `attachment; filename="${attachment.filename}"`,
    'Cache-Control': 'no-store',
  });
  try {
    await attachment.writeTo(response);
  } catch (error) {
    if (!isClientGone(error))
      logger.error({ msg: 'Download failed mid-stream', file: attachment.filename, err: error });
  }
}

function isClientGone(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
