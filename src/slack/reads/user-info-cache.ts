import type { UsersInfoResponse, WebClient } from '@slack/web-api';

/** What to keep of a `users.info` answer, and how long. */
export interface UserInfoCacheOptions<T> {
  /** The value kept for a user, from their `users.info` user object. */
  read(user: UsersInfoResponse['user']): T;
  /** The value when `users.info` fails (a missing scope, an unknown or deleted user). */
  fallback(userId: string, err: unknown): T;
  ttlMs: number;
  /** Users remembered at most; the oldest answer goes first. */
  maxEntries: number;
  now?: () => number;
}

/**
 * One value per Slack user read from `users.info`, kept for `ttlMs` in a bounded cache: the
 * display names of quoted thread messages, whether a subscription's owner is still here.
 */
export function createUserInfoCache<T>(
  client: WebClient,
  o: UserInfoCacheOptions<T>,
): (userId: string) => Promise<T> {
  const now = o.now ?? Date.now;
  const cache = new Map<string, { value: T; at: number }>();
  return async (userId) => {
    const hit = cache.get(userId);
    if (hit && now() - hit.at < o.ttlMs) return hit.value;
    const value = await client.users
      .info({ user: userId })
      .then((res) => o.read(res.user))
      .catch((err: unknown) => o.fallback(userId, err));
    cache.delete(userId);
    if (cache.size >= o.maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(userId, { value, at: now() });
    return value;
  };
}
