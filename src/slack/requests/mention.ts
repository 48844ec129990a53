import type { TurnRequest } from '../../turns/turn-request.js';

/** The fields of an `app_mention` event this app reads. */
export interface MentionEvent {
  type: 'app_mention';
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  team?: string;
  bot_id?: string;
}

/** Removes the bot's own @-mention and surrounding space from a message's text. */
export function stripMention(text: string, botUserId?: string): string {
  const own = botUserId
    ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g')
    : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
}

/** Maps an app_mention to a turn request; replies go to `thread_ts ?? ts`. */
export function turnRequestFromMention(
  event: MentionEvent,
  ids: { eventId: string; teamId: string; botUserId?: string },
): TurnRequest | undefined {
  if (!event.user || event.bot_id) return undefined;
  return {
    id: ids.eventId,
    source: 'mention',
    teamId: ids.teamId,
    channel: event.channel,
    threadTs: event.thread_ts ?? event.ts,
    messageTs: event.ts,
    userId: event.user,
    text: stripMention(event.text ?? '', ids.botUserId),
  };
}
