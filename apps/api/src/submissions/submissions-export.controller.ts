import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { uuidParam, ZodValidationPipe } from '@intake/common';
import {
  exportSubmissionsQuery,
  SubmissionsExportService,
  type ExportSubmissionsQuery,
} from '@intake/submissions';

/**
 * `GET /api/forms/{id}/submissions/export`: registered before SubmissionsController so that
 * `export` is not read as a submission id.
 */
@Controller('api/forms/:formId/submissions/export')
export class SubmissionsExportController {
  private readonly logger = new Logger(SubmissionsExportController.name);

  constructor(private readonly exports: SubmissionsExportService) {}

  @Get()
  @ApiKeyAuth('submissions:read')
  async export(
    @OwnerId() ownerId: string,
    @Param('formId', uuidParam('Form')) formId: string,
    @Query(new ZodValidationPipe(exportSubmissionsQuery, 'query')) query: ExportSubmissionsQuery,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    // Errors up to here (unknown form, bad query) still get the JSON error shape.
    const exported = await this.exports.open(ownerId, formId, query, client);
    response.status(200).set({
      'Content-Type': exported.contentType,
      'Content-Disposition': `attachment; filename="${exported.filename}"`,
      'Cache-Control': 'no-store',
    });
    try {
      await exported.writeTo(response);
    } catch (error) {
      // Headers are gone, so no error body can follow: pipeline has already cut the
      // connection, which tells the client the file is incomplete. A client that left
      // early is not an error.
      if (!isClientGone(error))
        this.logger.error({ msg: 'Submission export failed mid-stream', formId, err: error });
    }
  }
}

function isClientGone(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
