/** Test doubles for the agent loop: a scripted model and a recording tool host (no network). */
import type Anthropic from '@anthropic-ai/sdk';
import type { AgentConfig } from '../../src/agent/agent-config.js';
import type { ModelClient, ModelRequest } from '../../src/agent/model-client.js';
import { buildToolCatalog } from '../../src/agent/tool-schema.js';
import type { ToolHost, ToolOutcome } from '../../src/agent/types.js';

type Block = Anthropic.ContentBlock;

/** A text block as the model returns it. */
export const text = (t: string) => ({ type: 'text', text: t, citations: null }) as Block;

/** A tool_use block as the model returns it. */
export const use = (id: string, name: string, input: unknown) =>
  ({ type: 'tool_use', id, name, input }) as Block;

/** One scripted model response. */
export interface ScriptedResponse {
  content: Block[];
  stop_reason: Anthropic.StopReason;
}

/** A scripted model: returns the given responses in order and records (a copy of) each request. */
export function scriptedModel(...responses: ScriptedResponse[]) {
  const requests: ModelRequest[] = [];
  const model: ModelClient = {
    async respond(request, onText) {
      requests.push(structuredClone(request));
      const next = responses.shift();
      if (!next) throw new Error('script ran out');
      for (const b of next.content) if (b.type === 'text') onText?.(b.text);
      return {
        ...next,
        id: 'msg',
        type: 'message',
        role: 'assistant',
        model: 'm',
      } as unknown as Anthropic.Message;
    },
  };
  return { model, requests };
}

/** A tool host that records every call and answers from `answer` (default: echo as text). */
export function recordingHost(
  answer: (name: string, args: Record<string, unknown>) => ToolOutcome | Promise<ToolOutcome> = (
    name,
    args,
  ) => ({ content: [{ type: 'text', text: `${name}:${JSON.stringify(args)}` }], isError: false }),
) {
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  const host: ToolHost = {
    async listTools() {
      return [];
    },
    async callTool(name, args) {
      calls.push({ name, args });
      return answer(name, args);
    },
  };
  return { host, calls };
}

/** The Tool Router meta tools, as the agent's catalog would hold them. */
export const routerCatalog = buildToolCatalog(
  ['COMPOSIO_SEARCH_TOOLS', 'COMPOSIO_MULTI_EXECUTE_TOOL', 'COMPOSIO_MANAGE_CONNECTIONS'].map(
    (name) => ({ name, inputSchema: { type: 'object' } }),
  ),
);

/** A multi-execute input running the given app tools. */
export const multi = (...tools: Array<[slug: string, args: Record<string, unknown>]>) => ({
  tools: tools.map(([tool_slug, args]) => ({ tool_slug, arguments: args })),
});

/** An agent config over the Tool Router catalog. */
export function routerConfig(model: ModelClient, host: ToolHost): AgentConfig {
  return { model, tools: host, catalog: routerCatalog, system: 'system', maxModelCalls: 6 };
}

/** The tool_result blocks of the last user message a request carried. */
export function lastResults(request: ModelRequest): Anthropic.ToolResultBlockParam[] {
  const content = request.messages.at(-1)?.content;
  if (typeof content === 'string' || !content) return [];
  return content.flatMap((b) => (b.type === 'tool_result' ? [b] : []));
}
