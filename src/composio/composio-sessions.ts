import { buildToolCatalog, type ToolCatalog } from '../agent/tool-schema.js';
import type { ToolHost } from '../agent/types.js';
import { bestEffort, type Logger } from '../logger.js';
import type { StringRecord } from '../store/stores.js';
import type { ComposioLike } from './composio-like.js';
import { connectMcpToolHost } from './mcp-tool-host.js';
import { type Connection, RenewingConnection } from './renewing-connection.js';
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

/** A user's tools as cached in this process, with the timer that closes them when idle. */
interface CacheEntry {
  tools: Promise<UserTools & { close(): Promise<void> }>;
  timer?: NodeJS.Timeout;
}

/** An MCP connection unused this long is closed: a person's next turn reopens it in ~1 s. */
export const IDLE_CLOSE_MS = 10 * 60_000;
/**
 * Open MCP connections kept per process (least recently used go first). A connection costs a few
 * KB of JS heap and no socket of its own (every session's MCP URL is on one origin, served by
 * the shared keep-alive pool), while a bound below the people active within the idle time makes
 * each of their turns reconnect: a session lookup, initialize and tools/list, then a DELETE when
 * dropped. With 200, 1,000 people taking turns in rotation reconnected on every turn (the bench's
 * load: ~5 ms more CPU a turn, docs/performance.md); the idle close bounds the rest.
 */
export const MAX_OPEN_CONNECTIONS = 2_000;

/**
 * One Tool Router session per Composio user, created once (its id kept in the store, so every
 * replica reuses it), and one cached MCP connection per user in this process. A session that
 * expires is recreated and the call retried once, without the caller noticing.
 */
export function createSessionProvider(options: SessionProviderOptions): SessionProvider {
  const { logger } = options;
  const idleMs = options.idleMs ?? IDLE_CLOSE_MS;
  const maxConnections = options.maxConnections ?? MAX_OPEN_CONNECTIONS;
  const cache = new Map<string, CacheEntry>();

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

  async function catalogOf(connection: Connection): Promise<ToolCatalog> {
    try {
      return buildToolCatalog(await connection.host.listTools());
    } catch (err) {
      await connection.host.close();
      throw err;
    }
  }

  async function open(userId: string): Promise<UserTools & { close(): Promise<void> }> {
    const first = await connect(userId);
    const catalog = await catalogOf(first);
    const live = new RenewingConnection(
      first,
      (staleId) => connect(userId, staleId),
      logger.child({ composioUserId: userId }),
    );
    // Dropped from the cache (idle, or least recently used) while a turn still holds these
    // tools: its later calls go through the user's current connection instead of a closed one.
    let dropped = false;
    const host: ToolHost = {
      listTools: async () =>
        dropped ? (await forUser(userId)).host.listTools() : live.listTools(),
      async callTool(name, args) {
        if (dropped) return (await forUser(userId)).host.callTool(name, args);
        touch(userId); // in use: not idle, and most recently used
        return live.callTool(name, args);
      },
    };
    return {
      host,
      catalog,
      close: () => {
        dropped = true;
        return live.close();
      },
    };
  }

  /** Closes a cached connection; one that never opened has nothing to close. */
  function closeEntry(entry: CacheEntry): Promise<void> {
    return bestEffort(
      logger,
      'close an MCP connection',
      'a connection that failed to open or to close holds nothing the next turn needs',
      entry.tools.then((t) => t.close()),
    );
  }

  function drop(userId: string) {
    const entry = cache.get(userId);
    if (!entry) return;
    cache.delete(userId);
    if (entry.timer) clearTimeout(entry.timer);
    // Closing waits for calls still running on that connection.
    void closeEntry(entry);
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
          await closeEntry(e);
        }),
      );
    },
  };
}
