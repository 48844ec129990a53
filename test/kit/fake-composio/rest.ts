/** The fake's REST API: tool router sessions and connected accounts under /api/v3.1. */
import { z } from 'zod';
import { AUTH_CONFIG, accountJson } from './accounts.js';
import { composioError, newId } from './http.js';
import { META_TOOLS, searchInput } from './meta-schemas.js';
import { searchTools } from './meta-search.js';
import { runTool } from './meta-tools.js';
import {
  buildConfig,
  createBodySchema,
  type FakeState,
  type SessionRecord,
  sessionJson,
  TOOLKITS,
  toolkitEnabled,
} from './state.js';

/** A REST answer. */
export interface RestReply {
  status: number;
  body: unknown;
}

type Body = Record<string, unknown>;
const ok = (body: unknown, status = 200): RestReply => ({ status, body });
const err = (status: number, message: string, slug?: string): RestReply => ({
  status,
  body: composioError(status, message, slug),
});

/** Comma-separated (or repeated) list query parameter, undefined when absent. */
function listParam(url: URL, name: string): string[] | undefined {
  const values = [...url.searchParams.getAll(name), ...url.searchParams.getAll(`${name}[]`)];
  const items = values.flatMap((v) => v.split(',')).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

const page = (items: unknown[]) => ({
  items,
  next_cursor: null,
  total_pages: 1,
  current_page: 1,
  total_items: items.length,
});

/** Answers one authorised REST request. */
export async function handleRest(
  state: FakeState,
  method: string,
  url: URL,
  rawBody: unknown,
): Promise<RestReply> {
  const body = (rawBody && typeof rawBody === 'object' ? rawBody : {}) as Body;
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/api/v3.1/tool_router/session' && method === 'POST') {
    const parsed = createBodySchema.safeParse(body);
    if (!parsed.success) return err(400, z.prettifyError(parsed.error), 'ToolRouterV2_BadRequest');
    const session: SessionRecord = {
      id: newId('trs_'),
      userId: parsed.data.user_id,
      config: buildConfig(parsed.data),
      expired: false,
    };
    state.sessions.set(session.id, session);
    return ok(sessionJson(state, session), 201);
  }
  const sessionMatch = /^\/api\/v3\.1\/tool_router\/session\/([^/]+)(?:\/(\w+))?$/.exec(path);
  if (sessionMatch) {
    const session = state.sessions.get(sessionMatch[1]!);
    if (!session || session.expired) {
      return err(
        404,
        `Tool router session ${sessionMatch[1]} not found`,
        'ToolRouterV2_SessionNotFound',
      );
    }
    return sessionRoute(state, session, method, sessionMatch[2] ?? '', url, body);
  }
  if (path === '/api/v3.1/connected_accounts' && method === 'GET') {
    const items = state.accounts.list({
      userIds: listParam(url, 'user_ids'),
      toolkitSlugs: listParam(url, 'toolkit_slugs'),
      statuses: listParam(url, 'statuses'),
      ids: listParam(url, 'connected_account_ids'),
    });
    return ok(page(items.map(accountJson)));
  }
  const accountMatch = /^\/api\/v3\.1\/connected_accounts\/([^/]+)$/.exec(path);
  if (accountMatch && (method === 'GET' || method === 'DELETE')) {
    const account = state.accounts.get(accountMatch[1]!);
    if (!account) return err(404, 'Connected account not found', 'ConnectedAccount_NotFound');
    if (method === 'GET') return ok(accountJson(account));
    state.accounts.delete(account.id);
    return ok({ success: true });
  }
  return err(404, `Route ${method} ${url.pathname} not found`, 'NotFound');
}

async function sessionRoute(
  state: FakeState,
  session: SessionRecord,
  method: string,
  sub: string,
  url: URL,
  body: Body,
): Promise<RestReply> {
  const route = `${method} ${sub}`;
  if (route === 'GET ') return ok(sessionJson(state, session));
  if (route === 'POST link') {
    const toolkit = String(body.toolkit ?? '').toLowerCase();
    if (!TOOLKITS.some((tk) => tk.slug === toolkit) || !toolkitEnabled(session.config, toolkit)) {
      return err(400, `Toolkit ${body.toolkit} is not available in this session`, 'BadRequest');
    }
    const link = state.accounts.initiateLink(session.userId, toolkit);
    return ok(
      {
        link_token: link.linkToken,
        redirect_url: link.redirectUrl,
        connected_account_id: link.id,
      },
      201,
    );
  }
  if (route === 'GET toolkits') {
    const wanted = listParam(url, 'toolkits');
    const connectedFilter = url.searchParams.get('is_connected');
    const items = TOOLKITS.filter((tk) =>
      wanted ? wanted.includes(tk.slug) : toolkitEnabled(session.config, tk.slug),
    )
      .map((tk) => {
        const active = state.accounts.active(session.userId);
        return {
          slug: tk.slug,
          name: tk.name,
          enabled: toolkitEnabled(session.config, tk.slug),
          is_no_auth: false,
          composio_managed_auth_schemes: ['OAUTH2'],
          meta: { description: tk.description, logo: tk.logo },
          connected_account: active
            ? {
                id: active.id,
                status: active.status,
                auth_config: AUTH_CONFIG,
                created_at: active.createdAt,
                user_id: active.userId,
              }
            : null,
        };
      })
      .filter(
        (item) => connectedFilter === null || String(!!item.connected_account) === connectedFilter,
      );
    return ok(page(items));
  }
  if (route === 'POST execute' || route === 'POST execute_meta') {
    const slug = String(sub === 'execute' ? body.tool_slug : body.slug);
    if (!(slug in META_TOOLS) && !state.confluence.toolInfo(slug)) {
      return err(404, `Tool ${slug} not found`, 'Tool_ToolNotFound');
    }
    const result = await runTool(state, session, slug, body.arguments ?? {});
    return ok({ data: result.data, error: result.error, log_id: newId('log_') });
  }
  if (route === 'POST search') {
    const parsed = searchInput.safeParse(body);
    if (!parsed.success) return err(400, z.prettifyError(parsed.error), 'BadRequest');
    return ok(searchTools(state, session, parsed.data).data);
  }
  return err(404, `Route ${method} ${url.pathname} not found`, 'NotFound');
}
