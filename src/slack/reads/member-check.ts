import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';

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
  const known = new Map<string, { member: boolean; at: number }>();
  return async (teamId, userId) => {
    const key = `${teamId}:${userId}`;
    const cached = known.get(key);
    if (cached && now() - cached.at < cacheMs) return cached.member;
    const member = await client.users
      .info({ user: userId })
      .then((res) => res.user?.deleted !== true)
      .catch((err) => {
        logger.debug({ err: { message: (err as Error).message } }, 'membership not checked');
        return true;
      });
    known.delete(key);
    known.set(key, { member, at: now() });
    if (known.size > MEMBER_CACHE_MAX) known.delete(known.keys().next().value!);
    return member;
  };
}
