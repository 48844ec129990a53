import type { WebClient } from '@slack/web-api';

// What Slack answers when the bot is not a member of the conversation it tried to use.
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);

/** True when a Web API call failed because the bot is not in that conversation. */
export function isNotInChannel(err: unknown): boolean {
  const code = (err as { data?: { error?: unknown } })?.data?.error;
  return typeof code === 'string' && NOT_A_MEMBER.has(code);
}

/** Tells one user something in their DM with the app (where only they can see it). */
export async function tellPrivately(
  client: WebClient,
  userId: string,
  text: string,
): Promise<void> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  await client.chat.postMessage({ channel, text });
}
