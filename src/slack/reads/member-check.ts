import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import { createUserInfoCache } from './user-info-cache.js';

/** People remembered at most (subscription owners); the oldest answer goes first. */
const MEMBER_CACHE_MAX = 5_000;

/**
 * Whether a Slack user is still in the workspace: false only when `users.info` says the account
 * is deactivated (`deleted`, docs.slack.dev/reference/objects/user-object). Any failure to ask
 * counts as still there: a Slack hiccup must not pause a channel's subscription.
 */
export function createMemberCheck(
  client: WebClient,
  logger: Logger,
  /** How long an answer is kept (the caller: ten subscription polls). */
  cacheMs: number,
  now: () => number = Date.now,
): (teamId: string, userId: string) => Promise<boolean> {
  const isMember = createUserInfoCache(client, {
    read: (user) => user?.deleted !== true,
    fallback: (_userId, err) => {
      logger.debug({ err: { message: (err as Error).message } }, 'membership not checked');
      return true;
    },
    ttlMs: cacheMs,
    maxEntries: MEMBER_CACHE_MAX,
    now,
  });
  // One workspace a process: the bot token's. The team is part of the signature for callers.
  return (_teamId, userId) => isMember(userId);
}
