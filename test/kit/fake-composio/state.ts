/** Shared state of the fake Composio and the tool router session config it stores. */
import { z } from 'zod';
import type { AccountStore } from './accounts.js';
import type { ConfluenceEmulator } from './confluence.js';

/** Session config as the API returns it (`config` of POST/GET tool_router/session). */
export interface SessionConfig {
  user_id: string;
  toolkits?: { enabled: string[] } | { disabled: string[] };
  auth_configs: Record<string, string>;
  connected_accounts: Record<string, string[]>;
  manage_connections: {
    enabled: boolean;
    callback_url?: string;
    enable_wait_for_connections: boolean;
    enable_connection_removal: boolean;
  };
  workbench: {
    enable: boolean;
    auto_offload_threshold?: number;
    proxy_execution_enabled?: boolean;
  };
  execute: { enable_multi_execute: boolean };
  search: { enable: boolean };
  preload: { tools: string[] | 'all' };
}

/** One tool router session. */
export interface SessionRecord {
  id: string;
  userId: string;
  config: SessionConfig;
  expired: boolean;
}

/** Everything the REST and MCP handlers share. */
export interface FakeState {
  apiKey: string;
  origin: string;
  sessions: Map<string, SessionRecord>;
  accounts: AccountStore;
  confluence: ConfluenceEmulator;
  restCalls: Array<{ method: string; path: string; body: unknown }>;
  mcpCalls: Array<{ sessionId: string; method: string; tool?: string; args?: unknown }>;
  /** Sessions whose client opened the optional standalone SSE stream (GET), once per open. */
  mcpStreams: string[];
  failures: { rest: number[]; mcp: number[] };
  toolDelayMs: number;
  /** Tools per tools/list page for MCP sessions initialized from now on; 0 lists all at once. */
  toolsPageSize: number;
}

/** The toolkits the fake knows. */
export const TOOLKITS = [
  {
    slug: 'confluence',
    name: 'Confluence',
    description: 'A tool for team collaboration and knowledge management.',
    logo: 'https://logos.composio.dev/api/confluence',
  },
];

const flag = z.boolean().optional();

/** The part of the POST tool_router/session body the fake understands. */
export const createBodySchema = z.object({
  user_id: z.string().min(1),
  toolkits: z
    .object({ enable: z.array(z.string()).optional(), disable: z.array(z.string()).optional() })
    .optional(),
  auth_configs: z.record(z.string(), z.string()).optional(),
  connected_accounts: z.record(z.string(), z.array(z.string())).optional(),
  manage_connections: z
    .object({
      enable: flag,
      callback_url: z.string().optional(),
      enable_wait_for_connections: flag,
    })
    .optional(),
  workbench: z.object({ enable: flag, auto_offload_threshold: z.number().optional() }).optional(),
  execute: z.object({ enable_multi_execute: flag }).optional(),
  search: z.object({ enable: flag }).optional(),
  preload: z
    .object({ tools: z.union([z.array(z.string()), z.literal('all')]).optional() })
    .optional(),
});

/** Builds the stored config from a POST tool_router/session body (server-side defaults). */
export function buildConfig(body: z.infer<typeof createBodySchema>): SessionConfig {
  const tk = body.toolkits;
  const mc = body.manage_connections ?? {};
  const wb = body.workbench ?? {};
  return {
    user_id: body.user_id,
    ...(tk?.enable ? { toolkits: { enabled: tk.enable } } : {}),
    ...(tk?.disable ? { toolkits: { disabled: tk.disable } } : {}),
    auth_configs: body.auth_configs ?? {},
    connected_accounts: body.connected_accounts ?? {},
    manage_connections: {
      enabled: mc.enable ?? true,
      ...(mc.callback_url ? { callback_url: mc.callback_url } : {}),
      enable_wait_for_connections: mc.enable_wait_for_connections ?? false,
      enable_connection_removal: true,
    },
    workbench: {
      enable: wb.enable ?? true,
      ...(wb.auto_offload_threshold ? { auto_offload_threshold: wb.auto_offload_threshold } : {}),
    },
    execute: { enable_multi_execute: body.execute?.enable_multi_execute ?? true },
    search: { enable: body.search?.enable ?? true },
    preload: { tools: body.preload?.tools ?? [] },
  };
}

/** Whether the session may use a toolkit. */
export function toolkitEnabled(config: SessionConfig, slug: string): boolean {
  const tk = config.toolkits;
  if (!tk) return true;
  return 'enabled' in tk ? tk.enabled.includes(slug) : !tk.disabled.includes(slug);
}

/** Meta tools the session exposes, in the server's order. */
export function metaToolSlugs(config: SessionConfig): string[] {
  const slugs: string[] = [];
  if (config.search.enable) slugs.push('COMPOSIO_SEARCH_TOOLS');
  if (config.execute.enable_multi_execute) slugs.push('COMPOSIO_MULTI_EXECUTE_TOOL');
  if (config.manage_connections.enabled) {
    slugs.push('COMPOSIO_MANAGE_CONNECTIONS');
    if (config.manage_connections.enable_wait_for_connections) {
      slugs.push('COMPOSIO_WAIT_FOR_CONNECTIONS');
    }
  }
  if (config.workbench.enable) slugs.push('COMPOSIO_REMOTE_WORKBENCH', 'COMPOSIO_REMOTE_BASH_TOOL');
  if (config.search.enable) slugs.push('COMPOSIO_GET_TOOL_SCHEMAS');
  return slugs;
}

/** App tools exposed directly (preload: explicit slugs, or "all" allowed tools). */
export function preloadedSlugs(config: SessionConfig, confluence: ConfluenceEmulator): string[] {
  if (!toolkitEnabled(config, 'confluence')) return [];
  const known = confluence.tools().map((t) => t.slug);
  const wanted = config.preload.tools;
  return wanted === 'all' ? known : known.filter((slug) => wanted.includes(slug));
}

/** The session resource (POST/GET tool_router/session response). */
export function sessionJson(state: FakeState, session: SessionRecord): Record<string, unknown> {
  return {
    session_id: session.id,
    mcp: { type: 'http', url: `${state.origin}/tool_router/${session.id}/mcp` },
    tool_router_tools: [
      ...metaToolSlugs(session.config),
      ...preloadedSlugs(session.config, state.confluence),
    ],
    config: session.config,
    config_version: 1,
  };
}
