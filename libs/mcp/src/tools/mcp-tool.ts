import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { OAuthScope } from '@intake/oauth';
import type { McpCaller } from '../mcp-caller';
import { UNTRUSTED_NOTICE } from '../untrusted-content';

/** What a tool answers: one JSON object, sent as `structuredContent` and as text. */
export interface ToolAnswer {
  result: Record<string, unknown>;
  /** The result holds `untrusted_user_content`; the text then opens with the warning. */
  untrusted: boolean;
}

/** Runs a tool's work and turns its answer, or its failure, into the MCP result. */
export type ToolRunner = (work: () => Promise<ToolAnswer>) => Promise<CallToolResult>;

export interface ToolSpec<Input extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Every scope the call needs; without one of them the call is refused (403, step-up). */
  scopes: readonly OAuthScope[];
  /** A strict object: unknown keys (`__proto__` included) are refused, never ignored. */
  input: Input;
  /** Only reads (MCP `readOnlyHint`); otherwise it changes the owner's data. */
  readOnly: boolean;
  /** Sends submission text to the AI service (MCP `openWorldHint`). */
  usesAi: boolean;
  /** Whether the result can hold text from the public (said in the description too). */
  untrusted: boolean;
  run(input: z.output<Input>, caller: McpCaller): Promise<Record<string, unknown>>;
}

/** A tool as the server factory sees it, whatever its input type. */
export interface McpTool {
  readonly name: string;
  readonly scopes: readonly OAuthScope[];
  register(server: McpServer, caller: McpCaller, runner: ToolRunner): void;
}

export function defineTool<Input extends z.ZodObject>(spec: ToolSpec<Input>): McpTool {
  const description = [
    spec.description,
    spec.untrusted ? UNTRUSTED_NOTICE : null,
    `OAuth scopes: ${spec.scopes.join(', ')}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    name: spec.name,
    scopes: spec.scopes,
    register(server, caller, runner) {
      const inputSchema: z.ZodObject = spec.input;
      // No output schema: results are described in prose and returned as structured content.
      server.registerTool<z.ZodObject, z.ZodObject>(
        spec.name,
        {
          title: spec.title,
          description,
          inputSchema,
          annotations: {
            title: spec.title,
            readOnlyHint: spec.readOnly,
            destructiveHint: false,
            openWorldHint: spec.usesAi,
          },
        },
        (input) =>
          runner(async () => ({
            // The SDK has parsed `input` with `spec.input`; its type does not carry that far.
            result: await spec.run(input as z.output<Input>, caller),
            untrusted: spec.untrusted,
          })),
      );
    },
  };
}
