import type { WebClient } from '@slack/web-api';
import { createUserInfoCache } from './user-info-cache.js';

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
  const nameOf = createUserInfoCache(client, {
    read: (user) => user?.profile?.display_name || user?.real_name || user?.name,
    // A missing scope or a deleted user: show the id.
    fallback: () => undefined,
    ttlMs,
    maxEntries,
  });
  return { nameOf: async (userId) => (await nameOf(userId)) || userId };
}
