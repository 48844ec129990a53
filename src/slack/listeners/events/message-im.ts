import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { type DirectMessage, turnRequestFromDirectMessage } from '../../requests/direct-message.js';
import { submitMessageTurn } from './message-turn.js';

/** Handles direct messages: every human message in the DM is a request, answered in its thread. */
export function createDirectMessageListener(dispatcher: TurnDispatcher) {
  return async (args: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>) => {
    const { event, body, context, logger } = args;
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
    await submitMessageTurn(request, { dispatcher });
  };
}
