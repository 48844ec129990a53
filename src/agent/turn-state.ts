import type Anthropic from '@anthropic-ai/sdk';
import { citedAnswer } from './cited-answer.js';
import type { ConversationMessage } from './types.js';

/**
 * A turn in progress, as plain JSON: enough to pause it (approvals) or to resume it on
 * another process after a crash (checkpoints), without repeating a completed tool call.
 */
export interface TurnState {
  /** History plus this turn's messages so far. */
  messages: ConversationMessage[];
  /** Index of this turn's user message in `messages`. */
  turnStart: number;
  modelCalls: number;
  /** Results so far for the tool_use blocks of the last assistant message, by tool_use id. */
  results: Record<string, Anthropic.ToolResultBlockParam>;
  /** tool_use ids started and not yet finished at the last checkpoint (in doubt on resume). */
  started: string[];
  /** The requester's decisions on destructive calls, by tool_use id. */
  decisions: Record<string, 'approved' | 'denied'>;
  /** The model paused its own turn (`pause_turn`) and must be called again to continue it. */
  continueModel?: boolean;
}

/** Starts the state of a new turn from the stored history and the user's message. */
export function startTurnState(
  history: readonly ConversationMessage[],
  userMessage: ConversationMessage['content'],
): TurnState {
  return {
    messages: [...history, { role: 'user', content: userMessage }],
    turnStart: history.length,
    modelCalls: 0,
    results: {},
    started: [],
    decisions: {},
  };
}

/** The tool_use blocks still waiting for results, when the last message is the model's. */
export function pendingToolUses(state: TurnState): Anthropic.ToolUseBlockParam[] {
  const last = state.messages.at(-1);
  if (last?.role !== 'assistant' || typeof last.content === 'string') return [];
  return last.content.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use');
}

/** All text the model wrote in this turn, joined as the answer, with its page markers. */
export function turnText(state: TurnState): string {
  return citedAnswer(state.messages.slice(state.turnStart)).text;
}
