/** How much harm a tool call can do; destructive calls wait for the requester's approval. */
export type SafetyLevel = 'read' | 'write' | 'destructive';

/** The classification of one tool call, with the app tool slugs it would run. */
export interface CallSafety {
  level: SafetyLevel;
  slugs: string[];
}

const DESTRUCTIVE = /(^|_)(DELETE|REMOVE|PURGE|DESTROY|ARCHIVE|TRASH|REVOKE|DISCONNECT)(_|$)/;
const READ =
  /(^|_)(GET|GETS|LIST|SEARCH|FIND|FETCH|READ|RETRIEVE|QUERY|COUNT|DESCRIBE|CHECK|EXPORT|DOWNLOAD|CQL)(_|$)/;
const WRITE =
  /(^|_)(CREATE|UPDATE|ADD|SET|PUT|POST|EDIT|MOVE|COPY|PUBLISH|RESTORE|UPLOAD|INVITE|CHANGE|REPLACE)(_|$)/;

// Tool Router meta tools that only look things up or start an OAuth link (idempotent).
const READ_META = new Set([
  'COMPOSIO_SEARCH_TOOLS',
  'COMPOSIO_GET_TOOL_SCHEMAS',
  'COMPOSIO_MANAGE_CONNECTIONS',
  'COMPOSIO_WAIT_FOR_CONNECTIONS',
]);
const MULTI_EXECUTE = 'COMPOSIO_MULTI_EXECUTE_TOOL';
const MANAGE_CONNECTIONS = 'COMPOSIO_MANAGE_CONNECTIONS';
const RANK: Record<SafetyLevel, number> = { read: 0, write: 1, destructive: 2 };

/** Classifies one app tool slug; unknown verbs count as writes, so they are never re-run blindly. */
export function classifySlug(
  slug: string,
  extraDestructive: ReadonlySet<string> = new Set(),
): SafetyLevel {
  const upper = slug.toUpperCase();
  if (extraDestructive.has(upper) || DESTRUCTIVE.test(upper)) return 'destructive';
  if (READ_META.has(upper)) return 'read';
  if (WRITE.test(upper)) return 'write';
  if (READ.test(upper)) return 'read';
  return 'write';
}

/**
 * The app tool slugs inside a COMPOSIO_MULTI_EXECUTE_TOOL input, and whether every item could be
 * read. The meta tool's schema carries no compatibility promise, so an input that is not
 * `{ tools: [{ tool_slug: string }, …] }` with at least one item (the schema's minimum) is
 * unreadable: unreadable items show as 'UNKNOWN'. `tool_slug` is the only field read; the SDK
 * (`@composio/core` ToolRouterSession.parseToolItem) and the API types know no other name.
 */
function multiExecuteSlugs(input: unknown): { slugs: string[]; readable: boolean } {
  const tools = (input as { tools?: unknown })?.tools;
  if (!Array.isArray(tools)) return { slugs: ['UNKNOWN'], readable: false };
  const slugs = tools.map((t) => {
    const slug = (t as { tool_slug?: unknown })?.tool_slug;
    return typeof slug === 'string' && slug.trim() ? slug : undefined;
  });
  return {
    slugs: slugs.map((s) => s ?? 'UNKNOWN'),
    readable: slugs.length > 0 && slugs.every((s) => s !== undefined),
  };
}

/** True when a COMPOSIO_MANAGE_CONNECTIONS input asks to remove (revoke) a connection. */
function removesConnection(input: unknown): boolean {
  const toolkits = (input as { toolkits?: unknown })?.toolkits;
  return (
    Array.isArray(toolkits) &&
    toolkits.some((t) => String((t as { action?: unknown })?.action).toLowerCase() === 'remove')
  );
}

/** Classifies a tool call by its slug, looking inside multi-execute at every item. */
export function classifyToolCall(
  toolName: string,
  input: unknown,
  extraDestructive: ReadonlySet<string> = new Set(),
): CallSafety {
  const name = toolName.toUpperCase();
  // Newer Tool Router servers accept `{ name, action: "remove" }`, which revokes the account.
  if (name === MANAGE_CONNECTIONS && removesConnection(input))
    return { level: 'destructive', slugs: [toolName] };
  if (name === MULTI_EXECUTE) {
    const { slugs, readable } = multiExecuteSlugs(input);
    // Fail safe: what cannot be read might delete, so it waits for the requester's approval.
    if (!readable) return { level: 'destructive', slugs };
    return { level: highest(slugs, extraDestructive), slugs };
  }
  return { level: highest([toolName], extraDestructive), slugs: [toolName] };
}

/** The most harmful level among `slugs`. */
function highest(slugs: string[], extraDestructive: ReadonlySet<string>): SafetyLevel {
  return slugs
    .map((s) => classifySlug(s, extraDestructive))
    .reduce<SafetyLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), 'read');
}
