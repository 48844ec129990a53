import type { WebClient } from '@slack/web-api';

/** Resolves Slack user ids to display names, with a small bounded cache. */
export interface UserNames {
  nameOf(userId: string): Promise<string>;
}

/** Creates the resolver; unknown users fall back to their id, never an error. */
export function createUserNames(
  client: WebClient,
  maxEntries = 1000,
  ttlMs = 60 * 60_000,
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
