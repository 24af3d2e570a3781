import { Module } from '@nestjs/common';
import { AiClient } from './ai-client';
import { AiSteps } from './ai-steps';

/**
 * The model and the AI steps, on their own so that other features (the MCP tools) use the
 * very steps the pipeline runs without registering the pipeline, and its job runner, twice.
 */
@Module({
  providers: [AiClient, AiSteps],
  exports: [AiSteps],
})
export class AiModule {}
