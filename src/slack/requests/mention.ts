import type { TurnRequest } from '../../turns/turn-request.js';
import { fileRefsOf } from './files.js';

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
  /** Attached files (file objects, read with fileRefsOf). */
  files?: unknown[];
}

/** Removes the bot's own @-mention and surrounding space from a message's text. */
export function stripMention(text: string, botUserId?: string): string {
  const own = botUserId
    ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g')
    : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
}

/** The ids a message event is read with: its delivery, its workspace, and the bot's own user. */
export interface MessageIds {
  eventId: string;
  teamId: string;
  botUserId?: string;
}

/**
 * A request from a message a person posted (a mention, or a DM), answered in its thread
 * (`thread_ts ?? ts`), its text without the bot's own mention, its files by reference.
 */
export function requestFromMessage(
  source: 'mention' | 'dm',
  message: {
    user: string;
    text?: string;
    ts: string;
    thread_ts?: string;
    channel: string;
    files?: unknown;
  },
  ids: MessageIds,
): TurnRequest {
  const files = fileRefsOf(message.files);
  return {
    id: ids.eventId,
    source,
    teamId: ids.teamId,
    channel: message.channel,
    threadTs: message.thread_ts ?? message.ts,
    messageTs: message.ts,
    userId: message.user,
    text: stripMention(message.text ?? '', ids.botUserId),
    ...(files && { files }),
  };
}

/** Maps an app_mention to a turn request; none for a mention no person wrote. */
export function turnRequestFromMention(
  event: MentionEvent,
  ids: MessageIds,
): TurnRequest | undefined {
  if (!event.user || event.bot_id) return undefined;
  return requestFromMessage('mention', { ...event, user: event.user }, ids);
}
