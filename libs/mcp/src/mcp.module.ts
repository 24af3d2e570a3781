import { Module } from '@nestjs/common';
import { FormsModule } from '@intake/forms';
import { AiModule } from '@intake/pipeline';
import { SubmissionsModule } from '@intake/submissions';
import { SubmissionAssistant } from './ai/submission-assistant.service';
import { McpServerFactory } from './mcp-server.factory';
import { AiTools } from './tools/ai-tools';
import { FormTools } from './tools/form-tools';
import { InsightTools } from './tools/insight-tools';
import { SubmissionTools } from './tools/submission-tools';

/** The MCP tools over the services the REST API uses; the HTTP side lives in apps/api. */
@Module({
  imports: [AiModule, FormsModule, SubmissionsModule],
  providers: [
    AiTools,
    FormTools,
    InsightTools,
    McpServerFactory,
    SubmissionAssistant,
    SubmissionTools,
  ],
  exports: [McpServerFactory],
})
export class McpModule {}
