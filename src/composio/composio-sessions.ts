import { errorOutcome } from '../agent/tool-result.js';
import { buildToolCatalog, type ToolCatalog } from '../agent/tool-schema.js';
import type { ToolHost } from '../agent/types.js';
import type { Logger } from '../logger.js';
import type { StringRecord } from '../store/stores.js';
import type { ComposioLike } from './composio-like.js';
import { connectMcpToolHost, type McpToolHost, SessionExpiredError } from './mcp-tool-host.js';
import { createSessionOpener } from './session-opener.js';

export type { ComposioLike, SessionConfig, ToolRouterSession } from './composio-like.js';

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
  /** At most this many users' MCP connections stay open in this process (least recently used go first). */
  maxConnections?: number;
  toolCallTimeoutMs?: number;
}

interface Connection {
  host: McpToolHost;
  sessionId: string;
  /** Calls running on this connection; a replaced connection closes once they are done. */
  inFlight: number;
  retired: boolean;
}

/** Closes a connection now, or once its last call settles (closing aborts calls in flight). */
async function retire(connection: Connection): Promise<void> {
  connection.retired = true;
  if (!connection.inFlight) await connection.host.close();
}

async function callOn(connection: Connection, name: string, args: Record<string, unknown>) {
  connection.inFlight += 1;
  try {
    return await connection.host.callTool(name, args);
  } finally {
    connection.inFlight -= 1;
    if (connection.retired && !connection.inFlight) void connection.host.close();
  }
}

/**
 * One Tool Router session per Composio user, created once (its id kept in the store, so every
 * replica reuses it), and one cached MCP connection per user in this process. A session that
 * expires is recreated and the call retried once, without the caller noticing.
 */
export function createSessionProvider(options: SessionProviderOptions): SessionProvider {
  const { logger } = options;
  const idleMs = options.idleMs ?? 10 * 60_000;
  const maxConnections = options.maxConnections ?? 200;
  const cache = new Map<
    string,
    { tools: Promise<UserTools & { close(): Promise<void> }>; timer?: NodeJS.Timeout }
  >();

  const openSession = createSessionOpener(options);

  async function connect(userId: string, staleId?: string): Promise<Connection> {
    const session = await openSession(userId, staleId);
    const host = await connectMcpToolHost({
      url: session.mcp.url,
      headers: session.mcp.headers ?? {},
      callTimeoutMs: options.toolCallTimeoutMs,
    });
    return { host, sessionId: session.sessionId, inFlight: 0, retired: false };
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
        current = await connect(userId, stale.sessionId);
        // Calls still out on the old connection get their own 404 and retry on the new one.
        void retire(stale);
        return current;
      })().finally(() => {
        reconnecting = undefined;
      });
      return reconnecting;
    };
    // Dropped from the cache (idle, or least recently used) while a turn still holds these
    // tools: its later calls go through the user's current connection instead of a closed one.
    let dropped = false;
    const host: ToolHost = {
      listTools: async () =>
        dropped ? (await forUser(userId)).host.listTools() : current.host.listTools(),
      async callTool(name, args) {
        if (dropped) return (await forUser(userId)).host.callTool(name, args);
        touch(userId); // in use: not idle, and most recently used
        const used = current;
        try {
          return await callOn(used, name, args);
        } catch (err) {
          if (!(err instanceof SessionExpiredError)) throw err;
          try {
            return await callOn(await reconnect(used), name, args);
          } catch (retryErr) {
            return errorOutcome(
              `Tool ${name} failed after reconnecting: ${(retryErr as Error).message}`,
            );
          }
        }
      },
    };
    return {
      host,
      catalog,
      close: () => {
        dropped = true;
        return retire(current);
      },
    };
  }

  function drop(userId: string) {
    const entry = cache.get(userId);
    if (!entry) return;
    cache.delete(userId);
    if (entry.timer) clearTimeout(entry.timer);
    // Closing waits for calls still running on that connection.
    void entry.tools.then((t) => t.close()).catch(() => {});
  }

  function touch(userId: string) {
    const entry = cache.get(userId);
    if (!entry) return;
    // Map order is recency order: the first key is the least recently used.
    cache.delete(userId);
    cache.set(userId, entry);
    while (cache.size > maxConnections) drop(cache.keys().next().value as string);
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => drop(userId), idleMs);
    entry.timer.unref();
  }

  let closed = false;
  async function forUser(userId: string): Promise<UserTools> {
    if (closed) throw new Error('the session provider is closed');
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
  }

  return {
    forUser,
    async close() {
      closed = true;
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
