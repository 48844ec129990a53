import { CodedError, withCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { StringRecord } from '../store/stores.js';
import type { ComposioLike, ToolRouterSession } from './composio-like.js';
import type { ConnectionService, ConnectionStatus } from './connections.js';
import { createSessionOpener } from './session-opener.js';

/** Options for {@link createConnectionService}. */
export interface ConnectionServiceOptions {
  composio: ComposioLike;
  /** The same session-id store the agent's session provider uses: one session per user. */
  sessionIds: StringRecord<[composioUserId: string]>;
  toolkits: string[];
  logger: Logger;
}

/** Raised when Composio starts a Connect Link but hands back no URL to send the user to. */
export class ConnectLinkMissingError extends CodedError {
  constructor(readonly toolkit: string) {
    super('connect_link_missing', `Composio returned no connect link for ${toolkit}`);
  }
}

// Bounds the pages read when removing accounts (Composio pages hold dozens of items).
const MAX_ACCOUNT_PAGES = 20;

/** The session-id store, its failures raised as `store_unavailable` rather than Composio's. */
function codedSessionIds(
  sessionIds: StringRecord<[composioUserId: string]>,
): StringRecord<[composioUserId: string]> {
  return {
    get: (userId) =>
      withCode('store_unavailable', 'session id load failed', () => sessionIds.get(userId)),
    set: (value, userId) =>
      withCode('store_unavailable', 'session id save failed', () => sessionIds.set(value, userId)),
    delete: (userId) =>
      withCode('store_unavailable', 'session id delete failed', () => sessionIds.delete(userId)),
  };
}

/**
 * ConnectionService over Composio: status and links through the user's Tool Router session
 * (the agent's own, reused by id), removal through the connected-accounts API.
 */
export function createConnectionService(options: ConnectionServiceOptions): ConnectionService {
  const { composio, toolkits, logger } = options;
  const openSession = createSessionOpener({
    ...options,
    sessionIds: codedSessionIds(options.sessionIds),
  });

  /** Runs `work` on the user's session (the stored one, checked by the lookup, or a new one). */
  const withSession = async <T>(
    userId: string,
    work: (session: ToolRouterSession) => Promise<T>,
  ): Promise<T> => work(await openSession(userId));

  async function statusOf(session: ToolRouterSession, wanted: string[]) {
    const { items } = await session.toolkits({ toolkits: wanted });
    return wanted.map((toolkit): ConnectionStatus => {
      const item = items.find((i) => i.slug.toLowerCase() === toolkit);
      const account = item?.connection?.connectedAccount;
      const connected = Boolean(item?.isNoAuth || item?.connection?.isActive);
      return { toolkit, connected, ...(connected && account ? { accountId: account.id } : {}) };
    });
  }

  return {
    status: (userId) =>
      withCode('tools_unavailable', 'Composio status failed', () =>
        withSession(userId, (session) => statusOf(session, toolkits)),
      ),

    connect: (userId, toolkit) =>
      withCode('tools_unavailable', 'Composio connect failed', () =>
        withSession(userId, async (session) => {
          const slug = toolkit.toLowerCase();
          const [current] = await statusOf(session, [slug]);
          if (current?.connected) return null;
          const request = await session.authorize(slug);
          if (!request.redirectUrl) throw new ConnectLinkMissingError(slug);
          return { redirectUrl: request.redirectUrl };
        }),
      ),

    disconnect: (userId, toolkit) =>
      withCode('tools_unavailable', 'Composio disconnect failed', () =>
        disconnect(userId, toolkit),
      ),
  };

  /** Removes every connected account the user has for `toolkit`; returns how many. */
  async function disconnect(userId: string, toolkit: string): Promise<number> {
    const query = { userIds: [userId], toolkitSlugs: [toolkit.toLowerCase()] };
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_ACCOUNT_PAGES; page++) {
      const result = await composio.connectedAccounts.list({ ...query, cursor });
      ids.push(...result.items.map((a) => a.id));
      cursor = result.nextCursor ?? undefined;
      if (!cursor || !result.items.length) break;
    }
    // Deleting a connected account revokes it at Composio.
    for (const id of ids) await composio.connectedAccounts.delete(id);
    logger.info({ composioUserId: userId, toolkit, removed: ids.length }, 'accounts removed');
    return ids.length;
  }
}
