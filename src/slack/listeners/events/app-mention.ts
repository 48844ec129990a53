import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { TurnDispatcher } from '../../../turns/dispatcher.js';
import { type MentionEvent, turnRequestFromMention } from '../../requests/mention.js';
import { submitMessageTurn } from './message-turn.js';

/** Handles `app_mention`: turns it into a request for the agent, answered in its thread. */
export function createAppMentionListener(dispatcher: TurnDispatcher) {
  return async (args: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>) => {
    const { event, body, context, logger } = args;
    const request = turnRequestFromMention(event as MentionEvent, {
      eventId: body.event_id,
      teamId: context.teamId ?? body.team_id,
      botUserId: context.botUserId,
    });
    if (!request) {
      logger.debug('app_mention without a human author ignored');
      return;
    }
    await submitMessageTurn(request, { dispatcher });
  };
}
