import type { ToolOutcome } from './types.js';

/** A toolkit the user must connect; `redirectUrl` is for that user's eyes only. */
export interface ConnectionRequest {
  toolkit: string;
  redirectUrl?: string;
}

/** What the model sees instead of a connect link, so it can never repeat one in public. */
export const LINK_PLACEHOLDER = '[connect link sent privately to the requesting user]';

const REDIRECT_FIELD = /"redirect_url"\s*:\s*"([^"]+)"/g;
const NO_CONNECTION = /no (active )?connect(ion|ed account)|not connected/i;
// Composio's hosted connect pages, in case a link shows up outside a redirect_url field.
const CONNECT_URL = /https?:\/\/[^\s"')>]*composio\.dev\/link\/[^\s"')>]+/g;
// Where Composio puts failure reasons in a tool's JSON output (multi-execute items included).
const ERROR_KEYS = new Set(['error', 'error_message']);

/** Every error string in a JSON value, at any depth. */
function errorStrings(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) errorStrings(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (ERROR_KEYS.has(key) && typeof inner === 'string') out.push(inner);
      else errorStrings(inner, out);
    }
  }
  return out;
}

/**
 * The failure reasons a result reports. JSON output is read structurally, so a page body
 * that merely mentions "not connected" is never mistaken for a failure; plain text counts
 * only when the call itself failed.
 */
function failureText(text: string, isError: boolean): string {
  try {
    return errorStrings(JSON.parse(text)).join('\n');
  } catch {
    return isError ? text : '';
  }
}

/** Finds connection requests in a tool result and returns the result with links taken out. */
export function extractConnectionRequests(
  outcome: ToolOutcome,
  toolkits: readonly string[],
): { outcome: ToolOutcome; requests: ConnectionRequest[] } {
  const requests: ConnectionRequest[] = [];
  if (!Array.isArray(outcome.content)) return { outcome, requests };
  const fallback = toolkits[0] ?? 'confluence';
  const content = outcome.content.map((block) => {
    if (block.type !== 'text') return block;
    const original = block.text;
    for (const match of original.matchAll(REDIRECT_FIELD)) {
      const url = match[1]!;
      const toolkit = toolkits.find((t) => original.includes(`"${t}"`)) ?? fallback;
      if (!requests.some((r) => r.redirectUrl === url))
        requests.push({ toolkit, redirectUrl: url });
    }
    const failure = failureText(original, outcome.isError);
    if (!requests.length && NO_CONNECTION.test(failure)) {
      const lower = failure.toLowerCase();
      requests.push({ toolkit: toolkits.find((t) => lower.includes(t)) ?? fallback });
    }
    const text = original
      .replace(REDIRECT_FIELD, `"redirect_url":"${LINK_PLACEHOLDER}"`)
      .replace(CONNECT_URL, LINK_PLACEHOLDER);
    return { ...block, text };
  });
  return { outcome: { ...outcome, content }, requests };
}

/** Removes any connect link from text meant for a shared thread. */
export function stripConnectLinks(text: string): string {
  return text.replace(CONNECT_URL, '(link sent to you privately)');
}
