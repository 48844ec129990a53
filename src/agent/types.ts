import type Anthropic from '@anthropic-ai/sdk';

/** One message of a conversation, in the Anthropic Messages wire shape. */
export type ConversationMessage = Anthropic.MessageParam;

/** A tool definition as Anthropic receives it. */
export type ModelTool = Anthropic.Tool;

/** A tool as the tool host (MCP server) describes it. */
export interface HostTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** The outcome of one tool call, already shaped for a tool_result block. */
export interface ToolOutcome {
  content: Anthropic.ToolResultBlockParam['content'];
  isError: boolean;
}

/** Where the agent's tools come from: one user's Tool Router session, in production. */
export interface ToolHost {
  listTools(): Promise<HostTool[]>;
  /** Never throws: failures come back as an error outcome for the model to read. */
  callTool(name: string, args: Record<string, unknown>): Promise<ToolOutcome>;
}
