// The request checks the real API makes that a bot is most likely to trip over; messages follow
// the API's wording. https://docs.claude.com/en/api/messages and
// https://docs.claude.com/en/docs/agents-and-tools/tool-use/implement-tool-use
import { documentProblem, imageProblem, MAX_IMAGES } from './media.js';

type Json = Record<string, unknown>;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_CACHE_BREAKPOINTS = 4;
const REMOVED_PARAMS = ['temperature', 'top_p', 'top_k'];

/** Returns the API's `invalid_request_error` message for a bad Messages request, or null. */
export function validateMessagesRequest(body: unknown): string | null {
  if (!isObject(body)) return 'The request body must be a JSON object.';
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    return 'max_tokens: Input should be an integer greater than or equal to 1';
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    return 'stream: Input should be a valid boolean';
  }
  for (const param of REMOVED_PARAMS) {
    if (param in body) return `${param}: Extra inputs are not permitted`;
  }
  return (
    checkSystem(body.system) ??
    checkTools(body.tools) ??
    checkMessages(body.messages) ??
    checkBreakpoints(body)
  );
}

function checkSystem(system: unknown): string | null {
  if (system === undefined || typeof system === 'string') return null;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list';
  const bad = system.findIndex((b) => !isObject(b) || b.type !== 'text' || !nonEmpty(b.text));
  return bad < 0 ? null : `system.${bad}: text content blocks must be non-empty`;
}

function checkTools(tools: unknown): string | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
  const names = new Set<string>();
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool)) return `tools.${i}: Input should be a valid dictionary`;
    if (typeof tool.name === 'string' && names.has(tool.name))
      return 'tools: Tool names must be unique.';
    if (typeof tool.name === 'string') names.add(tool.name);
    if (tool.type !== undefined && tool.type !== 'custom') continue; // server tools have fixed names
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
      return `tools.${i}.custom.name: String should match pattern '${TOOL_NAME.source}'`;
    }
    const schema = tool.input_schema;
    if (!isObject(schema)) return `tools.${i}.custom.input_schema: Field required`;
    if (schema.type !== 'object')
      return `tools.${i}.custom.input_schema.type: Input should be 'object'`;
    if ('oneOf' in schema || 'anyOf' in schema || 'allOf' in schema) {
      return `tools.${i}.custom.input_schema: input_schema does not support oneOf, allOf, or anyOf at the top level`;
    }
  }
  return null;
}

function checkMessages(messages: unknown): string | null {
  if (!Array.isArray(messages)) return 'messages: Field required';
  if (messages.length === 0) return 'messages: at least one message is required';
  for (const [i, message] of messages.entries()) {
    const problem = checkMessage(message, i, i === messages.length - 1);
    if (problem) return problem;
  }
  const images = (messages as Json[])
    .flatMap((m) => (Array.isArray(m.content) ? (m.content as Json[]) : []))
    .filter((b) => b.type === 'image').length;
  if (images > MAX_IMAGES) return `messages: Too many images: at most ${MAX_IMAGES} are allowed`;
  return checkToolPairs(messages as Json[]) ?? checkCitationsAgree(messages as Json[]);
}

function checkMessage(message: unknown, i: number, isLast: boolean): string | null {
  if (!isObject(message)) return `messages.${i}: Input should be a valid dictionary`;
  if (message.role !== 'user' && message.role !== 'assistant') {
    return `messages.${i}.role: Input should be 'user' or 'assistant'`;
  }
  const { content } = message;
  const empty = content === '' || (Array.isArray(content) && content.length === 0);
  if (empty && !(isLast && message.role === 'assistant')) {
    return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
  }
  if (typeof content === 'string') return null;
  if (!Array.isArray(content))
    return `messages.${i}.content: Input should be a valid string or list`;
  for (const [j, block] of content.entries()) {
    if (!isObject(block) || typeof block.type !== 'string') {
      return `messages.${i}.content.${j}: Input should be a valid content block`;
    }
    if (block.type === 'text' && !nonEmpty(block.text)) {
      return 'messages: text content blocks must be non-empty';
    }
    const at = `messages.${i}.content.${j}`;
    const problem =
      block.type === 'image'
        ? imageProblem(block, `${at}.image`)
        : block.type === 'document'
          ? documentProblem(block, `${at}.document`)
          : block.type === 'search_result'
            ? checkSearchResult(block, at)
            : block.type === 'tool_result'
              ? checkToolResultContent(block.content, `${at}.tool_result`)
              : null;
    if (problem) return problem;
  }
  return null;
}

// What a tool_result's content list may hold (ToolResultBlockParam.content in the SDK).
const TOOL_RESULT_BLOCKS = [
  'text',
  'image',
  'search_result',
  'document',
  'tool_reference',
  'browser_state',
];

function checkToolResultContent(content: unknown, at: string): string | null {
  if (content === undefined || typeof content === 'string') return null;
  if (!Array.isArray(content)) return `${at}.content: Input should be a valid string or list`;
  for (const [k, block] of content.entries()) {
    const here = `${at}.content.${k}`;
    if (!isObject(block) || !TOOL_RESULT_BLOCKS.includes(String(block.type))) {
      return `${here}: Input tag '${isObject(block) ? String(block.type) : ''}' found using 'type' does not match any of the expected tags: ${TOOL_RESULT_BLOCKS.map((t) => `'${t}'`).join(', ')}`;
    }
    if (block.type === 'text' && !nonEmpty(block.text)) {
      return 'messages: text content blocks must be non-empty';
    }
    if (block.type === 'search_result') {
      const problem = checkSearchResult(block, here);
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * A search result needs `source`, `title` and a list of non-empty text blocks as `content`;
 * `citations` is `{enabled: boolean}` (SearchResultBlockParam in @anthropic-ai/sdk 1.12;
 * https://docs.claude.com/en/docs/build-with-claude/search-results).
 */
function checkSearchResult(block: Json, at: string): string | null {
  for (const field of ['source', 'title'] as const) {
    if (block[field] === undefined) return `${at}.search_result.${field}: Field required`;
    if (typeof block[field] !== 'string') {
      return `${at}.search_result.${field}: Input should be a valid string`;
    }
  }
  if (!Array.isArray(block.content)) return `${at}.search_result.content: Field required`;
  for (const [k, item] of block.content.entries()) {
    if (!isObject(item) || item.type !== 'text') {
      return `${at}.search_result.content.${k}.type: Input should be 'text'`;
    }
    if (!nonEmpty(item.text)) return 'messages: text content blocks must be non-empty';
  }
  const { citations } = block;
  if (citations !== undefined && (!isObject(citations) || typeof citations.enabled !== 'boolean')) {
    return `${at}.search_result.citations.enabled: Input should be a valid boolean`;
  }
  return null;
}

/** Citations are all-or-none: every search result of a request enables them, or none does. */
function checkCitationsAgree(messages: Json[]): string | null {
  const settings = new Set<boolean>();
  const visit = (blocks: unknown) => {
    if (!Array.isArray(blocks)) return;
    for (const block of blocks) {
      if (!isObject(block)) continue;
      if (block.type === 'tool_result') visit(block.content);
      if (block.type === 'search_result') {
        settings.add(isObject(block.citations) && block.citations.enabled === true);
      }
    }
  };
  for (const message of messages) visit(message.content);
  return settings.size > 1
    ? 'Citations must be enabled on all search results or on none of them.'
    : null;
}

/** Every tool_use needs a tool_result at the start of the very next (user) message, and vice versa. */
function checkToolPairs(messages: Json[]): string | null {
  for (const [i, message] of messages.entries()) {
    const blocks = Array.isArray(message.content) ? (message.content as Json[]) : [];
    const previous = messages[i - 1];
    const expected =
      previous?.role === 'assistant' && Array.isArray(previous.content)
        ? (previous.content as Json[]).filter((b) => b.type === 'tool_use').map((b) => String(b.id))
        : [];
    const results = blocks.filter((b) => b.type === 'tool_result');
    if (message.role === 'assistant' && results.length > 0) {
      return `messages.${i}: \`tool_result\` blocks can only be in \`user\` messages`;
    }
    const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
    const lastResult = blocks.findLastIndex((b) => b.type === 'tool_result');
    if (firstOther >= 0 && firstOther < lastResult) {
      return `messages.${i}: \`tool_result\` blocks must come before any other content in the message`;
    }
    const got = new Set(results.map((b) => String(b.tool_use_id)));
    const unexpected = [...got].filter((id) => !expected.includes(id));
    if (unexpected.length > 0) {
      return `messages.${i}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
    const missing = expected.filter((id) => !got.has(id));
    if (missing.length > 0) {
      return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  return null;
}

function checkBreakpoints(body: Json): string | null {
  let found = 0;
  const count = (block: unknown) => {
    if (isObject(block) && block.cache_control) found++;
  };
  if (Array.isArray(body.tools)) body.tools.forEach(count);
  if (Array.isArray(body.system)) body.system.forEach(count);
  for (const message of body.messages as Json[]) {
    if (Array.isArray(message.content)) message.content.forEach(count);
  }
  return found > MAX_CACHE_BREAKPOINTS
    ? `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${found}.`
    : null;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}
