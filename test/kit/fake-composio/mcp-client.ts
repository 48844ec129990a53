/** Test helpers: a real MCP client for a Tool Router session and JSON tool-result parsing. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** A tool result as Composio's MCP server returns it (JSON in the first text block). */
export interface ToolJson {
  // biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read from the wire
  data: any;
  error: string | null;
  successful: boolean;
}

/** Connects a real MCP client to `url` (e.g. `session.mcp.url`) with `headers`. */
export async function connectMcp(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'fake-composio-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return client;
}

/** Calls a tool and parses the JSON text result (`timeout` in ms, MCP default 60 s). */
export async function callJson(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  timeout?: number,
): Promise<ToolJson> {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout });
  const blocks = result.content as Array<{ type: string; text?: string }>;
  const text = blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text ?? '')
    .join('');
  return JSON.parse(text) as ToolJson;
}
