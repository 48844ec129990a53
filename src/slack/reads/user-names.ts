import type { WebClient } from '@slack/web-api';

// A workspace's active posters fit many times over; only bounds the memory of a huge one.
const MAX_NAMES = 1000;
// Display names rarely change: an hour-old one is fine in quoted thread context.
const NAME_TTL_MS = 60 * 60_000;

/** Resolves Slack user ids to display names, with a small bounded cache. */
export interface UserNames {
  nameOf(userId: string): Promise<string>;
}

/** Creates the resolver; unknown users fall back to their id, never an error. */
export function createUserNames(
  client: WebClient,
  maxEntries = MAX_NAMES,
  ttlMs = NAME_TTL_MS,
): UserNames {
  const cache = new Map<string, { name: string; at: number }>();
  return {
    async nameOf(userId) {
      const hit = cache.get(userId);
      if (hit && Date.now() - hit.at < ttlMs) return hit.name;
      let name = userId;
      try {
        const { user } = await client.users.info({ user: userId });
        name = user?.profile?.display_name || user?.real_name || user?.name || userId;
      } catch {
        // A missing scope or a deleted user: show the id.
      }
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(userId, { name, at: Date.now() });
      return name;
    },
  };
}
