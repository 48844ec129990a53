import type Anthropic from '@anthropic-ai/sdk';
import type { AgentConfig, AgentEvent, PendingApproval } from './agent-config.js';
import { extractConnectionRequests } from './connection-links.js';
import { withPageResults } from './page-results.js';
import { errorOutcome } from './tool-result.js';
import { classifyToolCall } from './tool-safety.js';
import { pendingToolUses, type TurnState } from './turn-state.js';
import type { ToolOutcome } from './types.js';

const IN_DOUBT =
  'This call was interrupted before its result came back, so it may or may not have taken effect. Check the current state (for example, look the item up) before trying it again.';
const DECLINED =
  'The requesting user declined this action, so it was not run. Do not retry it; ask them what to do instead.';

function toResult(id: string, outcome: ToolOutcome): Anthropic.ToolResultBlockParam {
  return {
    type: 'tool_result',
    tool_use_id: id,
    content: outcome.content,
    ...(outcome.isError ? { is_error: true } : {}),
  };
}

/**
 * Runs the tool calls of the last assistant message: reads and writes concurrently, destructive
 * ones only once approved. Returns the calls still waiting for approval (none: results added).
 */
export async function runToolPhase(
  config: AgentConfig,
  state: TurnState,
  emit: (event: AgentEvent) => void,
  checkpoint: () => Promise<void>,
): Promise<PendingApproval[]> {
  const waiting: PendingApproval[] = [];
  const runnable: Array<{
    id: string;
    name: string;
    input: Record<string, unknown>;
    read: boolean;
  }> = [];
  for (const use of pendingToolUses(state)) {
    if (state.results[use.id]) continue;
    const name = config.catalog.hostNameOf.get(use.name);
    if (!name) {
      state.results[use.id] = toResult(use.id, errorOutcome(`There is no tool named ${use.name}.`));
      continue;
    }
    const input = (use.input ?? {}) as Record<string, unknown>;
    const safety = classifyToolCall(name, input, config.extraDestructive);
    if (state.started.includes(use.id) && safety.level !== 'read') {
      state.results[use.id] = toResult(use.id, errorOutcome(IN_DOUBT));
      emit({ type: 'tool_in_doubt', name });
      continue;
    }
    if (safety.level === 'destructive') {
      const decision = state.decisions[use.id];
      if (!decision) {
        waiting.push({ toolUseId: use.id, toolName: name, slugs: safety.slugs, input });
        continue;
      }
      if (decision === 'denied') {
        state.results[use.id] = toResult(use.id, errorOutcome(DECLINED));
        continue;
      }
    }
    runnable.push({ id: use.id, name, input, read: safety.level === 'read' });
  }

  if (runnable.length) {
    state.started = [...new Set([...state.started, ...runnable.map((r) => r.id)])];
    // Write-ahead for writes: the record names them as started before they run (and the write
    // has landed). Reads are simply run again after a crash, so a phase of reads only skips it.
    if (!runnable.every((r) => r.read)) await checkpoint();
    let running = runnable.length;
    await Promise.all(
      runnable.map(async ({ id, name, input, read }) => {
        emit({ type: 'tool_start', name, slugs: classifyToolCall(name, input).slugs, input });
        const raw = await config.tools
          .callTool(name, input)
          .catch((err: Error) => errorOutcome(`Tool ${name} failed: ${err.message}`));
        const { outcome, requests } = extractConnectionRequests(
          raw,
          config.toolkits ?? ['confluence'],
        );
        for (const request of requests) emit({ type: 'needs_connection', request });
        emit({ type: 'tool_end', name, isError: outcome.isError });
        // Pages read go to the model as citable search results (the whole text, before the
        // cap). A write's result (the page it made) is no source; a result that held a connect
        // link stays as scrubbed above.
        const cite = read && !requests.length;
        state.results[id] = toResult(id, cite ? withPageResults(outcome, raw) : outcome);
        state.started = state.started.filter((s) => s !== id);
        // Saved while others still run, so a crash re-runs only those; the last result is saved
        // by the checkpoint below, a moment later, with nothing done in between.
        running -= 1;
        if (running > 0) checkpoint();
      }),
    );
  }
  if (waiting.length) return waiting;

  // Every call has a result: they go back to the model in the order it asked for them.
  const uses = pendingToolUses(state);
  state.messages.push({ role: 'user', content: uses.map((u) => state.results[u.id]!) });
  state.results = {};
  state.started = [];
  state.decisions = {};
  checkpoint(); // awaited before the next tool call or the end of the turn, not the model call
  return [];
}
