import type { WebClient } from '@slack/web-api';
import { CodedError } from '../../errors.js';
import type { Stores } from '../../store/stores.js';

/** How Slack users map to Composio user ids (SPEC §4). */
export type UserIdMode = 'slack' | 'email';

/** The default Composio user id of a Slack user: stable and scoped to the workspace. */
export function defaultComposioUserId(teamId: string, userId: string): string {
  return `slack-${teamId}-${userId}`;
}

/**
 * Returns the Composio user id for a Slack user, creating the mapping once and keeping it
 * (reading it restarts its TTL, so a mapping in use never expires).
 * In `email` mode the user's Slack e-mail is used, so connections made elsewhere apply; when
 * Slack cannot give it (users:read.email not granted, no e-mail on the profile, another users.info
 * refusal) this throws a CodedError `identity_email_unavailable` (`slack_failed` for a passing
 * failure such as a rate limit). Store failures are thrown as
 * they come (the caller reports them as the store being unavailable).
 */
export async function resolveComposioUserId(
  who: { teamId: string; userId: string },
  deps: { stores: Pick<Stores<unknown>, 'composioUsers'>; mode: UserIdMode; slack: WebClient },
): Promise<string> {
  const stored = await deps.stores.composioUsers.get(who.teamId, who.userId);
  if (stored) return stored;
  const id =
    deps.mode === 'email'
      ? await emailComposioUserId(who.userId, deps.slack)
      : defaultComposioUserId(who.teamId, who.userId);
  await deps.stores.composioUsers.set(id, who.teamId, who.userId);
  return id;
}

/** The Composio user id of a Slack user in `email` mode: their profile e-mail, lower-cased. */
async function emailComposioUserId(userId: string, slack: WebClient): Promise<string> {
  let email: string | undefined;
  try {
    email = (await slack.users.info({ user: userId })).user?.profile?.email;
  } catch (err) {
    // Slack's error code (e.g. missing_scope) is safe to log; the e-mail never goes in a message.
    const code = slackErrorOf(err);
    // Only a refusal an admin can fix gets the "ask an admin" reply; a passing failure (rate
    // limit, network) is one to try again.
    throw new CodedError(
      ADMIN_FIXABLE.has(code) ? 'identity_email_unavailable' : 'slack_failed',
      `users.info failed for the e-mail identity (${code})`,
      { cause: err },
    );
  }
  if (!email)
    throw new CodedError(
      'identity_email_unavailable',
      'users.info returned no e-mail (is the users:read.email scope granted? does the profile have one?)',
    );
  return email.trim().toLowerCase();
}

/** users.info refusals that only a change of the app's scopes or the user's account fixes. */
const ADMIN_FIXABLE = new Set([
  'missing_scope',
  'not_allowed_token_type',
  'no_permission',
  'user_not_found',
  'account_inactive',
  'invalid_auth',
  'not_authed',
]);

/** Slack's error string of a failed Web API call (`missing_scope`), else the client's code. */
function slackErrorOf(err: unknown): string {
  const e = err as { data?: { error?: unknown }; code?: unknown } | null;
  const platform = e?.data?.error;
  if (typeof platform === 'string') return platform;
  return typeof e?.code === 'string' ? e.code : 'unknown error';
}
