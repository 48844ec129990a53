import type Anthropic from '@anthropic-ai/sdk';
import type { AgentConfig, AgentOutcome, AgentTurnResult } from './agent-config.js';
import { citedAnswer, SourceNumbers } from './cited-answer.js';
import { cachedConversation, cachedPrefix } from './prompt.js';
import { runToolPhase } from './tool-phase.js';
import { pendingToolUses, type TurnState, turnText } from './turn-state.js';

// About 3,000 words a response: a full answer, or a page body written into a tool call; an
// answer that runs past it is cut off with a note rather than left to run on.
const MAX_TOKENS = 4096;

const NOTES: Record<Exclude<AgentOutcome, 'answered'>, string> = {
  max_turns:
    'I stopped here: this request needed more steps than I am allowed in one go. Tell me to continue if you want me to carry on.',
  max_tokens: '_(My answer was cut off because it grew too long. Ask me to continue.)_',
  refusal: "I can't help with that request.",
  context_full:
    'This thread has grown too long for me to keep in mind. Please start a new thread for your next request.',
};

function finish(state: TurnState, outcome: AgentOutcome): AgentTurnResult {
  const { text: said, sources } = citedAnswer(state.messages.slice(state.turnStart));
  const note = outcome === 'answered' ? '' : NOTES[outcome];
  // Keep the history alternating and closed: it always ends with an assistant text turn.
  if (state.messages.at(-1)?.role !== 'assistant') {
    state.messages.push({ role: 'assistant', content: note || '…' });
  }
  const text = [said, note].filter(Boolean).join('\n\n');
  return { status: 'done', outcome, text, sources, state };
}

/**
 * Runs Claude's tool-use loop from `state` until it answers, a cap or stop reason ends the
 * turn, or a destructive call waits for approval. Resuming a paused or interrupted turn is
 * calling this again with the saved state.
 */
export async function runAgentTurn(
  config: AgentConfig,
  state: TurnState,
): Promise<AgentTurnResult> {
  const { system, tools } = cachedPrefix(config.system, config.catalog.tools, config.turnContext);
  const emit = config.onEvent ?? (() => {});
  // The markers streamed as cited blocks end, numbered on from what this turn already said
  // (before an approval pause): the same numbers the finished answer gives them.
  const numbers = new SourceNumbers();
  citedAnswer(state.messages.slice(state.turnStart), numbers);
  // A checkpoint is awaited only before something that cannot be taken back (a tool call, the
  // end of the turn); meanwhile the next model request is already on its way. Every earlier
  // write is part of the wait, so what is saved never lags behind what was done.
  let saving: Promise<unknown> = Promise.resolve();
  const checkpoint = () => {
    const written = config.onCheckpoint?.(state);
    saving = Promise.all([saving, written]);
    saving.catch(() => {}); // awaited before the next side effect, which reports the failure
    return saving as Promise<unknown> as Promise<void>;
  };
  const settled = async (result: AgentTurnResult) => {
    await saving;
    return result;
  };

  while (true) {
    if (pendingToolUses(state).length) {
      const approvals = await runToolPhase(config, state, emit, checkpoint);
      if (approvals.length)
        return settled({ status: 'paused', approvals, text: turnText(state), state });
      continue;
    }
    if (state.messages.at(-1)?.role === 'assistant' && !state.continueModel)
      return settled(finish(state, 'answered'));
    if (state.modelCalls >= config.maxModelCalls) return settled(finish(state, 'max_turns'));

    state.modelCalls += 1;
    state.continueModel = false;
    const response = await config.model.respond(
      {
        system,
        tools,
        messages: cachedConversation(state.messages),
        maxTokens: config.maxTokens ?? MAX_TOKENS,
      },
      (delta) => emit({ type: 'text', delta }),
      (citations) => {
        const marker = numbers.marker(citations);
        if (marker) emit({ type: 'text', delta: marker });
      },
    );
    const outcome = applyResponse(state, response);
    // The turn's last response is saved by the caller, with the answer, as the turn finishes.
    if (outcome) return settled(finish(state, outcome));
    checkpoint();
  }
}

/** Adds a model response to the state; returns an outcome when the turn ends here. */
function applyResponse(state: TurnState, response: Anthropic.Message): AgentOutcome | undefined {
  const textOnly = response.content.filter((b) => b.type === 'text' && b.text.trim());
  switch (response.stop_reason) {
    case 'tool_use':
      state.messages.push({ role: 'assistant', content: response.content });
      return undefined;
    case 'pause_turn':
      // A long server-side step paused: sending the turn back as it is lets the model resume.
      state.messages.push({ role: 'assistant', content: response.content });
      state.continueModel = true;
      return undefined;
    case 'max_tokens':
      // A tool_use cut off mid-way has no usable input: keep only the text.
      if (textOnly.length) state.messages.push({ role: 'assistant', content: textOnly });
      return 'max_tokens';
    case 'refusal':
      return 'refusal';
    case 'model_context_window_exceeded':
      if (textOnly.length) state.messages.push({ role: 'assistant', content: textOnly });
      return 'context_full';
    default:
      state.messages.push({
        role: 'assistant',
        content: textOnly.length ? textOnly : [{ type: 'text', text: '(no answer)' }],
      });
      return 'answered';
  }
}
