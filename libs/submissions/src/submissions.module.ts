import { Module } from '@nestjs/common';
import { FormsModule } from '@intake/forms';
import { MetricsModule } from '@intake/metrics';
import { SubmissionsErasureRepository } from './erasure/submissions-erasure.repository';
import { SubmissionsErasure } from './erasure/submissions-erasure.service';
import { SubmissionsExportService } from './export/submissions-export.service';
import { IngestRepository } from './ingest/ingest.repository';
import { IngestService } from './ingest/ingest.service';
import { SubmissionsRepository } from './submissions.repository';
import { SubmissionsService } from './submissions.service';

@Module({
  imports: [FormsModule, MetricsModule],
  providers: [
    IngestRepository,
    IngestService,
    SubmissionsRepository,
    SubmissionsService,
    SubmissionsExportService,
    SubmissionsErasure,
    SubmissionsErasureRepository,
  ],
  exports: [IngestService, SubmissionsService, SubmissionsExportService, SubmissionsErasure],
})
export class SubmissionsModule {}
