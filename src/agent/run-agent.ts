import type Anthropic from '@anthropic-ai/sdk';
import type { ModelClient } from './model-client.js';
import { cachedPrefix } from './prompt.js';
import { errorOutcome } from './tool-result.js';
import type { ToolCatalog } from './tool-schema.js';
import type { ConversationMessage, ToolHost } from './types.js';

/** What the agent reports while it works; the bot turns these into Slack output. */
export type AgentEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_start'; name: string; input: unknown }
  | { type: 'tool_end'; name: string; isError: boolean };

/** Everything one agent turn needs; nothing here knows about Slack. */
export interface AgentTurnInput {
  model: ModelClient;
  tools: ToolHost;
  catalog: ToolCatalog;
  system: string;
  history: readonly ConversationMessage[];
  userMessage: ConversationMessage['content'];
  /** Cap on model calls in this turn (AGENT_MAX_TURNS). */
  maxModelCalls: number;
  maxTokens?: number;
  onEvent?: (event: AgentEvent) => void;
}

/** Why the turn ended. */
export type AgentOutcome = 'answered' | 'max_turns' | 'max_tokens' | 'refusal' | 'context_full';

/** The result of a turn: the full message list to store, and the answer to show. */
export interface AgentTurnResult {
  messages: ConversationMessage[];
  text: string;
  outcome: AgentOutcome;
  modelCalls: number;
}

const NOTES: Record<Exclude<AgentOutcome, 'answered'>, string> = {
  max_turns:
    'I stopped here: this request needed more steps than I am allowed in one go. Tell me to continue if you want me to carry on.',
  max_tokens: '_(My answer was cut off because it grew too long. Ask me to continue.)_',
  refusal: "I can't help with that request.",
  context_full:
    'This thread has grown too long for me to keep in mind. Please start a new thread for your next request.',
};

const textOf = (content: Anthropic.ContentBlock[]) =>
  content
    .filter((b): b is Anthropic.TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('');

/** Runs Claude's tool-use loop until it answers, or a cap or stop reason ends the turn. */
export async function runAgentTurn(input: AgentTurnInput): Promise<AgentTurnResult> {
  const { system, tools } = cachedPrefix(input.system, input.catalog.tools);
  const messages: ConversationMessage[] = [
    ...input.history,
    { role: 'user', content: input.userMessage },
  ];
  const emit = input.onEvent ?? (() => {});
  const finish = (outcome: AgentOutcome, text: string, modelCalls: number): AgentTurnResult => {
    const answer =
      outcome === 'answered' ? text : [text, NOTES[outcome]].filter(Boolean).join('\n\n');
    // Keep the history alternating and closed: it always ends with an assistant text turn.
    const last = messages.at(-1);
    if (last?.role !== 'assistant') messages.push({ role: 'assistant', content: answer || '…' });
    return { messages, text: answer, outcome, modelCalls };
  };

  for (let call = 1; call <= input.maxModelCalls; call++) {
    const response = await input.model.respond(
      { system, tools, messages, maxTokens: input.maxTokens ?? 4096 },
      (delta) => emit({ type: 'text', delta }),
    );
    const text = textOf(response.content);
    switch (response.stop_reason) {
      case 'tool_use': {
        messages.push({ role: 'assistant', content: response.content });
        messages.push({ role: 'user', content: await runTools(input, response.content, emit) });
        continue;
      }
      case 'pause_turn':
        // A long server-side step paused: send the assistant turn back so it can resume.
        messages.push({ role: 'assistant', content: response.content });
        continue;
      case 'max_tokens':
        // A tool_use cut mid-way has no usable input; keep only the text that arrived.
        if (text) messages.push({ role: 'assistant', content: text });
        return finish('max_tokens', text, call);
      case 'refusal':
        return finish('refusal', '', call);
      case 'model_context_window_exceeded':
        return finish('context_full', text, call);
      default:
        if (text) messages.push({ role: 'assistant', content: response.content });
        return finish('answered', text, call);
    }
  }
  return finish('max_turns', '', input.maxModelCalls);
}

/** Runs every tool_use of one response concurrently; results come back in request order. */
async function runTools(
  input: AgentTurnInput,
  content: Anthropic.ContentBlock[],
  emit: (event: AgentEvent) => void,
): Promise<Anthropic.ToolResultBlockParam[]> {
  const uses = content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
  return Promise.all(
    uses.map(async (use): Promise<Anthropic.ToolResultBlockParam> => {
      const hostName = input.catalog.hostNameOf.get(use.name);
      emit({ type: 'tool_start', name: hostName ?? use.name, input: use.input });
      const outcome = hostName
        ? await input.tools
            .callTool(hostName, (use.input ?? {}) as Record<string, unknown>)
            .catch((err: Error) => errorOutcome(`Tool ${hostName} failed: ${err.message}`))
        : errorOutcome(`There is no tool named ${use.name}.`);
      emit({ type: 'tool_end', name: hostName ?? use.name, isError: outcome.isError });
      return {
        type: 'tool_result',
        tool_use_id: use.id,
        content: outcome.content,
        ...(outcome.isError ? { is_error: true } : {}),
      };
    }),
  );
}
