import type { Logger } from '../logger.js';
import type { StringRecord } from '../store/stores.js';
import type { ComposioLike, ToolRouterSession } from './composio-like.js';

/** What {@link createSessionOpener} needs. */
export interface SessionOpenerOptions {
  composio: ComposioLike;
  /** Composio user id → Tool Router session id, shared by every replica. */
  sessionIds: StringRecord<[composioUserId: string]>;
  toolkits: string[];
  logger: Logger;
}

/** Opens a user's Tool Router session: the stored one when it still works, else a new one. */
export type SessionOpener = (
  composioUserId: string,
  /** A session id known to be dead: never reused, even when it is still the stored one. */
  staleId?: string,
) => Promise<ToolRouterSession>;

/**
 * One Tool Router session per Composio user, its id kept in the store so every replica and
 * every service (agent tools, connection management) reuses it. A stored id other than
 * `staleId` is tried first: another replica may already have replaced an expired session.
 */
export function createSessionOpener(options: SessionOpenerOptions): SessionOpener {
  const { composio, sessionIds, logger } = options;
  return async (userId, staleId) => {
    const storedId = await sessionIds.get(userId);
    if (storedId && storedId !== staleId) {
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
  };
}
