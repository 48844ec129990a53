import type { Logger } from '../logger.js';
import type { StringRecord } from '../store/stores.js';
import { connectMcpToolHost, type McpToolHost } from './mcp-tool-host.js';
import { buildToolCatalog, type ToolCatalog } from './tool-schema.js';

/** The narrow part of `@composio/core`'s Composio class this module uses. */
export interface ComposioLike {
  create(
    userId: string,
    config: {
      toolkits: string[];
      manageConnections: boolean;
      mcp: true;
      sandbox?: { enable: boolean };
    },
  ): Promise<ToolRouterSession>;
  use(id: string, options: { mcp: true }): Promise<ToolRouterSession>;
}

/** The parts of a Tool Router session the agent needs. */
export interface ToolRouterSession {
  sessionId: string;
  mcp: { url: string; headers?: Record<string, string> };
}

/** One user's tools: the live MCP connection and its converted, stable tool list. */
export interface UserTools {
  host: McpToolHost;
  catalog: ToolCatalog;
  sessionId: string;
}

/** Hands out each Composio user's tools, reusing sessions and MCP connections. */
export interface SessionProvider {
  forUser(composioUserId: string): Promise<UserTools>;
  close(): Promise<void>;
}

/** Options for {@link createSessionProvider}. */
export interface SessionProviderOptions {
  composio: ComposioLike;
  sessionIds: StringRecord<[composioUserId: string]>;
  toolkits: string[];
  logger: Logger;
  /** MCP connections unused this long are closed. */
  idleMs?: number;
  toolCallTimeoutMs?: number;
}

/**
 * One Tool Router session per Composio user, created once (id kept in the store, so every
 * replica reuses it) and one cached MCP connection per user in this process.
 */
export function createSessionProvider(options: SessionProviderOptions): SessionProvider {
  const { composio, sessionIds, logger } = options;
  const idleMs = options.idleMs ?? 10 * 60_000;
  const cache = new Map<string, { tools: Promise<UserTools>; timer?: NodeJS.Timeout }>();

  async function openSession(userId: string): Promise<ToolRouterSession> {
    const storedId = await sessionIds.get(userId);
    if (storedId) {
      try {
        return await composio.use(storedId, { mcp: true });
      } catch (err) {
        logger.warn(
          { err, composioUserId: userId },
          'stored tool router session unusable; creating a new one',
        );
      }
    }
    const session = await composio.create(userId, {
      toolkits: options.toolkits,
      manageConnections: true,
      mcp: true,
      // A Confluence assistant has no use for Composio's code sandbox tools.
      sandbox: { enable: false },
    });
    await sessionIds.set(session.sessionId, userId);
    logger.info(
      { composioUserId: userId, sessionId: session.sessionId },
      'tool router session created',
    );
    return session;
  }

  async function connect(userId: string): Promise<UserTools> {
    const session = await openSession(userId);
    const host = await connectMcpToolHost({
      url: session.mcp.url,
      headers: session.mcp.headers ?? {},
      callTimeoutMs: options.toolCallTimeoutMs,
    });
    try {
      const catalog = buildToolCatalog(await host.listTools());
      return { host, catalog, sessionId: session.sessionId };
    } catch (err) {
      await host.close();
      throw err;
    }
  }

  function evictLater(userId: string) {
    const entry = cache.get(userId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      cache.delete(userId);
      void entry.tools.then((t) => t.host.close()).catch(() => {});
    }, idleMs);
    entry.timer.unref();
  }

  return {
    async forUser(userId) {
      let entry = cache.get(userId);
      if (!entry) {
        entry = { tools: connect(userId) };
        cache.set(userId, entry);
        // A failed connection is not cached: the next turn tries again.
        entry.tools.catch(() => cache.delete(userId));
      }
      evictLater(userId);
      return entry.tools;
    },
    async close() {
      const entries = [...cache.values()];
      cache.clear();
      await Promise.all(
        entries.map(async (e) => {
          if (e.timer) clearTimeout(e.timer);
          await e.tools.then((t) => t.host.close()).catch(() => {});
        }),
      );
    },
  };
}
