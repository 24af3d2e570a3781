import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@intake/auth';
import { AppConfig } from '@intake/config';
import { protectedResourceMetadata } from '@intake/mcp';

/**
 * RFC 9728 metadata of the /mcp resource, at the path-aware address (`…/mcp`, the one
 * the 401 names) and at the root, which clients of earlier MCP revisions try first.
 * Readable from any origin: it is public and carries no credentials.
 */
@Controller('.well-known')
export class ProtectedResourceController {
  constructor(private readonly config: AppConfig) {}

  @Get('oauth-protected-resource/mcp')
  @Public()
  @Header('Access-Control-Allow-Origin', '*')
  forMcp() {
    return protectedResourceMetadata(this.config);
  }

  @Get('oauth-protected-resource')
  @Public()
  @Header('Access-Control-Allow-Origin', '*')
  atRoot() {
    return protectedResourceMetadata(this.config);
  }
}
