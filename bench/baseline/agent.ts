import type Anthropic from '@anthropic-ai/sdk';
import { buildToolCatalog } from '../../src/agent/tool-schema.js';
import type { ComposioLike } from '../../src/composio/composio-like.js';
import { connectMcpToolHost } from '../../src/composio/mcp-tool-host.js';

/** What the baseline agent needs: the same SDK clients and settings as the product. */
export interface BaselineAgentDeps {
  composio: ComposioLike;
  anthropic: Anthropic;
  model: string;
  system: string;
  toolkits: string[];
  maxModelCalls: number;
}

/** A finished baseline turn: its answer and the whole conversation, to be stored as it is. */
export interface BaselineTurn {
  answer: string;
  messages: Anthropic.MessageParam[];
}

/**
 * The seed guide's agent turn, kept as the benchmark's baseline: every turn opens a fresh
 * Tool Router session and MCP connection (initialize, tools/list), sends the whole stored
 * history and no cache breakpoints, and waits for each complete (non-streamed) response.
 */
export async function runBaselineTurn(
  deps: BaselineAgentDeps,
  composioUserId: string,
  history: Anthropic.MessageParam[],
  text: string,
): Promise<BaselineTurn> {
  const session = await deps.composio.create(composioUserId, {
    toolkits: deps.toolkits,
    manageConnections: true,
    mcp: true,
    // As in the product, so both send the same tools and only the patterns differ.
    sandbox: { enable: false },
  });
  const host = await connectMcpToolHost({
    url: session.mcp.url,
    headers: session.mcp.headers ?? {},
  });
  try {
    const catalog = buildToolCatalog(await host.listTools());
    const messages: Anthropic.MessageParam[] = [...history, { role: 'user', content: text }];
    for (let call = 0; call < deps.maxModelCalls; call++) {
      const response = await deps.anthropic.messages.create({
        model: deps.model,
        max_tokens: 4096,
        system: deps.system,
        tools: catalog.tools,
        messages,
      });
      messages.push({ role: 'assistant', content: response.content });
      const uses = response.content.filter((b) => b.type === 'tool_use');
      if (response.stop_reason !== 'tool_use' || !uses.length) break;
      const results = await Promise.all(
        uses.map(async (use): Promise<Anthropic.ToolResultBlockParam> => {
          const name = catalog.hostNameOf.get(use.name) ?? use.name;
          const outcome = await host.callTool(name, use.input as Record<string, unknown>);
          return {
            type: 'tool_result',
            tool_use_id: use.id,
            content: outcome.content,
            ...(outcome.isError ? { is_error: true } : {}),
          };
        }),
      );
      messages.push({ role: 'user', content: results });
    }
    const last = messages.at(-1);
    const answer =
      last?.role === 'assistant' && Array.isArray(last.content)
        ? last.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n')
        : '';
    return { answer: answer || '(no answer)', messages };
  } finally {
    await host.close();
  }
}
