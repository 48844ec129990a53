import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { type DirectMessage, turnRequestFromDirectMessage } from '../../requests/direct-message.js';

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
    const request = turnRequestFromDirectMessage(message, {
      eventId: body.event_id,
      teamId: context.teamId ?? body.team_id,
      botUserId: context.botUserId,
    });
    if ('ignored' in request) {
      logger.debug(
        request.ignored === 'not_a_dm'
          ? `message outside a DM ignored (${message.channel_type ?? 'unknown'})`
          : `direct message ignored (subtype ${message.subtype ?? 'none'})`,
      );
      return;
    }
    if (!request.text && message.files?.length) {
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
