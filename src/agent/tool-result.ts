import type { ToolOutcome } from './types.js';

/**
 * Largest tool result (characters of text) handed to the model in one tool_result: about 5,000
 * tokens, a long page or a page of search hits, without crowding out the rest of the turn.
 */
export const MAX_TOOL_RESULT_CHARS = 20_000;

interface McpContent {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
  uri?: string;
  name?: string;
}

/** Composio splits a large JSON output over several text blocks: rejoin those seamlessly. */
function joinTexts(texts: string[]): string {
  if (texts.length < 2) return texts[0] ?? '';
  const seamless = texts.join('');
  if (/^\s*[[{]/.test(seamless)) {
    try {
      JSON.parse(seamless);
      return seamless;
    } catch {
      // Not one JSON document: separate blocks by lines.
    }
  }
  return texts.join('\n');
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Cuts text to `max` characters with a note saying how much was left out. */
export function capText(text: string, max = MAX_TOOL_RESULT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n…[tool result cut: ${text.length - max} of ${text.length} characters left out]`;
}

/**
 * The whole text of outcomes whose text was cut for the model, kept beside them (not on them,
 * so nothing that copies or sends an outcome carries it along) for as long as they live.
 */
const uncutTexts = new WeakMap<ToolOutcome, string>();

/**
 * The complete text of a tool outcome, before the cap applied for the model: for internal
 * callers that parse a result themselves (the space picker's listing) rather than show it to
 * the model. Falls back to the outcome's text blocks, joined, for outcomes not built here.
 */
export function uncutText(outcome: ToolOutcome): string {
  const kept = uncutTexts.get(outcome);
  if (kept !== undefined) return kept;
  if (!Array.isArray(outcome.content)) return outcome.content ?? '';
  return outcome.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/**
 * Maps an MCP CallToolResult to tool_result content: text joined and capped, images kept.
 * The text before the cap stays readable through {@link uncutText}.
 */
export function toToolOutcome(result: { content?: unknown; isError?: unknown }): ToolOutcome {
  const blocks = Array.isArray(result.content) ? (result.content as McpContent[]) : [];
  const texts: string[] = [];
  const images: Array<{
    type: 'image';
    source: { type: 'base64'; media_type: 'image/png'; data: string };
  }> = [];
  for (const block of blocks) {
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'image' && block.data && IMAGE_TYPES.has(block.mimeType ?? '')) {
      const media_type = block.mimeType as 'image/png';
      images.push({ type: 'image', source: { type: 'base64', media_type, data: block.data } });
    } else if (block.type === 'resource' && typeof block.resource?.text === 'string') {
      texts.push(block.resource.text);
    } else if (block.type === 'resource_link' && block.uri) {
      texts.push(`[resource ${block.name ?? ''} at ${block.uri}]`.replace('  ', ' '));
    } else {
      texts.push(`[${block.type} content${block.mimeType ? ` (${block.mimeType})` : ''} omitted]`);
    }
  }
  const whole = joinTexts(texts);
  const text = capText(whole);
  const content = [...(text ? [{ type: 'text' as const, text }] : []), ...images];
  const outcome: ToolOutcome = {
    content: content.length ? content : [{ type: 'text', text: '(no output)' }],
    isError: result.isError === true,
  };
  if (text !== whole) uncutTexts.set(outcome, whole);
  return outcome;
}

// An error's gist fits well within this; a stack trace or an HTML error page beyond it only
// costs tokens.
const MAX_ERROR_CHARS = 2_000;

/** An error outcome for a tool call that threw or timed out. */
export function errorOutcome(message: string): ToolOutcome {
  return { content: [{ type: 'text', text: capText(message, MAX_ERROR_CHARS) }], isError: true };
}
