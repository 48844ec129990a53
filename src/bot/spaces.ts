import type { ToolHost } from '../agent/types.js';

/** A Confluence space as offered in the shortcut's space picker. */
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

/** Lists the spaces the user can see, through their own Tool Router session (at most 100). */
export async function listSpaces(host: ToolHost): Promise<SpaceOption[]> {
  const outcome = await host.callTool('COMPOSIO_MULTI_EXECUTE_TOOL', {
    tools: [{ tool_slug: 'CONFLUENCE_GET_SPACES', arguments: { limit: 100 } }],
    thought: 'List spaces for the Summarise to Confluence form',
  });
  if (outcome.isError || !Array.isArray(outcome.content)) return [];
  // Large MCP results can arrive split over several text blocks: parse them joined.
  const text = outcome.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  try {
    return findSpaces(JSON.parse(text)).slice(0, 100);
  } catch {
    // Not JSON: no spaces to offer; the free-text key still works.
    return [];
  }
}
