import { Module } from '@nestjs/common';
import { OpaqueEndpoints } from './endpoints/opaque-endpoint';
import { FormsRepository } from './forms/forms.repository';
import { FormsService } from './forms/forms.service';
import { PublishedForms } from './forms/published-forms';
import { KnowledgeBasesRepository } from './knowledge-bases/knowledge-bases.repository';
import { KnowledgeBasesService } from './knowledge-bases/knowledge-bases.service';
import { CompiledFormCache } from './rules';

@Module({
  providers: [
    CompiledFormCache,
    FormsRepository,
    FormsService,
    KnowledgeBasesRepository,
    KnowledgeBasesService,
    OpaqueEndpoints,
    PublishedForms,
  ],
  exports: [FormsService, KnowledgeBasesService, OpaqueEndpoints, PublishedForms],
})
export class FormsModule {}
