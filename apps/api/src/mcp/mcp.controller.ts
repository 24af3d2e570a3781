import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { Public } from '@intake/auth';
import { AppError } from '@intake/common';
import { AppConfig } from '@intake/config';
import {
  calledTools,
  McpServerFactory,
  missingScopes,
  resourceMetadataUrl,
  type McpCaller,
} from '@intake/mcp';
import { McpBearerGuard } from './mcp-bearer.guard';

/**
 * /mcp's own policy: the global AuthGuard lets it pass (no cookie, no API key is ever
 * read here) and McpBearerGuard demands the OAuth token; the per-caller API quota is
 * replaced by the MCP one (MCP_RATE_LIMIT_PER_MINUTE, 30 by default, per owner).
 */
const McpOAuth = () => applyDecorators(Public(), UseGuards(McpBearerGuard), SkipThrottle());

/**
 * The MCP endpoint: Streamable HTTP in its stateless form, one MCP server per POST (see
 * McpServerFactory), answers as plain JSON rather than an event stream. Nothing is kept
 * between requests, so any api instance serves any request.
 */
@Controller('mcp')
export class McpController {
  constructor(
    private readonly servers: McpServerFactory,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @McpOAuth()
  async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
    const caller = callerOf(request);
    this.challengeScopes(request.body, caller);
    const server = this.servers.create(caller);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  }

  /** Stateless: no server-to-client stream to open (GET) and no session to end (DELETE). */
  @Get()
  @Public()
  @SkipThrottle()
  openStream(@Res() response: Response): void {
    methodNotAllowed(response);
  }

  @Delete()
  @Public()
  @SkipThrottle()
  endSession(@Res() response: Response): void {
    methodNotAllowed(response);
  }

  /**
   * A call to a tool the token lacks scopes for is refused before anything runs, with the
   * challenge that lets the client ask the owner for more (MCP authorization, "scope
   * challenge handling"): `scope` names what this tool needs; the client adds what it had.
   */
  private challengeScopes(body: unknown, caller: McpCaller): void {
    for (const tool of calledTools(body)) {
      const needed = this.servers.scopesFor(tool);
      const missing = missingScopes(needed, caller.scopes);
      if (missing.length === 0) continue;
      const description = `The tool ${tool} needs the scope ${missing.join(', ')}`;
      throw new AppError('insufficient_scope', description, {
        headers: {
          'WWW-Authenticate':
            `Bearer error="insufficient_scope", scope="${needed.join(' ')}", ` +
            `resource_metadata="${resourceMetadataUrl(this.config)}", ` +
            `error_description="${description}"`,
        },
      });
    }
  }
}

function callerOf(request: Request): McpCaller {
  // Only reachable if the route lost its guard.
  if (!request.mcpCaller) throw new Error('No MCP caller on an MCP route');
  return request.mcpCaller;
}

/** The transport's own wording (a JSON-RPC error without id), with `Allow`. */
function methodNotAllowed(response: Response): void {
  response
    .status(405)
    .set('Allow', 'POST')
    .json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
}
