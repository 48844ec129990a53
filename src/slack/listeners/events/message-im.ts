import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { stripMention } from '../../../turns/turn-request.js';

interface DirectMessage {
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

/** The reply to a message that holds only files, which the agent cannot read. */
export const FILES_ONLY_REPLY =
  "I can't read attached files yet. Tell me in words what you'd like me to do in Confluence.";

/** Handles direct messages: every human message in the DM is a request, answered in its thread. */
export function createDirectMessageListener(dispatcher: TurnDispatcher) {
  return async ({
    event,
    body,
    context,
    client,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    const message = event as unknown as DirectMessage;
    if (message.channel_type !== 'im') {
      // In channels the bot acts only when mentioned (app_mention).
      logger.debug(`message outside a DM ignored (${message.channel_type ?? 'unknown'})`);
      return;
    }
    // Edits, deletions, joins and bot posts (ours included) are not requests.
    if ((message.subtype && message.subtype !== 'file_share') || message.bot_id || !message.user) {
      logger.debug(`direct message ignored (subtype ${message.subtype ?? 'none'})`);
      return;
    }
    const threadTs = message.thread_ts ?? message.ts;
    const text = stripMention(message.text ?? '', context.botUserId);
    if (!text && message.files?.length) {
      await client.chat.postMessage({
        channel: message.channel,
        thread_ts: threadTs,
        text: FILES_ONLY_REPLY,
      });
      return;
    }
    await dispatcher.submit({
      kind: 'turn',
      request: {
        id: body.event_id,
        source: 'dm',
        teamId: context.teamId ?? body.team_id,
        channel: message.channel,
        threadTs,
        messageTs: message.ts,
        userId: message.user,
        text,
      },
    });
  };
}
