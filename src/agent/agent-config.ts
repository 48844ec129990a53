import type { CitedSource } from './cited-answer.js';
import type { ConnectionRequest } from './connection-links.js';
import type { ModelClient } from './model-client.js';
import type { ToolCatalog } from './tool-schema.js';
import type { TurnState } from './turn-state.js';
import type { ToolHost } from './types.js';

/** A destructive tool call waiting for the requester's Approve or Deny. */
export interface PendingApproval {
  toolUseId: string;
  toolName: string;
  slugs: string[];
  input: unknown;
}

/** What the agent reports while it works; the bot turns these into Slack output. */
export type AgentEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_start'; name: string; slugs: string[]; input: unknown }
  | { type: 'tool_end'; name: string; isError: boolean }
  /** A write found started by a run that died: not run again, reported to Claude as in doubt. */
  | { type: 'tool_in_doubt'; name: string }
  | { type: 'needs_connection'; request: ConnectionRequest };

/** Everything an agent turn needs besides its state; nothing here knows about Slack. */
export interface AgentConfig {
  model: ModelClient;
  tools: ToolHost;
  catalog: ToolCatalog;
  /** The static system prompt (cached with the tools). */
  system: string;
  /** Per-turn facts (date, requester), sent after the cache breakpoint. */
  turnContext?: string;
  /** Cap on model calls in one turn (AGENT_MAX_TURNS). */
  maxModelCalls: number;
  maxTokens?: number;
  toolkits?: readonly string[];
  /** Extra tool slugs that need approval, besides deletes. */
  extraDestructive?: ReadonlySet<string>;
  onEvent?: (event: AgentEvent) => void;
  /**
   * Called with the state to persist: after each model response that asks for tools, before
   * writes start, after each tool result that others are still running beside, and once a
   * phase's results are all in. Not after the last response: the caller saves the finished
   * turn with its answer. It must take its copy (serialise) before returning: the state
   * changes on while the write is under way.
   */
  onCheckpoint?: (state: TurnState) => Promise<void>;
}

/** Why a finished turn ended. */
export type AgentOutcome = 'answered' | 'max_turns' | 'max_tokens' | 'refusal' | 'context_full';

/** A finished turn (history closed, ready to store) or one paused for approval. */
export type AgentTurnResult =
  | {
      status: 'done';
      outcome: AgentOutcome;
      /** The answer, Markdown, with a marker (`[1]`) where it relies on a page. */
      text: string;
      /** The pages the answer cites, in marker order: only those, never those merely read. */
      sources: CitedSource[];
      state: TurnState;
    }
  | { status: 'paused'; approvals: PendingApproval[]; text: string; state: TurnState };
