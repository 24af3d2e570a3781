import { Controller, Get, Header } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@intake/auth';
import { AppConfig } from '@intake/config';
import { renderOpenApiHtml } from './openapi-html';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.document';

/** The version of the HTTP contract (API.md, v1). */
const API_VERSION = '1.0.0';

/**
 * The API's own documentation: the OpenAPI document and the same as a page. Both are built
 * once per process from the route table and the real zod schemas.
 */
@Controller('api')
@Public()
@SkipThrottle()
export class OpenApiController {
  private document?: OpenApiDocument;
  private html?: string;

  constructor(private readonly config: AppConfig) {}

  @Get('openapi.json')
  openApi(): OpenApiDocument {
    return this.build();
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  docs(): string {
    return (this.html ??= renderOpenApiHtml(this.build()));
  }

  private build(): OpenApiDocument {
    return (this.document ??= buildOpenApiDocument({
      publicUrl: this.config.publicUrl,
      version: API_VERSION,
    }));
  }
}
