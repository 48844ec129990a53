import type { Logger } from '../logger.js';
import type { StringRecord } from '../store/stores.js';
import { connectMcpToolHost, type McpToolHost, SessionExpiredError } from './mcp-tool-host.js';
import { errorOutcome } from './tool-result.js';
import { buildToolCatalog, type ToolCatalog } from './tool-schema.js';
import type { ToolHost } from './types.js';

/** The narrow part of `@composio/core`'s Composio class this module uses. */
export interface ComposioLike {
  create(userId: string, config: SessionConfig): Promise<ToolRouterSession>;
  use(id: string, options: { mcp: true }): Promise<ToolRouterSession>;
}

/** How every Tool Router session of this app is configured. */
export interface SessionConfig {
  toolkits: string[];
  manageConnections: boolean;
  mcp: true;
  sandbox?: { enable: boolean };
}

/** The parts of a Tool Router session the agent needs. */
export interface ToolRouterSession {
  sessionId: string;
  mcp: { url: string; headers?: Record<string, string> };
}

/** One user's tools: a self-healing MCP connection and its converted, stable tool list. */
export interface UserTools {
  host: ToolHost;
  catalog: ToolCatalog;
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

interface Connection {
  host: McpToolHost;
  sessionId: string;
}

/**
 * One Tool Router session per Composio user, created once (its id kept in the store, so every
 * replica reuses it), and one cached MCP connection per user in this process. A session that
 * expires is recreated and the call retried once, without the caller noticing.
 */
export function createSessionProvider(options: SessionProviderOptions): SessionProvider {
  const { composio, sessionIds, logger } = options;
  const idleMs = options.idleMs ?? 10 * 60_000;
  const cache = new Map<
    string,
    { tools: Promise<UserTools & { close(): Promise<void> }>; timer?: NodeJS.Timeout }
  >();

  async function openSession(userId: string, fresh: boolean) {
    const storedId = fresh ? null : await sessionIds.get(userId);
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

  async function connect(userId: string, fresh = false): Promise<Connection> {
    const session = await openSession(userId, fresh);
    const host = await connectMcpToolHost({
      url: session.mcp.url,
      headers: session.mcp.headers ?? {},
      callTimeoutMs: options.toolCallTimeoutMs,
    });
    return { host, sessionId: session.sessionId };
  }

  async function open(userId: string): Promise<UserTools & { close(): Promise<void> }> {
    let current = await connect(userId);
    let catalog: ToolCatalog;
    try {
      catalog = buildToolCatalog(await current.host.listTools());
    } catch (err) {
      await current.host.close();
      throw err;
    }
    let reconnecting: Promise<Connection> | undefined;
    const reconnect = (stale: Connection) => {
      if (current !== stale) return Promise.resolve(current);
      reconnecting ??= (async () => {
        logger.info(
          { composioUserId: userId, sessionId: stale.sessionId },
          'tool router session expired; recreating',
        );
        await stale.host.close();
        current = await connect(userId, true);
        return current;
      })().finally(() => {
        reconnecting = undefined;
      });
      return reconnecting;
    };
    const host: ToolHost = {
      listTools: () => current.host.listTools(),
      async callTool(name, args) {
        const used = current;
        try {
          return await used.host.callTool(name, args);
        } catch (err) {
          if (!(err instanceof SessionExpiredError)) throw err;
          try {
            return await (await reconnect(used)).host.callTool(name, args);
          } catch (retryErr) {
            return errorOutcome(
              `Tool ${name} failed after reconnecting: ${(retryErr as Error).message}`,
            );
          }
        }
      },
    };
    return { host, catalog, close: () => current.host.close() };
  }

  function touch(userId: string) {
    const entry = cache.get(userId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      cache.delete(userId);
      void entry.tools.then((t) => t.close()).catch(() => {});
    }, idleMs);
    entry.timer.unref();
  }

  return {
    async forUser(userId) {
      let entry = cache.get(userId);
      if (!entry) {
        const tools = open(userId);
        entry = { tools };
        cache.set(userId, entry);
        // A failed connection is not cached: the next turn tries again.
        tools.catch(() => cache.delete(userId));
      }
      touch(userId);
      return entry.tools;
    },
    async close() {
      const entries = [...cache.values()];
      cache.clear();
      await Promise.all(
        entries.map(async (e) => {
          if (e.timer) clearTimeout(e.timer);
          await e.tools.then((t) => t.close()).catch(() => {});
        }),
      );
    },
  };
}
