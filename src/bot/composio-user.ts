import type { WebClient } from '@slack/web-api';
import type { Stores } from '../store/stores.js';

/** How Slack users map to Composio user ids (SPEC §4). */
export type UserIdMode = 'slack' | 'email';

/** The default Composio user id of a Slack user: stable and scoped to the workspace. */
export function defaultComposioUserId(teamId: string, userId: string): string {
  return `slack-${teamId}-${userId}`;
}

/**
 * Returns the Composio user id for a Slack user, creating the mapping once and keeping it.
 * In `email` mode the user's Slack e-mail is used, so connections made elsewhere apply.
 */
export async function resolveComposioUserId(
  who: { teamId: string; userId: string },
  deps: { stores: Pick<Stores<unknown>, 'composioUsers'>; mode: UserIdMode; slack: WebClient },
): Promise<string> {
  const stored = await deps.stores.composioUsers.get(who.teamId, who.userId);
  if (stored) return stored;
  let id = defaultComposioUserId(who.teamId, who.userId);
  if (deps.mode === 'email') {
    const info = await deps.slack.users.info({ user: who.userId });
    const email = info.user?.profile?.email;
    if (!email)
      throw new Error('users.info returned no e-mail (is the users:read.email scope granted?)');
    id = email.toLowerCase();
  }
  await deps.stores.composioUsers.set(id, who.teamId, who.userId);
  return id;
}
