import { Module } from '@nestjs/common';
import { FormsModule } from '@intake/forms';
import { SubmissionsExportService } from './export/submissions-export.service';
import { IngestRepository } from './ingest/ingest.repository';
import { IngestService } from './ingest/ingest.service';
import { SubmissionsRepository } from './submissions.repository';
import { SubmissionsService } from './submissions.service';

@Module({
  imports: [FormsModule],
  providers: [
    IngestRepository,
    IngestService,
    SubmissionsRepository,
    SubmissionsService,
    SubmissionsExportService,
  ],
  exports: [IngestService, SubmissionsService, SubmissionsExportService],
})
export class SubmissionsModule {}
