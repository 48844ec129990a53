import type { TurnRequest } from '../../turns/turn-request.js';
import { type MessageIds, requestFromMessage } from './mention.js';

/** The fields of a `message` event in the bot's DM that this app reads. */
export interface DirectMessage {
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  files?: unknown[];
}

/** Why a `message` event is not a request: the listener logs it and does nothing else. */
export type NotARequest = { ignored: 'not_a_dm' | 'not_a_person' };

/**
 * Maps a direct message to a turn request, replied to in `thread_ts ?? ts`; or says why it is
 * none. In channels the bot acts only when mentioned (app_mention); edits, deletions, joins and
 * bot posts (ours included) are not requests. A DM thread is not read back: in the bot's DM every
 * message a person posts is a turn of its own (in the history), and the thread read skips the
 * bot's, so it would find nothing new; a channel thread is read for what others posted in it.
 */
export function turnRequestFromDirectMessage(
  message: DirectMessage,
  ids: MessageIds,
): TurnRequest | NotARequest {
  if (message.channel_type !== 'im') return { ignored: 'not_a_dm' };
  if ((message.subtype && message.subtype !== 'file_share') || message.bot_id || !message.user)
    return { ignored: 'not_a_person' };
  return {
    ...requestFromMessage('dm', { ...message, user: message.user }, ids),
    threadContext: 'none',
  };
}
