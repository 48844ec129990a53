import type Anthropic from '@anthropic-ai/sdk';
import { classifySlug, classifyToolCall } from './tool-safety.js';
import type { TurnState } from './turn-state.js';
import type { ConversationMessage } from './types.js';

const MULTI_EXECUTE = 'COMPOSIO_MULTI_EXECUTE_TOOL';
/** At most this many writes are named in a failure message; more are counted. */
const MAX_NAMED_WRITES = 5;
const NOT_RUN = 'Not run: the request failed before this call ran.';
const IN_DOUBT =
  'The request failed while this call was running, so it may or may not have taken effect.';

/** Past-tense verbs for the leading verb of an app tool slug (CONFLUENCE_CREATE_PAGE → created). */
const PAST: Record<string, string> = {
  CREATE: 'created',
  UPDATE: 'updated',
  EDIT: 'edited',
  CHANGE: 'changed',
  REPLACE: 'replaced',
  SET: 'set',
  PUT: 'updated',
  POST: 'posted',
  ADD: 'added',
  DELETE: 'deleted',
  REMOVE: 'removed',
  PURGE: 'purged',
  TRASH: 'trashed',
  ARCHIVE: 'archived',
  MOVE: 'moved',
  COPY: 'copied',
  PUBLISH: 'published',
  RESTORE: 'restored',
  UPLOAD: 'uploaded',
  INVITE: 'invited',
};

/** One write in words: "created page *Launch Plan*", or "ran CONFLUENCE_X" when unknown. */
export function describeWrite(slug: string, args: unknown): string {
  const words = slug.toUpperCase().split('_');
  const at = words.findIndex((w) => PAST[w]);
  if (at < 0) return `ran \`${slug}\``;
  const thing = words
    .slice(at + 1)
    .join(' ')
    .toLowerCase();
  const a = (args ?? {}) as Record<string, unknown>;
  const named = [a.title, a.name, a.label, a.key].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  const id = [a.id, a.page_id, a.pageId].find(
    (v) => typeof v === 'string' || typeof v === 'number',
  );
  const target = named ? ` *${named.trim()}*` : id !== undefined ? ` ${id}` : '';
  return `${PAST[words[at]!]}${thing ? ` ${thing}` : ''}${target}`;
}

/** The app tool calls one tool_use ran: the items of a multi-execute, or the call itself. */
function callsOf(use: Anthropic.ToolUseBlockParam): Array<{ slug: string; args: unknown }> {
  const input = use.input as { tools?: unknown };
  if (use.name.toUpperCase() === MULTI_EXECUTE && Array.isArray(input?.tools)) {
    return input.tools.map((t: { tool_slug?: unknown; arguments?: unknown } | null) => ({
      slug: String(t?.tool_slug ?? 'UNKNOWN'),
      args: t?.arguments,
    }));
  }
  return [{ slug: use.name, args: use.input }];
}

/** Every tool_result of the turn so far, by tool_use id: in its messages and not yet sent. */
function resultsOf(state: TurnState): Map<string, Anthropic.ToolResultBlockParam> {
  const results = new Map(Object.entries(state.results));
  for (const m of state.messages.slice(state.turnStart)) {
    if (m.role !== 'user' || typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_result') results.set(b.tool_use_id, b);
  }
  return results;
}

/**
 * The writes this turn made that came back without an error, in words, oldest first. Reads are
 * left out; a call whose result never came back is not claimed as done.
 */
export function completedWrites(
  state: TurnState,
  extraDestructive: ReadonlySet<string> = new Set(),
): string[] {
  const results = resultsOf(state);
  const done: string[] = [];
  for (const m of state.messages.slice(state.turnStart)) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type !== 'tool_use') continue;
      const result = results.get(b.id);
      if (!result || result.is_error) continue;
      if (classifyToolCall(b.name, b.input, extraDestructive).level === 'read') continue;
      for (const call of callsOf(b)) {
        if (classifySlug(call.slug, extraDestructive) !== 'read')
          done.push(describeWrite(call.slug, call.args));
      }
    }
  }
  return done;
}

/** "I created page *A* and deleted page 7, then had to stop." or '' when nothing was written. */
export function doneBeforeFailure(writes: readonly string[]): string {
  if (!writes.length) return '';
  const named = writes.slice(0, MAX_NAMED_WRITES);
  const more = writes.length - named.length;
  const list = more ? [...named, `${more} more change${more === 1 ? '' : 's'}`] : named;
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0];
  return `I ${joined}, then had to stop.`;
}

/**
 * This turn's messages closed after a failure, so that the history stays valid for the next
 * turn: calls left without a result get one (in doubt when they had started), and the turn ends
 * with an assistant note saying it failed.
 */
export function closeFailedTurn(state: TurnState, note: string): ConversationMessage[] {
  const messages = state.messages.slice(state.turnStart);
  const last = messages.at(-1);
  const uses =
    last?.role === 'assistant' && typeof last.content !== 'string'
      ? last.content.filter((b): b is Anthropic.ToolUseBlockParam => b.type === 'tool_use')
      : [];
  if (uses.length) {
    messages.push({
      role: 'user',
      content: uses.map(
        (u) =>
          state.results[u.id] ?? {
            type: 'tool_result',
            tool_use_id: u.id,
            content: state.started.includes(u.id) ? IN_DOUBT : NOT_RUN,
            is_error: true,
          },
      ),
    });
  }
  const closing: Anthropic.TextBlockParam = { type: 'text', text: note };
  const end = messages.at(-1);
  if (end?.role === 'assistant') {
    // Two assistant messages in a row are not a valid history: the note joins the last one.
    const content =
      typeof end.content === 'string'
        ? [{ type: 'text' as const, text: end.content }]
        : end.content;
    messages[messages.length - 1] = { role: 'assistant', content: [...content, closing] };
  } else {
    messages.push({ role: 'assistant', content: [closing] });
  }
  return messages;
}
