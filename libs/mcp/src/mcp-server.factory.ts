import { Injectable, Logger } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '@intake/common';
import type { OAuthScope } from '@intake/oauth';
import { AiServiceError } from '@intake/pipeline';
import type { McpCaller } from './mcp-caller';
import { missingScopes } from './tool-scopes';
import { AiTools } from './tools/ai-tools';
import { FormTools } from './tools/form-tools';
import { InsightTools } from './tools/insight-tools';
import type { McpTool, ToolAnswer } from './tools/mcp-tool';
import { SubmissionTools } from './tools/submission-tools';
import { UNTRUSTED_NOTICE } from './untrusted-content';

/** Version of the tool surface (names, inputs, results), not of the product. */
const SERVER_INFO = { name: 'intake', title: 'Intake', version: '1.0.0' };

const INSTRUCTIONS =
  'Intake is a form backend. These tools act for one Intake account, within the scopes its ' +
  'owner granted: read and change forms, read submissions and move them between inbox and ' +
  'spam, and run AI steps (translation, spam analysis, reply drafts) on a submission. Ids ' +
  'come from list_forms, list_submissions and search_submissions. ' +
  UNTRUSTED_NOTICE;

/** Array elements plus object members in one call's arguments: a large form schema fits. */
const MAX_TOOL_INPUT_ELEMENTS = 10_000;

/**
 * Builds the MCP server for one request. Stateless Streamable HTTP has no session to keep
 * a server in, and a fresh server binds every tool to this request's caller, so no tool
 * can ever act for anyone else.
 */
@Injectable()
export class McpServerFactory {
  private readonly logger = new Logger(McpServerFactory.name);
  private readonly tools: readonly McpTool[];

  constructor(forms: FormTools, submissions: SubmissionTools, insights: InsightTools, ai: AiTools) {
    this.tools = [...forms.tools(), ...submissions.tools(), ...insights.tools(), ...ai.tools()];
  }

  /** What a `tools/call` of `name` needs; nothing for an unknown tool (the server says so). */
  scopesFor(name: string): readonly OAuthScope[] {
    return this.tools.find((tool) => tool.name === name)?.scopes ?? [];
  }

  create(caller: McpCaller): McpServer {
    const server = new McpServer(SERVER_INFO, {
      capabilities: { tools: {} },
      instructions: INSTRUCTIONS,
      maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
    });
    for (const tool of this.tools) {
      tool.register(server, caller, (work) => this.run(tool, caller, work));
    }
    return server;
  }

  private async run(
    tool: McpTool,
    caller: McpCaller,
    work: () => Promise<ToolAnswer>,
  ): Promise<CallToolResult> {
    // The HTTP layer already answers 403 for this (step-up); checked again where the
    // action runs, so that no path to a tool skips it.
    const missing = missingScopes(tool.scopes, caller.scopes);
    if (missing.length > 0) {
      return failure(`This connection was not granted the scope ${missing.join(', ')}.`);
    }
    try {
      const { result, untrusted } = await work();
      const json = JSON.stringify(result);
      return {
        content: [{ type: 'text', text: untrusted ? `${UNTRUSTED_NOTICE}\n\n${json}` : json }],
        structuredContent: result,
      };
    } catch (error) {
      return failure(this.explain(error, tool, caller));
    }
  }

  /** A tool error says what went wrong in words a person can act on, never internals. */
  private explain(error: unknown, tool: McpTool, caller: McpCaller): string {
    if (error instanceof AppError) {
      const details = Object.entries(error.options.details ?? {}).map(
        ([field, messages]) => `${field}: ${messages.join(', ')}`,
      );
      return details.length > 0 ? `${error.message}: ${details.join('; ')}` : error.message;
    }
    if (error instanceof AiServiceError) {
      return error.reason === 'credits_exhausted'
        ? 'The AI service of this Intake server is out of credit; the AI tools cannot run until its operator tops it up.'
        : 'The AI service did not answer usefully; try again in a moment.';
    }
    this.logger.error({
      msg: `MCP tool ${tool.name} failed`,
      err: error,
      requestId: caller.client.requestId,
    });
    return `Internal error (request id ${caller.client.requestId ?? 'unknown'}).`;
  }
}

function failure(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}
