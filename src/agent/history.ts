import type Anthropic from '@anthropic-ai/sdk';
import { capText } from './tool-result.js';
import type { ConversationMessage } from './types.js';

/**
 * Tool results longer than this are shortened when a turn is stored: later turns need what was
 * found (titles, ids, links), not whole pages again, and the history budget goes further.
 */
export const STORED_TOOL_RESULT_CHARS = 2_000;

/** English text and JSON average about four characters a token: close enough for a budget. */
export const CHARS_PER_TOKEN = 4;

/** A rough token estimate for budgeting history. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / CHARS_PER_TOKEN);
}

/** The length of the JSON of two arrays joined, from the lengths of theirs (`[]` is 2). */
export function joinedJsonChars(a: number, b: number): number {
  if (a <= 2) return b;
  if (b <= 2) return a;
  return a + b - 1; // "[x]" + "[y]" → "[x,y]"
}

/** True for a user message that starts an exchange (typed text, not tool results). */
function startsExchange(message: ConversationMessage): boolean {
  if (message.role !== 'user') return false;
  if (typeof message.content === 'string') return true;
  return !message.content.some((b) => b.type === 'tool_result');
}

/**
 * Drops the oldest exchanges until the history fits `budgetTokens`. Cuts fall only where a
 * typed user message begins, so a tool_use is never separated from its tool_result. The
 * newest exchange is always kept. `jsonChars`, when the caller knows it (the length of the
 * JSON the history was read from), spares serialising the whole thread again to measure it.
 */
export function trimHistory(
  messages: readonly ConversationMessage[],
  budgetTokens: number,
  jsonChars?: number,
): ConversationMessage[] {
  const starts = messages.flatMap((m, i) => (startsExchange(m) ? [i] : []));
  let total =
    jsonChars === undefined ? estimateTokens(messages) : Math.ceil(jsonChars / CHARS_PER_TOKEN);
  let from = starts[0] ?? 0;
  for (const start of starts.slice(1)) {
    if (total <= budgetTokens) break;
    total -= estimateTokens(messages.slice(from, start));
    from = start;
  }
  return messages.slice(from);
}

/** What a later turn keeps of a page read: which page it was, and how it began. */
export const STORED_PAGE_CHARS = 300;

/** A page search result as one line of text: its title, URL and first words. */
function pageLine(result: Anthropic.SearchResultBlockParam): Anthropic.TextBlockParam {
  const text = result.content.map((c) => c.text).join(' ');
  const start = text.length > STORED_PAGE_CHARS ? `${text.slice(0, STORED_PAGE_CHARS)}…` : text;
  return { type: 'text', text: `[page "${result.title}" ${result.source}] ${start}` };
}

function shortenResult(block: Anthropic.ToolResultBlockParam): Anthropic.ToolResultBlockParam {
  if (typeof block.content === 'string') {
    return { ...block, content: capText(block.content, STORED_TOOL_RESULT_CHARS) };
  }
  const content = (block.content ?? []).map((c) =>
    c.type === 'text'
      ? { ...c, text: capText(c.text, STORED_TOOL_RESULT_CHARS) }
      : c.type === 'image'
        ? { type: 'text' as const, text: '[image omitted from stored history]' }
        : c.type === 'search_result'
          ? pageLine(c)
          : c,
  );
  return { ...block, content };
}

/** What a stored message keeps of an attached file's block: that there was one, not its bytes. */
export const FILE_OMITTED = '[attached file omitted from stored history]';

const isFile = (b: Anthropic.ContentBlockParam) => b.type === 'image' || b.type === 'document';

/**
 * The messages with each image or document block of a user message (an attached file) replaced
 * by a note: the turn's message already names its files in one line, and their bytes are never
 * stored. Unchanged (the same array) when there is none.
 */
export function withoutFileBlocks(
  messages: readonly ConversationMessage[],
): readonly ConversationMessage[] {
  const hasFile = (m: ConversationMessage) =>
    m.role === 'user' && Array.isArray(m.content) && m.content.some(isFile);
  if (!messages.some(hasFile)) return messages;
  return messages.map((m) =>
    hasFile(m) && Array.isArray(m.content)
      ? ({
          ...m,
          content: m.content.map((b) =>
            isFile(b) ? { type: 'text' as const, text: FILE_OMITTED } : b,
          ),
        } as ConversationMessage)
      : m,
  );
}

/** An answer's text without its citations: they point into page results no longer kept. */
function uncited(block: Anthropic.ContentBlockParam): Anthropic.ContentBlockParam {
  if (block.type !== 'text' || !block.citations) return block;
  const { citations: _citations, ...rest } = block;
  return rest;
}

/**
 * Shortens large tool results, drops images and attached files, and reduces page search results
 * to a line each (and the citations pointing into them) before a conversation is stored. Stored
 * messages are never compacted again, so the history a later turn sends stays the same bytes.
 */
export function compactForStorage(messages: readonly ConversationMessage[]): ConversationMessage[] {
  return withoutFileBlocks(messages).map((m) => {
    if (!Array.isArray(m.content)) return m;
    if (m.role === 'assistant') return { ...m, content: m.content.map(uncited) };
    if (m.role !== 'user') return m;
    return {
      ...m,
      content: m.content.map((b) => (b.type === 'tool_result' ? shortenResult(b) : b)),
    };
  });
}
