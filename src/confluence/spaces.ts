import { stripConnectLinks } from '../agent/connection-links.js';
import { uncutText } from '../agent/tool-result.js';
import type { ToolHost } from '../agent/types.js';
import type { Logger } from '../logger.js';

/** A Confluence space: its key and name. */
export interface SpaceOption {
  key: string;
  name: string;
}

/** Finds the first array of {key, name} objects anywhere in a tool's JSON output. */
export function findSpaces(value: unknown, depth = 0): SpaceOption[] {
  if (depth > 8 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) {
    const spaces = value.filter(
      (v): v is SpaceOption => typeof v?.key === 'string' && typeof v?.name === 'string',
    );
    if (spaces.length) return spaces.map(({ key, name }) => ({ key, name }));
  }
  for (const child of Object.values(value)) {
    const found = findSpaces(child, depth + 1);
    if (found.length) return found;
  }
  return [];
}

/** Spaces asked for in the one listing call: the most a Confluence v2 API page holds. */
const SPACES_PAGE_LIMIT = 250;

/**
 * Lists the spaces the user can see, through their own Tool Router session. The result is read
 * whole, before the cap applied for the model: a site's worth of v2 space objects is far larger
 * than that cap. When the listing fails, this warns and returns none.
 */
export async function listSpaces(
  host: ToolHost,
  logger?: Pick<Logger, 'warn'>,
): Promise<SpaceOption[]> {
  const outcome = await host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', {
    tools: [{ tool_slug: 'CONFLUENCE_GET_SPACES', arguments: { limit: SPACES_PAGE_LIMIT } }],
    thought: 'List spaces for the Summarise to Confluence form',
  });
  // Large MCP results can arrive split over several text blocks: this is them joined, uncut.
  const text = uncutText(outcome);
  const failed = (message: string, error: string) => {
    logger?.warn({ chars: text.length, error: stripConnectLinks(error.slice(0, 300)) }, message);
    return [];
  };
  if (outcome.isError) return failed('listing Confluence spaces failed', text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return failed('could not parse the Confluence space listing', (err as Error).message);
  }
  const spaces = findSpaces(parsed);
  if (!spaces.length) {
    // Composio reports failures inside a successful MCP result, as an `error` field.
    const reported = (parsed as { error?: unknown } | null)?.error;
    return failed(
      'found no spaces in the Confluence space listing',
      typeof reported === 'string' ? reported : '',
    );
  }
  return spaces;
}
