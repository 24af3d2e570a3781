import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiKeyAuth, Client, OwnerId, type ClientContext } from '@intake/auth';
import { sendAttachment, uuidParam, ZodValidationPipe } from '@intake/common';
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
    await sendAttachment(response, await this.exports.open(ownerId, formId, query, client));
  }
}
