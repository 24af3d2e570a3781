import { Module } from '@nestjs/common';
import { FormsModule } from '@intake/forms';
import { SubmissionsModule } from '@intake/submissions';
import { ReplyReviewRepository } from './reply-review.repository';
import { ReplyReviewService } from './reply-review.service';

/** Sending reviewed smart replies; needs the global Mail, Audit, Realtime and Config modules. */
@Module({
  imports: [FormsModule, SubmissionsModule],
  providers: [ReplyReviewRepository, ReplyReviewService],
  exports: [ReplyReviewService],
})
export class ReplyReviewModule {}
