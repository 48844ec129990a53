import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ConnectionService } from '../../../agent/connections.js';
import { EXAMPLE_REQUESTS, homeView } from '../../home-view.js';

/** What the App Home listener needs. */
export interface HomeDeps {
  connections: ConnectionService;
  composioUserIdOf(teamId: string, userId: string): Promise<string>;
  /** True the first time it is called for a user (the Messages tab greeting is sent once). */
  firstVisit(teamId: string, userId: string): Promise<boolean>;
}

/** Publishes the App Home; greets a user the first time they open the Messages tab. */
export function createAppHomeOpenedListener(deps: HomeDeps) {
  return async ({
    event,
    body,
    context,
    client,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    const teamId = context.teamId ?? body.team_id;
    if (event.tab === 'messages') {
      if (!(await deps.firstVisit(teamId, event.user))) {
        logger.debug('messages tab opened again: already greeted');
        return;
      }
      await client.chat.postMessage({
        channel: event.channel,
        text: "Hi! I'm Confluence Agent. Tell me what you need in Confluence.",
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: "Hi! I'm *Confluence Agent*. Tell me what you need in Confluence, in your own words. For example:",
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: EXAMPLE_REQUESTS.slice(0, 4)
                .map((e) => `• _${e}_`)
                .join('\n'),
            },
          },
        ],
      });
      return;
    }
    const composioUserId = await deps.composioUserIdOf(teamId, event.user);
    const states = await deps.connections.status(composioUserId);
    await client.views.publish({ user_id: event.user, view: homeView(composioUserId, states) });
  };
}
