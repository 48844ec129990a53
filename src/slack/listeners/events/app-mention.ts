import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { type MentionEvent, turnRequestFromMention } from '../../requests/mention.js';
import { FILES_ONLY_REPLY } from './message-im.js';

/** Handles `app_mention`: turns it into a request for the agent, answered in its thread. */
export function createAppMentionListener(dispatcher: TurnDispatcher) {
  return async ({
    event,
    body,
    context,
    client,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>) => {
    const request = turnRequestFromMention(event as MentionEvent, {
      eventId: body.event_id,
      teamId: context.teamId ?? body.team_id,
      botUserId: context.botUserId,
    });
    if (!request) {
      logger.debug('app_mention without a human author ignored');
      return;
    }
    const files = (event as { files?: unknown[] }).files;
    if (!request.text && files?.length) {
      await client.chat.postMessage({
        channel: request.channel,
        thread_ts: request.threadTs,
        text: FILES_ONLY_REPLY,
      });
      return;
    }
    await dispatcher.submit({ kind: 'turn', request });
  };
}
