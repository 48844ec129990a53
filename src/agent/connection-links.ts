import type { ToolOutcome } from './types.js';

/** A toolkit the user must connect; `redirectUrl` is for that user's eyes only. */
export interface ConnectionRequest {
  toolkit: string;
  redirectUrl?: string;
}

/** What the model sees instead of a connect link, so it can never repeat one in public. */
export const LINK_PLACEHOLDER = '[connect link sent privately to the requesting user]';

const REDIRECT_FIELD = /"redirect_url"\s*:\s*"([^"]+)"/g;
const NO_CONNECTION = /no (active )?connect(ion|ed account)[^.]*?\b([a-z0-9_]+)\b|not connected/i;
// Composio's hosted connect pages, in case a link shows up outside a redirect_url field.
const CONNECT_URL = /https?:\/\/[^\s"')>]*composio\.dev\/link\/[^\s"')>]+/g;

/** Finds connection requests in a tool result and returns the result with links taken out. */
export function extractConnectionRequests(
  outcome: ToolOutcome,
  toolkits: readonly string[],
): { outcome: ToolOutcome; requests: ConnectionRequest[] } {
  const requests: ConnectionRequest[] = [];
  if (!Array.isArray(outcome.content)) return { outcome, requests };
  const content = outcome.content.map((block) => {
    if (block.type !== 'text') return block;
    let text = block.text;
    for (const match of text.matchAll(REDIRECT_FIELD)) {
      const url = match[1]!;
      const toolkit = toolkits.find((t) => text.includes(`"${t}"`)) ?? toolkits[0] ?? 'confluence';
      if (!requests.some((r) => r.redirectUrl === url))
        requests.push({ toolkit, redirectUrl: url });
    }
    text = text
      .replace(REDIRECT_FIELD, `"redirect_url":"${LINK_PLACEHOLDER}"`)
      .replace(CONNECT_URL, LINK_PLACEHOLDER);
    const failed = outcome.isError || /"success(ful)?"\s*:\s*false/.test(text);
    if (!requests.length && failed && NO_CONNECTION.test(text)) {
      const toolkit =
        toolkits.find((t) => text.toLowerCase().includes(t)) ?? toolkits[0] ?? 'confluence';
      requests.push({ toolkit });
    }
    return { ...block, text };
  });
  return { outcome: { ...outcome, content }, requests };
}

/** Removes any connect link from text meant for a shared thread. */
export function stripConnectLinks(text: string): string {
  return text.replace(CONNECT_URL, '(link sent to you privately)');
}
