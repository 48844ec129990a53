import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { errorOutcome, toToolOutcome } from './tool-result.js';
import type { HostTool, ToolHost } from './types.js';

/** Options for {@link connectMcpToolHost}. */
export interface McpToolHostOptions {
  url: string;
  headers: Record<string, string>;
  /** Per tool call; a call that takes longer becomes an error result. */
  callTimeoutMs?: number;
  clientName?: string;
}

/** A ToolHost over one MCP server connection; close it when evicted. */
export interface McpToolHost extends ToolHost {
  close(): Promise<void>;
}

/** Connects (initialize) to a Streamable HTTP MCP server and exposes it as a ToolHost. */
export async function connectMcpToolHost(options: McpToolHostOptions): Promise<McpToolHost> {
  const client = new Client({
    name: options.clientName ?? 'confluence-agent-for-slack',
    version: '0.1.0',
  });
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: { headers: options.headers },
  });
  await client.connect(transport);
  return {
    async listTools() {
      const tools: HostTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {});
        for (const t of page.tools) {
          tools.push({ name: t.name, description: t.description, inputSchema: t.inputSchema });
        }
        cursor = page.nextCursor;
      } while (cursor);
      return tools;
    },
    async callTool(name, args) {
      try {
        const result = await client.callTool({ name, arguments: args }, undefined, {
          timeout: options.callTimeoutMs ?? 60_000,
        });
        return toToolOutcome(result as { content?: unknown; isError?: unknown });
      } catch (err) {
        return errorOutcome(`Tool ${name} failed: ${(err as Error).message}`);
      }
    },
    async close() {
      await client.close().catch(() => {});
    },
  };
}
