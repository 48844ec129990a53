/** Tool execution for a session: app tools, multi-execute, connection management, stubs. */
import { z } from 'zod';
import type { ToolResult } from './confluence.js';
import { sleep } from './http.js';
import {
  META_TOOLS,
  type manageInput,
  type multiExecuteInput,
  type schemasInput,
  type searchInput,
  type waitInput,
} from './meta-schemas.js';
import { getToolSchemas, searchTools } from './meta-search.js';
import { type FakeState, type SessionRecord, TOOLKITS, toolkitEnabled } from './state.js';

const failed = (error: string): ToolResult => ({ data: {}, error, successful: false });

/** Executes one app tool (CONFLUENCE_*) for the session's user, checking toolkit and connection. */
export function runAppTool(
  state: FakeState,
  s: SessionRecord,
  slug: string,
  args: unknown,
): ToolResult {
  if (!state.confluence.toolInfo(slug)) return failed(`Tool ${slug} not found`);
  if (!toolkitEnabled(s.config, 'confluence')) {
    return failed('Toolkit confluence is not enabled in this session');
  }
  if (!state.accounts.active(s.userId)) {
    return failed(
      `No active connection found for toolkit 'confluence' for user '${s.userId}'. ` +
        'Use COMPOSIO_MANAGE_CONNECTIONS to connect the account first.',
    );
  }
  return state.confluence.execute(s.userId, slug, args);
}

async function multiExecute(
  state: FakeState,
  s: SessionRecord,
  args: z.infer<typeof multiExecuteInput>,
): Promise<ToolResult> {
  const results = await Promise.all(
    args.tools.map(async (item, index) => {
      const slug = item.tool_slug;
      const response = runAppTool(state, s, slug, item.arguments);
      const { error, successful } = response;
      return { index, tool_slug: slug, response, error, success: successful };
    }),
  );
  const errorCount = results.filter((r) => !r.success).length;
  const data = {
    results,
    total_count: results.length,
    success_count: results.length - errorCount,
    error_count: errorCount,
  };
  const error = errorCount > 0 ? `${errorCount} out of ${results.length} tools failed` : null;
  return { data, error, successful: errorCount === 0 };
}

function manageConnections(
  state: FakeState,
  s: SessionRecord,
  args: z.infer<typeof manageInput>,
): ToolResult {
  const results: Record<string, { status: string } & Record<string, unknown>> = {};
  for (const entry of args.toolkits) {
    const name = typeof entry === 'string' ? entry : entry.name;
    const action = typeof entry === 'string' ? undefined : entry.action;
    const slug = name.toLowerCase();
    const known = TOOLKITS.some((tk) => tk.slug === slug);
    const active = state.accounts.active(s.userId);
    if (!known || !toolkitEnabled(s.config, slug)) {
      const reason = known ? 'is not enabled in this session' : 'was not found';
      results[slug] = {
        toolkit: slug,
        status: 'failed',
        error_message: `Toolkit '${name}' ${reason}`,
      };
    } else if (action === 'remove') {
      state.accounts.disconnect(s.userId);
      results[slug] = { toolkit: slug, status: 'removed' };
    } else if (active && !args.reinitiate_all && action !== 'reinitiate') {
      const message = `Active connection exists for ${slug}.`;
      results[slug] = { toolkit: slug, status: 'active', connected_account_id: active.id, message };
    } else {
      const link = state.accounts.initiateLink(s.userId, slug);
      results[slug] = {
        toolkit: slug,
        status: 'initiated',
        redirect_url: link.redirectUrl,
        connection_id: link.id,
        instruction: `Ask the user to open this link to connect Confluence: ${link.redirectUrl}`,
      };
    }
  }
  const statuses = Object.values(results).map((r) => r.status);
  const count = (status: string) => statuses.filter((x) => x === status).length;
  const summary = {
    total: statuses.length,
    active: count('active'),
    initiated: count('initiated'),
  };
  const failures = count('failed');
  const error = failures > 0 ? `${failures} toolkit(s) failed` : null;
  return {
    data: { results, summary: { ...summary, failed: failures } },
    error,
    successful: !error,
  };
}

async function waitForConnections(
  state: FakeState,
  s: SessionRecord,
  args: z.infer<typeof waitInput>,
): Promise<ToolResult> {
  const deadline = Date.now() + Math.min(args.timeout_seconds ?? 30, 120) * 1000;
  while (!state.accounts.active(s.userId) && Date.now() < deadline) await sleep(50);
  const status = state.accounts.active(s.userId) ? 'active' : 'pending';
  const results = Object.fromEntries(args.toolkits.map((tk) => [tk.toLowerCase(), { status }]));
  return { data: { results, all_active: status === 'active' }, error: null, successful: true };
}

/** Runs a meta tool (or, for any other slug, an app tool) for the session. */
export async function runTool(
  state: FakeState,
  s: SessionRecord,
  slug: string,
  rawArgs: unknown,
): Promise<ToolResult> {
  const spec = META_TOOLS[slug];
  if (!spec) return runAppTool(state, s, slug, rawArgs);
  const parsed = spec.input.safeParse(rawArgs ?? {});
  if (!parsed.success) return failed(`Invalid arguments: ${z.prettifyError(parsed.error)}`);
  const args = parsed.data;
  switch (slug) {
    case 'COMPOSIO_SEARCH_TOOLS':
      return searchTools(state, s, args as z.infer<typeof searchInput>);
    case 'COMPOSIO_GET_TOOL_SCHEMAS':
      return getToolSchemas(state, s, args as z.infer<typeof schemasInput>);
    case 'COMPOSIO_MULTI_EXECUTE_TOOL':
      return multiExecute(state, s, args as z.infer<typeof multiExecuteInput>);
    case 'COMPOSIO_MANAGE_CONNECTIONS':
      return manageConnections(state, s, args as z.infer<typeof manageInput>);
    case 'COMPOSIO_WAIT_FOR_CONNECTIONS':
      return waitForConnections(state, s, args as z.infer<typeof waitInput>);
    default:
      return failed('The remote workbench sandbox is not available in fake-composio');
  }
}
