import type Anthropic from '@anthropic-ai/sdk';
import type { ConversationMessage, ModelTool } from './types.js';

const CACHE = { type: 'ephemeral' } as const;

/** The system prompt: stable for a deployment, so it can be cached with the tools. */
export function buildSystemPrompt(options: { toolkits: readonly string[] }): string {
  return [
    'You are Confluence Agent, a Slack app that helps a team work with Confluence in plain language.',
    `You act through the requesting Slack user's own connection (toolkits: ${options.toolkits.join(', ')}), using the Composio Tool Router tools you are given.`,
    'Find the right Confluence tool with COMPOSIO_SEARCH_TOOLS and read its schema before calling it; never guess argument names.',
    'Run Confluence tools with COMPOSIO_MULTI_EXECUTE_TOOL. Page bodies use Confluence storage format (XHTML).',
    'Page titles are unique within a space; updates need the current version number plus one.',
    'If a tool says the user has no active connection, call COMPOSIO_MANAGE_CONNECTIONS and tell the user they will receive a private link to connect; never paste connection links into your reply.',
    'Reply concisely in Markdown suitable for Slack. When you create or change something, give its title and link.',
  ].join('\n');
}

/**
 * The stable request prefix, marked for prompt caching: a breakpoint on the last tool and on
 * the static system block. Per-turn facts (date, requester) go in a second system block after
 * the breakpoint, so the cached prefix stays byte-identical from turn to turn.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export function cachedPrefix(
  system: string,
  tools: readonly ModelTool[],
  turnContext?: string,
): { system: Anthropic.TextBlockParam[]; tools: ModelTool[] } {
  const last = tools.length - 1;
  return {
    // The per-turn context block comes after the breakpoint, so it never breaks the cache.
    system: [
      { type: 'text', text: system, cache_control: CACHE },
      ...(turnContext ? [{ type: 'text' as const, text: turnContext }] : []),
    ],
    tools: tools.map((tool, i) => (i === last ? { ...tool, cache_control: CACHE } : tool)),
  };
}

/**
 * The conversation for one request with a cache breakpoint on its last block, so each request
 * reads everything before it from the cache written by the previous one. The stored state is
 * not touched: the breakpoint moves forward every call.
 */
export function cachedConversation(
  messages: readonly ConversationMessage[],
): ConversationMessage[] {
  const last = messages.at(-1);
  if (!last) return [];
  const content: Anthropic.ContentBlockParam[] =
    typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
  const tail = content.at(-1);
  if (!tail || tail.type === 'thinking' || tail.type === 'redacted_thinking') return [...messages];
  content[content.length - 1] = { ...tail, cache_control: CACHE } as Anthropic.ContentBlockParam;
  return [...messages.slice(0, -1), { ...last, content } as ConversationMessage];
}
