import { Module } from '@nestjs/common';
import { FormsModule } from '@intake/forms';
import { IngestRepository } from './ingest/ingest.repository';
import { IngestService } from './ingest/ingest.service';
import { SubmissionsRepository } from './submissions.repository';
import { SubmissionsService } from './submissions.service';

@Module({
  imports: [FormsModule],
  providers: [IngestRepository, IngestService, SubmissionsRepository, SubmissionsService],
  exports: [IngestService, SubmissionsService],
})
export class SubmissionsModule {}
