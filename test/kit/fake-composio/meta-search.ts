/** COMPOSIO_SEARCH_TOOLS and COMPOSIO_GET_TOOL_SCHEMAS: keyword search over the Confluence tools. */
import type { z } from 'zod';
import type { ConfluenceToolInfo, ToolResult } from './confluence.js';
import type { schemasInput, searchInput } from './meta-schemas.js';
import { type FakeState, type SessionRecord, TOOLKITS, toolkitEnabled } from './state.js';

const SYNONYMS: Record<string, string> = {
  write: 'create',
  make: 'create',
  new: 'create',
  add: 'create',
  publish: 'create',
  draft: 'create',
  save: 'create',
  post: 'blogpost',
  blog: 'blogpost',
  announcement: 'blogpost',
  find: 'search',
  lookup: 'search',
  query: 'search',
  look: 'search',
  list: 'get',
  show: 'get',
  read: 'get',
  fetch: 'get',
  browse: 'get',
  edit: 'update',
  modify: 'update',
  change: 'update',
  append: 'update',
  revise: 'update',
  remove: 'delete',
  trash: 'delete',
  tag: 'label',
  labels: 'label',
  doc: 'page',
  docs: 'page',
  document: 'page',
  pages: 'page',
  wiki: 'page',
  note: 'page',
  notes: 'page',
  summary: 'page',
  spaces: 'space',
  children: 'child',
  property: 'property',
  metadata: 'property',
};
const STOP = new Set([
  'a',
  'an',
  'the',
  'in',
  'on',
  'of',
  'to',
  'for',
  'and',
  'with',
  'my',
  'confluence',
]);

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w))
    .map((w) => SYNONYMS[w] ?? w);

/** Scores a tool against a use case: slug words weigh 3, description words 1. */
function score(tool: ConfluenceToolInfo, useCase: string): number {
  const slugWords = new Set(words(tool.slug.replace(/^CONFLUENCE_/, '')));
  const descWords = new Set(words(tool.description));
  return words(useCase).reduce(
    (sum, w) => sum + (slugWords.has(w) ? 3 : 0) + (descWords.has(w) ? 1 : 0),
    0,
  );
}

const schemaEntry = (tool: ConfluenceToolInfo) => ({
  tool_slug: tool.slug,
  toolkit: 'confluence',
  description: tool.description,
  input_schema: tool.inputSchema,
  hasFullSchema: true,
});

/** Runs COMPOSIO_SEARCH_TOOLS (also the body of POST …/session/{id}/search). */
export function searchTools(
  state: FakeState,
  session: SessionRecord,
  args: z.infer<typeof searchInput>,
): ToolResult {
  const enabled = toolkitEnabled(session.config, 'confluence');
  const tools = enabled ? state.confluence.tools() : [];
  const queries = args.queries;
  const schemas: Record<string, unknown> = {};
  const results = queries.map((q, index) => {
    const ranked = tools
      .map((tool) => ({ tool, score: score(tool, q.use_case) }))
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score);
    for (const { tool } of ranked.slice(0, 6)) schemas[tool.slug] = schemaEntry(tool);
    return {
      index,
      use_case: q.use_case,
      primary_tool_slugs: ranked.slice(0, 3).map((r) => r.tool.slug),
      related_tool_slugs: ranked.slice(3, 6).map((r) => r.tool.slug),
      toolkits: ranked.length > 0 ? ['confluence'] : [],
      execution_guidance: 'Run the primary tools with COMPOSIO_MULTI_EXECUTE_TOOL.',
      known_pitfalls: ['Page titles are unique per space.', 'Updates need version.number + 1.'],
    };
  });
  const active = state.accounts.active(session.userId) !== undefined;
  const statuses = enabled
    ? TOOLKITS.map((tk) => ({
        toolkit: tk.slug,
        description: tk.description,
        has_active_connection: active,
        status_message: active
          ? `Connection is active for ${tk.name}.`
          : `No active connection for ${tk.slug}. Call COMPOSIO_MANAGE_CONNECTIONS first.`,
      }))
    : [];
  const now = new Date();
  const data = {
    success: true,
    error: null,
    results,
    tool_schemas: schemas,
    toolkit_connection_statuses: statuses,
    next_steps_guidance: active
      ? ['Execute the tools with COMPOSIO_MULTI_EXECUTE_TOOL.']
      : ['Connect the toolkit with COMPOSIO_MANAGE_CONNECTIONS, then execute the tools.'],
    session: { id: session.id, generate_id: false, instructions: 'Reuse this session id.' },
    time_info: {
      current_time_utc: now.toISOString(),
      current_time_utc_epoch_seconds: Math.floor(now.getTime() / 1000),
      message: 'Current UTC time.',
    },
  };
  return { data, error: null, successful: true };
}

/** Runs COMPOSIO_GET_TOOL_SCHEMAS. */
export function getToolSchemas(
  state: FakeState,
  session: SessionRecord,
  args: z.infer<typeof schemasInput>,
): ToolResult {
  const slugs = args.tool_slugs;
  const enabled = toolkitEnabled(session.config, 'confluence');
  const schemas: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const slug of slugs) {
    const tool = enabled ? state.confluence.toolInfo(slug) : undefined;
    if (tool) schemas[slug] = schemaEntry(tool);
    else missing.push(slug);
  }
  const error = missing.length > 0 ? `Tools not found: ${missing.join(', ')}` : null;
  const data = { tool_schemas: schemas, not_found_slugs: missing };
  return { data, error, successful: missing.length < slugs.length || slugs.length === 0 };
}
